"""Benchmarks/load_client.py (the capacity benchmark's load) against the server: its
participants get the mix at full rate without decoding it, and the pre-encoded packets it
sends (looping a clip shorter than the test) decode in the server's mixer."""

from __future__ import annotations

import asyncio
import re
import sys
import time
from pathlib import Path

from conftest import REPO, Server

sys.path.insert(0, str(REPO / "Benchmarks"))
from inputs import ensure_inputs  # noqa: E402
from load_client import LoadClient, VideoSettings  # noqa: E402

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
            return client.report(start, end)["rooms"][0], rates
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
