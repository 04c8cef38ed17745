"""clients/mix_client.py against itself (--loopback: a second in-process aiortc peer sends
its synthetic media, no server): what the mixer tests measure must be right on a path whose
answer is known. aiortc's own sender is perfectly in sync apart from libopus' 6.5 ms
lookahead, sends exactly the colour and tone it was given, and paces at 30 fps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


MIX_CLIENT = Path(__file__).resolve().parent / "clients" / "mix_client.py"


def loopback(*args: str, timeout: float = 60) -> dict:
    cmd = [sys.executable, str(MIX_CLIENT), "--loopback", *args]
    # stdin is a pipe we keep open until the client is done, so --seconds decides when it ends.
    read_end, write_end = os.pipe()
    try:
        proc = subprocess.Popen(cmd, stdin=read_end, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        os.close(read_end)
        try:
            out, err = proc.communicate(timeout=timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    finally:
        os.close(write_end)
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert lines and "connected" in lines[-1], f"no result (exit {proc.returncode})\nstderr:\n{err[-3000:]}"
    assert lines[0] == {"event": "connected", "location": None, "participantId": None}
    return lines[-1]


def test_loopback_colour_tone_and_stalled_video() -> None:
    result = loopback(
        "--colour", "255,0,0", "--tone", "800", "--size", "320x180", "--video-stop-after", "2", "--seconds", "4",
        "--expect-colour", "255,0,0", "--expect-colour", "0,255,0", "--expect-tone", "800", "--expect-tone", "500",
        "--colour-timeline",
    )
    assert result["connected"] is True
    assert result["errors"] == []
    assert sorted(s["kind"] for s in result["inboundStreams"]) == ["audio", "video"]
    assert result["videoFrameSizes"] == {"320x180": result["videoFramesDecoded"]}
    # Video stopped after 2 s of media time: about 60 frames, all of them at 30 fps.
    assert 50 <= result["videoFramesDecoded"] <= 61, result["videoFramesDecoded"]
    assert result["sent"]["videoStoppedAt"] is not None
    assert result["lastFrameAt"] < result["sent"]["videoStoppedAt"] + 0.5
    assert 28 <= result["fps"] <= 32 and result["ptsFps"] == 30.0
    assert result["frameGaps"]["over1_5"] == 0 and result["frameGaps"]["median"] == 0.0333
    assert result["colourCoverage"] == {"255,0,0": 1.0, "0,255,0": 0.0}
    assert all(cover == 1.0 for _, cover in result["colourTimeline"]["255,0,0"])
    # Amplitude 0.3 is -13.5 dB; aiortc's encoder upmixes mono to stereo at -3 dB.
    levels = result["toneLevelsDb"]
    assert -18 < levels["800"] < -14, levels
    assert levels["800"] - levels["500"] > 60, levels
    assert result["audioSeconds"] > 3.5 and result["audioFormats"] == {"48000Hz/2ch/s16": result["audioFramesDecoded"]}


def test_loopback_lipsync_is_measured_through_sender_reports() -> None:
    result = loopback("--flash-period", "1", "--size", "320x180", "--measure-lipsync", "--seconds", "6")
    sync = result["lipsync"]
    assert sync["srCount"]["audio"] >= 2 and sync["srCount"]["video"] >= 2, sync
    assert len(sync["offsetsMs"]) >= 4, sync
    assert sync["flashes"] == sync["beeps"] == len(sync["offsetsMs"]), sync
    # In sync except libopus' lookahead (312 samples = 6.5 ms): the beep decodes that much
    # after its RTP instant. SRs stamp the send time, so VP8 encode time (~1-2 ms) and
    # scheduling jitter move it a few ms.
    assert 0 <= sync["medianOffsetMs"] <= 15, sync
    assert max(sync["offsetsMs"]) - min(sync["offsetsMs"]) < 10, sync
