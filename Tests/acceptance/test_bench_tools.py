"""tessera-bench (the in-process halves of `make bench`) and the report renderer, on tiny
inputs: the numbers they print are real measurements of the work asked for (every frame
encoded, allocations counted, latency timed), so the benchmark cannot report a room that
did nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, tessera_bin

sys.path.insert(0, str(REPO / "Benchmarks"))
from bench_report import render  # noqa: E402
from inputs import ensure_inputs  # noqa: E402

SECONDS = 3


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    cache = tmp_path_factory.mktemp("bench-inputs")
    ensure_inputs(cache, count=2, seconds=SECONDS)
    return cache


def bench(mode: str, inputs: Path, *extra: str, binary: Path | None = None) -> dict:
    binary = binary or Path(tessera_bin()).parent / "tessera-bench"
    done = subprocess.run(
        [str(binary), mode, "--inputs", str(inputs), "--n", "2", "--width", "320", "--height", "180",
         "--bitrate-kbps", "300", "--seconds", str(SECONDS), "--runs", "1", *extra],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_steady_mixed_video_frame_allocates_nothing_in_the_optimized_build(inputs: Path) -> None:
    """Issue 7: "allocations per mixed video frame: 0 in steady state", in the build `make
    bench` measures. `make test` builds it (build-bench) and names it here."""
    release = os.environ.get("TESSERA_RELEASE_BENCH")
    if not release:
        pytest.skip("TESSERA_RELEASE_BENCH is not set (make test sets it)")
    mixer = bench("mixer", inputs, "--warmup", "1", binary=Path(release))
    assert mixer["optimized"], mixer
    assert mixer["framesEncoded"] == 30 * SECONDS
    assert mixer["allocationsPerVideoTick"] == 0, mixer
    # The audio tick still allocates (its plans and packets): counted, so the counter works.
    assert mixer["allocationsPerAudioTick"] > 0, mixer


def test_sending_a_packet_does_not_copy_the_nack_history_in_the_optimized_build(inputs: Path) -> None:
    """The peer's packet path (`tessera-bench transport`) in the build the server ships.
    Sending once copied the stream's 1024-slot NACK history per packet (about 24 KB of
    slots, a retain each): allocated bytes per packet showed it (20 KB; 5 KB without)."""
    release = os.environ.get("TESSERA_RELEASE_BENCH")
    if not release:
        pytest.skip("TESSERA_RELEASE_BENCH is not set (make test sets it)")
    done = subprocess.run([release, "transport", "--inputs", str(inputs), "--seconds", str(SECONDS), "--warmup", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    transport = json.loads(done.stdout.strip().splitlines()[-1])
    assert transport["optimized"], transport
    # Every frame went both ways: 30 video and 50 audio frames a second.
    assert transport["framesIn"] >= 70 * (SECONDS - 1), transport
    outbound, inbound = transport["outbound"], transport["inbound"]
    assert outbound["packets"] == inbound["packets"] >= 80 * (SECONDS - 1), transport
    # The packet, its protected copy and libsrtp's (NSS's) per-call state: a few KB.
    assert 0 < outbound["allocatedBytesPerPacket"] < 10_000, transport
    assert inbound["allocatedBytesPerPacket"] > 0 and inbound["microsecondsPerPacket"] > 0, transport


def test_the_floor_encodes_every_frame_of_the_room_and_costs_cpu(inputs: Path) -> None:
    floor = bench("floor", inputs)
    assert floor["framesEncoded"] == 30 * SECONDS
    assert 0 < floor["coresMedian"] < 4, floor


def test_the_floor_measures_the_quality_of_the_rooms_encode(inputs: Path) -> None:
    """The report puts the room's picture next to its cost: libvpx's PSNR of the room's
    encode, at the room's fixed speed and at a finer setting for comparison."""
    room = bench("floor", inputs, "--quality")
    assert room["mode"] == "quality" and room["framesEncoded"] == 30 * SECONDS
    assert room["cpuUsed"] < 0, room  # the room's setting: a fixed speed
    assert 20 < room["psnr"] < 60 and 200 < room["kbps"] < 450, room
    finer = bench("floor", inputs, "--quality", "--speed", "1")
    coarser = bench("floor", inputs, "--quality", "--speed", "16")
    assert finer["cpuUsed"] == -1 and coarser["cpuUsed"] == -16
    assert finer["psnr"] > coarser["psnr"], (finer, coarser)


