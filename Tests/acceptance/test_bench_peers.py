"""Benchmarks/peers.py (no server) on 2-second inputs of a 4-person room at 640x360, one
run each: every peer reports a positive cost and encoded every frame, in the JSON shape
the benchmark report reads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

BENCHMARKS = REPO / "Benchmarks"
SECONDS = 2
N = 4
GSTREAMER_PACKAGES = "gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good"
GSTREAMER_ELEMENTS = ("compositor", "audiomixer", "vp8enc", "opusenc", "matroskademux", "webmmux")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    cache = tmp_path_factory.mktemp("inputs")
    result = subprocess.run([sys.executable, str(BENCHMARKS / "inputs.py"), "--cache", str(cache),
                             "--count", str(N), "--seconds", str(SECONDS)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return cache


def gstreamer_missing() -> str | None:
    if shutil.which("gst-launch-1.0") is None or shutil.which("gst-inspect-1.0") is None:
        return "gst-launch-1.0 not installed"
    for element in GSTREAMER_ELEMENTS:
        if subprocess.run(["gst-inspect-1.0", "--exists", element]).returncode != 0:
            return f"GStreamer element {element} not installed"
    return None


def run_peers(inputs, tmp_path, peers: str, *extra: str) -> dict:
    out = tmp_path / "peers.json"
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "peers.py"), "--inputs", str(inputs), "--n", str(N),
         "--width", "640", "--height", "360", "--fps", "30", "--bitrate-kbps", "800", "--cpu-used", "8",
         "--runs", "1", "--peers", peers, *extra, "--json", str(out)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return json.loads(out.read_text())


def check_report(report: dict, names: list[str], extra_frames: int = 0) -> None:
    assert {"machine", "versions", "settings", "results"} <= set(report), report.keys()
    assert {"cpu", "cores", "kernel"} <= set(report["machine"]), report["machine"]
    assert {"ffmpeg", "gstreamer", "libvpx"} <= set(report["versions"]), report["versions"]
    assert report["settings"]["n"] == N, report["settings"]
    got = sorted((r["name"], r["audio"]) for r in report["results"])
    assert got == sorted((name, audio) for name in names for audio in (False, True)), got
    expected_frames = 30 * SECONDS
    for r in report["results"]:
        assert (r["n"], r["width"], r["height"]) == (N, 640, 360), r
        assert r["cores_median"] > 0 and len(r["cores_runs"]) == 1, r
        assert r["wall_seconds_median"] > 0, r
        assert r["expected_frames"] == expected_frames, r
        assert expected_frames <= r["frames"] <= expected_frames + extra_frames, r
        assert (r["audio_frames"] is not None) == r["audio"], r
        assert isinstance(r["command"], str) and r["command"], r


def test_ffmpeg_peers(inputs, tmp_path):
    names = ["ffmpeg-default", "ffmpeg-1thread"]
    report = run_peers(inputs, tmp_path, ",".join(names))
    check_report(report, names)
    for r in report["results"]:
        assert r["command"].startswith("ffmpeg "), r
        assert ("amix=" in r["command"]) == r["audio"], r["command"]
        assert ("-threads 1" in r["command"]) == (r["name"] == "ffmpeg-1thread"), r["command"]


def test_gstreamer_peer(inputs, tmp_path):
    reason = gstreamer_missing()
    if reason:
        pytest.skip(f"{reason}: install {GSTREAMER_PACKAGES} (make bench-deps)")
    report = run_peers(inputs, tmp_path, "gstreamer")
    # The compositor may add one frame: Matroska's millisecond timestamps make the last
    # input frame end 0.3 ms after the media (see peers.check_output).
    check_report(report, ["gstreamer"], extra_frames=1)
    for r in report["results"]:
        assert r["command"].startswith("gst-launch-1.0 "), r
        assert ("audiomixer" in r["command"]) == r["audio"], r["command"]


def test_missing_inputs_are_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "peers.py"), "--inputs", str(tmp_path), "--n", "4",
         "--peers", "ffmpeg-1thread", "--json", str(tmp_path / "out.json")],
        capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "missing inputs" in result.stderr and "inputs.py" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def test_ffmpeg_quality_is_libvpx_psnr_of_the_peers_encode(inputs):
    """Benchmarks/peer_quality.py: the peer's stream PSNR as ffmpeg -psnr prints it; a
    coarser fixed speed gives a lower PSNR at the same bitrate."""
    results = {}
    for cpu_used in ("-1", "-16"):
        done = subprocess.run(
            [sys.executable, str(BENCHMARKS / "peer_quality.py"), "--inputs", str(inputs), "--n", str(N),
             "--width", "640", "--height", "360", "--bitrate-kbps", "800", "--cpu-used", cpu_used, "--one-thread"],
            capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        results[cpu_used] = json.loads(done.stdout.strip().splitlines()[-1])
    for result in results.values():
        assert result["name"] == "ffmpeg-1thread" and 20 < result["psnr"] < 60, result
        assert 300 < result["kbps"] < 1600 and result["cores"] > 0, result
    assert results["-1"]["psnr"] > results["-16"]["psnr"], results


def test_stream_psnr_is_read_from_ffmpegs_last_progress_line():
    sys.path.insert(0, str(BENCHMARKS))
    from peer_quality import stream_psnr
    from probe import BenchError
    stderr = ("frame=    1 fps=0.0 q=4.0 PSNR=Y:48.73 U:48.04 V:47.97 *:48.47 size=N/A\r"
              "frame=   90 fps=0.0 q=40.0 LPSNR=Y:37.72 U:35.83 V:35.46 *:36.91 size=N/A\n")
    assert stream_psnr(stderr) == 36.91
    with pytest.raises(BenchError):
        stream_psnr("frame=   90 fps=0.0 q=40.0 PSNR=Y:37.72 U:35.83 V:35.46 *:36.91\n")


def test_paced_peers_take_the_media_time(inputs, tmp_path):
    """--paced: the peers read their inputs at the inputs' pace, as a live room gets them
    (the whole job only), so a run lasts the media's length."""
    names = ["ffmpeg-default", "ffmpeg-1thread"] + ([] if gstreamer_missing() else ["gstreamer"])
    report = run_peers(inputs, tmp_path, ",".join(names), "--paced")
    assert report["settings"]["paced"] is True
    assert sorted(r["name"] for r in report["results"]) == sorted(names)
    for r in report["results"]:
        assert r["audio"] and r["paced"], r
        assert r["wall_seconds_median"] >= SECONDS * 0.9, r
        assert r["cores_median"] > 0 and r["frames"] >= 30 * SECONDS, r
