"""Benchmarks/load_client.py (the capacity benchmark's load) against the server: its
participants get the mix at full rate without decoding it, and the pre-encoded packets it
sends (looping a clip shorter than the test) decode in the server's mixer."""

from __future__ import annotations

import asyncio
import re
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from conftest import REPO, Server

sys.path.insert(0, str(REPO / "Benchmarks"))
from inputs import ensure_inputs  # noqa: E402
from load_client import Arrivals, FrameCounter, LoadClient, VideoSettings  # noqa: E402

WARMUP_S = 2.0
WINDOW_S = 4.0


def mixer_counters(server: Server, room: str) -> dict[str, float]:
    text = server.get("/metrics").text
    counters = {}
    for name in ["video_frames_decoded", "audio_frames_decoded", "decode_errors"]:
        match = re.search(rf'^tessera_mixer_{name}_total{{room="{room}"}} (\S+)$', text, re.MULTILINE)
        assert match, f"tessera_mixer_{name}_total for room {room} not in /metrics"
        counters[name] = float(match.group(1))
    return counters


def test_two_load_participants_receive_the_mix_and_their_packets_decode(server: Server, tmp_path: Path) -> None:
    # 3 s of input, shorter than the test, so the client loops it.
    inputs = tmp_path / "inputs"
    ensure_inputs(inputs, count=1, seconds=3)

    async def scenario() -> tuple[dict, dict]:
        client = LoadClient(server.base_url, server.key, inputs)
        try:
            room = await client.add_room(VideoSettings(640, 360, 30, 800), participants=2)
            await asyncio.sleep(WARMUP_S)
            before = await asyncio.to_thread(mixer_counters, server, room)
            start = time.monotonic()
            await asyncio.sleep(WINDOW_S)
            end = time.monotonic()
            after = await asyncio.to_thread(mixer_counters, server, room)
            rates = {name: (after[name] - before[name]) / (time.monotonic() - start) for name in after}
            return (await client.report(start, end))["rooms"][0], rates
        finally:
            await client.close()

    received, decoded = asyncio.run(scenario())
    print(f"received: {received}\nmixer decodes per second: {decoded}")
    assert received["participants"] == 2
    assert received["fps"] >= 20, f"each participant receives the mix at >= 20 fps: {received}"
    assert received["audioFps"] >= 40, f"each participant receives >= 40 audio frames/s: {received}"
    assert decoded["decode_errors"] == 0, decoded
    assert decoded["video_frames_decoded"] >= 2 * 20, f"the mixer decodes both participants' video: {decoded}"
    assert decoded["audio_frames_decoded"] >= 2 * 40, f"the mixer decodes both participants' audio: {decoded}"


def test_the_frame_counter_counts_only_frames_that_arrived_whole() -> None:
    """The load client counts received frames itself (no jitter buffer): a video frame
    counts when its marker packet closes an unbroken run since the previous marker."""
    codecs = {96: SimpleNamespace(name="VP8"), 97: SimpleNamespace(name="rtx"), 111: SimpleNamespace(name="opus")}
    receiver = SimpleNamespace(_RTCRtpReceiver__codecs=codecs)

    def feed(kind: str, packets: list[tuple[int, int, bool]]) -> int:
        arrivals = Arrivals()
        counter = FrameCounter(receiver, kind, arrivals)
        for payload_type, sequence, marker in packets:
            asyncio.run(counter(SimpleNamespace(payload_type=payload_type, sequence_number=sequence, marker=marker), 0))
        return len(arrivals.times)

    # Joined mid-frame (65533 without its start): counted from the first marker on. Then a
    # whole frame across the sequence wrap, one missing 2, and a whole one again.
    video = [(96, 65533, True), (96, 65534, False), (96, 65535, False), (96, 0, True),
             (96, 1, False), (96, 3, True), (96, 4, False), (96, 5, True)]
    assert feed("video", video) == 2
    # A retransmission does not complete a frame, nor count as one.
    assert feed("video", [(96, 10, True), (96, 11, False), (97, 12, True), (96, 12, True)]) == 1
    assert feed("audio", [(111, n, False) for n in range(5)] + [(97, 9, False)]) == 5