def test_the_paced_floor_runs_each_tick_at_its_room_time(inputs: Path) -> None:
    """A live room does its codec work at 1 s per second, with the CPU idle in between,
    and that costs more CPU than a hot loop; Tessera / floor compares with this run."""
    started = time.monotonic()
    paced = bench("floor", inputs, "--paced")
    assert time.monotonic() - started >= SECONDS * 0.95, "the run did not wait for its ticks"
    assert paced["paced"] is True and paced["framesEncoded"] == 30 * SECONDS
    assert paced["coresMedian"] > 0


def test_the_mixer_core_reports_allocations_latency_and_memory(inputs: Path) -> None:
    mixer = bench("mixer", inputs, "--warmup", "1")
    assert mixer["framesEncoded"] == 30 * SECONDS
    assert mixer["coresMedian"] > 0
    # Issue 7: no allocation per mixed video frame in steady state, in the optimized build
    # `make bench` measures (a debug build's unspecialized generic code allocates). The bench
    # refuses to run when its interposed counter misses the Swift runtime's allocations.
    if mixer["optimized"]:
        assert mixer["allocationsPerVideoTick"] == 0, mixer
    # Playout delay (the 5 ms margin: these inputs have no jitter) plus the wait for the
    # tick: never zero, well under a second.
    for kind in ("videoLatency", "audioLatency"):
        assert 0.0045 < mixer[kind]["p50"] <= mixer[kind]["p95"] <= mixer[kind]["p99"] < 0.5, mixer
    assert mixer["residentBytesPerRoom"] > 0


def target_room(**changes) -> dict:
    """A measured 4-person 1280x720 room as bench.py records it, with `changes` over it."""
    latency = {"p50": 0.030, "p95": 0.040, "p99": 0.050}
    return {
        "n": 4, "width": 1280, "height": 720, "bitrateKbps": 1500,
        "floor": {"coresMedian": 0.40}, "floorPaced": {"coresMedian": 0.50}, "floorAtPeerSetting": {"coresMedian": 0.75},
        "mixer": {"coresMedian": 0.55, "allocationsPerVideoTick": 12, "allocationsPerAudioTick": 30,
                  "residentBytesPerRoom": 40 * 2**20, "videoLatency": latency, "audioLatency": latency},
        "tessera": {"coresMedian": 0.60, "mixerCores": 0.52, "fps": 29.9, "residentMbPerRoom": 45.0, "encoderSpeed": 12,
                    "videoLatency": latency, "audioLatency": {"p50": 0.02, "p95": 0.024, "p99": 0.03}},
        "peers": {"ffmpeg-default": {"cores_median": 0.90}, "gstreamer": {"cores_median": 0.70}},
        "peersPaced": {"ffmpeg-default": {"cores_median": 1.00}, "ffmpeg-1thread": {"cores_median": 0.80},
                       "gstreamer": {"cores_median": 0.75}},
        "quality": {"room": {"psnr": 33.01, "kbps": 1460}, "roomAtPeerSetting": {"psnr": 33.24, "kbps": 1459},
                    "ffmpeg": {"psnr": 31.98, "kbps": 1453}, "ffmpeg1Thread": {"psnr": 32.8, "kbps": 1450},
                    "ffmpeg1ThreadAtRoomSpeed": {"psnr": 32.51, "kbps": 1450, "cores": 0.356}},
        **changes,
    }


def test_the_report_states_each_target_with_the_measured_value() -> None:
    room = target_room()
    cost = {"microsecondsPerPacket": 4.46, "allocationsPerPacket": 12.0, "allocatedBytesPerPacket": 5173.0, "bytesPerPacket": 566.3}
    text = render({"date": "today", "runs": 3, "seconds": 10, "warmup": 4, "roomSpeed": 5, "peerCpuUsed": 8,
                   "machine": {"cpu": "x"}, "versions": {"libvpx": "1.12"}, "rooms": [room],
                   "transport": {"inbound": cost, "outbound": cost}})
    assert "- Tessera / floor (paced) ≤ 1.15: 1.200, **missed**; against the floor run as fast as it goes: 1.500." in text
    assert "- Tessera ≤ 0.6 × ffmpeg: 0.667, **missed**." in text
    assert "- Tessera ≤ 0.8 × GStreamer: 0.857, **missed**." in text
    assert "- Video latency p95 ≤ 45 ms: 40.0 ms, met." in text
    assert "- Audio latency p95 ≤ 25 ms: 24.0 ms, met." in text
    assert "- Allocations per mixed video frame 0: 12, **missed**." in text
    assert "| 4 × → 1280x720 | 0.400 | 0.500 | 0.750 | 0.600 | 0.520 | 0.550 | 0.900 | – | 0.700 | 1.200 | 0.667 | 0.857 | 12 |" in text
    assert ("| 4 × → 1280x720 | 33.01 dB, 1460 kbit/s | 33.24 dB, 1459 kbit/s | 31.98 dB, 1453 kbit/s "
            "| 32.80 dB, 1450 kbit/s | 32.51 dB, 1450 kbit/s | 0.356 |") in text
    assert "fixed speed 5 (libvpx cpu-used −5)" in text
    assert "| outbound | 4.5 | 12.0 | 5173 | 566 |" in text
    assert ("4 × → 1280x720: ffmpeg 1.000, ffmpeg 1 thread 0.800, GStreamer 0.750; "
            "Tessera / ffmpeg paced 0.600, Tessera / GStreamer paced 0.800.") in text


