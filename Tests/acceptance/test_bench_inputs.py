"""Benchmarks/inputs.py (no server): the cached participant files have the codecs, size,
frame count and duration the benchmark relies on, differ per participant, and a second
run regenerates nothing."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

from conftest import REPO

INPUTS = REPO / "Benchmarks" / "inputs.py"
SECONDS = 2


def run_inputs(cache, *extra: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(INPUTS), "--cache", str(cache), "--count", "2",
                           "--seconds", str(SECONDS), *extra],
                          capture_output=True, text=True, timeout=60, env=env)


def ffprobe(path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-count_packets", "-of", "json", "-show_entries",
         "format=duration:stream=codec_type,codec_name,width,height,avg_frame_rate,sample_rate,channels,"
         "nb_read_packets,start_time", str(path)],
        capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_inputs_are_generated_once_with_the_expected_streams(tmp_path):
    cache = tmp_path / "inputs"
    first = run_inputs(cache)
    assert first.returncode == 0, first.stderr
    assert "generating" in first.stdout, first.stdout
    files = [cache / "p0.webm", cache / "p1.webm"]
    for path in files:
        info = ffprobe(path)
        streams = {s["codec_type"]: s for s in info["streams"]}
        assert set(streams) == {"video", "audio"}, info
        video, audio = streams["video"], streams["audio"]
        assert (video["codec_name"], video["width"], video["height"]) == ("vp8", 640, 360), video
        assert video["avg_frame_rate"] == "30/1", video
        assert int(video["nb_read_packets"]) == 30 * SECONDS, video
        assert float(video["start_time"]) == 0, video
        assert (audio["codec_name"], audio["sample_rate"], audio["channels"]) == ("opus", "48000", 1), audio
        # 20 ms frames; Opus's pre-skip may need one more packet.
        assert int(audio["nb_read_packets"]) in (50 * SECONDS, 50 * SECONDS + 1), audio
        assert abs(float(info["format"]["duration"]) - SECONDS) < 0.05, info["format"]
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    assert len(digests) == 2, "participants must differ"
    manifest = json.loads((cache / "manifest.json").read_text())
    assert manifest["ffmpeg"].startswith("ffmpeg version"), manifest
    assert set(manifest["files"]) == {"p0.webm", "p1.webm"}, manifest

    mtimes = [p.stat().st_mtime_ns for p in files]
    second = run_inputs(cache)
    assert second.returncode == 0, second.stderr
    assert "generating" not in second.stdout, second.stdout
    assert [p.stat().st_mtime_ns for p in files] == mtimes, "cached inputs were regenerated"
    assert not list(cache.glob(".*tmp")), "temporary files left behind"


def test_missing_ffmpeg_is_a_clear_error(tmp_path):
    result = run_inputs(tmp_path / "inputs", env={"PATH": str(tmp_path)})
    assert result.returncode != 0
    assert "ffmpeg not found" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
