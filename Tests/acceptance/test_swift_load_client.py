"""`tessera-bench load` (the capacity benchmark's load, driven by
Benchmarks/swift_load_client.py) against the server: its participants connect over real
ICE, DTLS and SRTP, get the mix at full rate, and the packets they send decode in the
server's mixer; bad requests get errors and leave it running."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, Server, tessera_bin

sys.path.insert(0, str(REPO / "Benchmarks"))
from inputs import ensure_inputs  # noqa: E402
from load_client import VideoSettings, cpu_seconds  # noqa: E402
from swift_load_client import SwiftLoadClient  # noqa: E402
from test_load_client import mixer_counters  # noqa: E402

WARMUP_S = 2.0
WINDOW_S = 4.0


def load_binary() -> Path:
    return Path(tessera_bin()).parent / "tessera-bench"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    # 3 s of input, shorter than the test, so the client loops it.
    cache = tmp_path_factory.mktemp("load-inputs")
    ensure_inputs(cache, count=1, seconds=3)
    return cache


def test_swift_load_participants_receive_the_mix_and_their_packets_decode(server: Server, inputs: Path) -> None:
    async def scenario() -> tuple[dict, dict, float]:
        client = SwiftLoadClient(server.base_url, server.key, inputs, binary=load_binary())
        await client.start()
        try:
            room = await client.add_room(VideoSettings(640, 360, 30, 800), participants=2)
            await asyncio.sleep(WARMUP_S)
            before = await asyncio.to_thread(mixer_counters, server, room)
            start, cpu, own = time.monotonic(), client.cpu_seconds(), cpu_seconds()
            await asyncio.sleep(WINDOW_S)
            end = time.monotonic()
            after = await asyncio.to_thread(mixer_counters, server, room)
            rates = {name: (after[name] - before[name]) / (time.monotonic() - start) for name in after}
            report = await client.report(start, end)
            return report, rates, (client.cpu_seconds() - cpu) - (cpu_seconds() - own)
        finally:
            await client.close()
            assert client.process and client.process.returncode == 0, "end of input ends tessera-bench load cleanly"

    report, decoded, cpu = asyncio.run(scenario())
    received = report["rooms"][0]
    print(f"received: {report}\nmixer decodes per second: {decoded}\ntessera-bench load CPU seconds: {cpu:.3f}")
    assert received["participants"] == 2
    assert received["fps"] >= 20, f"each participant receives the mix at >= 20 fps: {received}"
    assert received["audioFps"] >= 40, f"each participant receives >= 40 audio frames/s: {received}"
    assert report["srtpFailures"] == 0, "every packet the room sent authenticates with the DTLS-exported keys"
    assert decoded["decode_errors"] == 0, decoded
    assert decoded["video_frames_decoded"] >= 2 * 20, f"the mixer decodes both participants' video: {decoded}"
    assert decoded["audio_frames_decoded"] >= 2 * 40, f"the mixer decodes both participants' audio: {decoded}"
    assert cpu > 0, "the client's CPU includes tessera-bench load's, beyond this process's own"


def test_the_load_engine_answers_bad_requests_with_errors_and_keeps_running(inputs: Path) -> None:
    process = subprocess.Popen([str(load_binary()), "load", "--inputs", str(inputs)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdin and process.stdout

    def ask(line: str) -> dict:
        process.stdin.write(line + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    try:
        assert "not a JSON object" in ask("not json")["error"]
        assert "unknown op" in ask('{"op": "dance", "id": "x"}')["error"]
        assert "no participant nobody" in ask('{"op": "answer", "id": "nobody", "sdp": "v=0"}')["error"]
        offer = ask('{"op": "join", "id": "a", "input": 7}')
        assert offer["id"] == "a"
        sdp = offer["offer"]
        assert "m=audio" in sdp and "m=video" in sdp and "a=fingerprint:sha-256" in sdp
        assert "a=candidate:1 1 udp 2130706431 127.0.0.1 " in sdp and " 9 typ host" not in sdp, "its own socket's port"
        assert "exists" in ask('{"op": "join", "id": "a", "input": 0}')["error"]
        assert "bad answer" in ask('{"op": "answer", "id": "a", "sdp": "garbage"}')["error"]
        assert "start" in ask('{"op": "report", "id": "r", "start": 5, "end": 1}')["error"]
        report = ask('{"op": "report", "id": "r2", "start": 1, "end": 2}')
        assert report["participants"]["a"]["connected"] is False and report["participants"]["a"]["fps"] == 0
        assert ask('{"op": "leave", "id": "a"}') == {"id": "a", "left": True}
        assert ask('{"op": "report", "id": "r3", "start": 1, "end": 2}')["participants"] == {}
    finally:
        process.stdin.close()
        assert process.wait(timeout=10) == 0