def test_the_report_sets_each_peer_target_against_the_codec_work_alone() -> None:
    room = target_room(floorPacedFastest={"coresMedian": 0.45},
                       peers={"ffmpeg-default": {"cores_median": 0.70}, "gstreamer": {"cores_median": 0.60}})
    results = {"date": "today", "runs": 3, "seconds": 10, "warmup": 4, "roomSpeed": 5, "fastestSpeed": 16,
               "peerCpuUsed": 8, "machine": {}, "versions": {}, "rooms": [room]}
    text = render(results)
    # 0.6 x 0.70 = 0.42 is under the codec work even at the fastest speed (0.45).
    assert ("- Tessera ≤ 0.6 × ffmpeg: 0.857, **missed**. The target is 0.420 cores; the room's codec work alone, "
            "paced, takes 0.500 at the room's speed 5 and 0.450 at VP8's fastest speed 16: below the codec work "
            "at any speed, before any network, SRTP or mixing.") in text
    # 0.8 x 0.60 = 0.48 lies between the two floors.
    assert ("- Tessera ≤ 0.8 × GStreamer: 1.000, **missed**. The target is 0.480 cores; the room's codec work alone, "
            "paced, takes 0.500 at the room's speed 5 and 0.450 at VP8's fastest speed 16: below the codec work "
            "at the room's speed; only a faster, coarser encode fits under it.") in text
    # Peers slow enough that the codec work fits under both targets: the margin is stated.
    room["peers"] = {"ffmpeg-default": {"cores_median": 1.00}, "gstreamer": {"cores_median": 0.70}}
    text = render(results)
    assert ("- Tessera ≤ 0.6 × ffmpeg: 0.600, met. The target is 0.600 cores; the room's codec work alone, paced, "
            "takes 0.500 at the room's speed 5 and 0.450 at VP8's fastest speed 16: 0.100 cores above the codec "
            "work at the room's speed.") in text
    assert "0.560 cores; the room's codec work alone" in text and "0.060 cores above" in text
    # Without the fastest-speed floor (an older results file) the targets keep their short form.
    del room["floorPacedFastest"]
    assert "- Tessera ≤ 0.8 × GStreamer: 0.857, **missed**.\n" in render(results)


def test_the_report_carries_the_last_capacity_run() -> None:
    step = {"rooms": 1, "minFps": 30.0, "minSecondFps": 29, "worstTickP95Ms": 19.9, "skippedTicks": 0,
            "serverCores": 0.5, "serverCoresPerRoom": 0.5, "clientCores": 0.1, "passed": True}
    capacity = {"roomsHeld": 1, "stopReason": "room 2 received 20 fps < 29", "cores": 2,
                "settings": {"perRoom": 4, "width": 1280, "height": 720, "fps": 30, "bitrateKbps": 1500, "minFps": 29.0},
                "steps": [step, {**step, "rooms": 2, "minFps": 20.0, "passed": False}]}
    text = render({"date": "today", "runs": 3, "seconds": 10, "warmup": 4, "roomSpeed": 5, "peerCpuUsed": 8,
                   "machine": {}, "versions": {},
                   "rooms": []}, capacity, "yesterday")
    assert "**Rooms held: 1** of the target 4 on 2 cores (stopped: room 2 received 20 fps < 29)." in text
    assert "| 2 | 20.0 | 29 | 19.9 | 0 | 0.5 | 0.5 | 0.1 | fail |" in text
