"""What an ffmpeg peer's mixed video looks like: libvpx's PSNR of its encode and its bitrate.

The CPU table compares costs; a cheaper encoder setting also gives a coarser picture, so
the report puts each encoder's quality next to its cost. The measure is libvpx's own
(`VPX_CODEC_USE_PSNR`: the reconstructed frame against the encoder's input, over Y, U and
V, of the stream's mean squared error), which ffmpeg prints with `-psnr` and which
`tessera-bench floor --quality` reads from the room's encoder, so the figures compare.
GStreamer's vp8enc does not expose it.

    python3 Benchmarks/peer_quality.py --inputs DIR --n 4 --width 1280 --height 720 \\
        --bitrate-kbps 1500 --cpu-used 8 [--one-thread]
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from inputs import DEFAULT_CACHE
from peer_commands import Job, ffmpeg_command
from peers import load_inputs, run_once
from probe import BenchError, probe

# ffmpeg's last progress line: "LPSNR=Y:37.72 U:35.83 V:35.46 *:36.91" (L: the whole stream).
STREAM_PSNR = re.compile(r"LPSNR=.*?\*:(inf|[0-9.]+)")


def stream_psnr(stderr: str) -> float:
    """The whole stream's PSNR from ffmpeg's `-psnr -stats` output."""
    found = STREAM_PSNR.findall(stderr)
    if not found:
        raise BenchError(f"ffmpeg printed no stream PSNR:\n{stderr[-1000:]}")
    return float(found[-1])


def quality_command(job: Job, output: Path, one_thread: bool) -> list[str]:
    """The peer's own video job, printing libvpx's PSNR at the end."""
    return ffmpeg_command(replace(job, audio=False), output, one_thread, psnr=True)


def measure(job: Job, one_thread: bool, media_seconds: float, scratch: Path) -> dict:
    output = scratch / "quality.webm"
    command = quality_command(job, output, one_thread)
    cpu, _, stderr = run_once(command)
    video = probe(output)["streams"].get("video") or {}
    if video.get("codec_name") != "vp8":
        raise BenchError(f"{output}: no VP8 video")
    return {"name": "ffmpeg-1thread" if one_thread else "ffmpeg-default", "cpu_used": job.cpu_used,
            "psnr": stream_psnr(stderr), "kbps": output.stat().st_size * 8 / 1000 / media_seconds,
            "cores": cpu / media_seconds, "command": shlex.join(command)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--n", type=int, default=4)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--bitrate-kbps", type=int, default=1500)
    parser.add_argument("--cpu-used", type=int, default=8, help="libvpx cpu-used (negative: a fixed speed)")
    parser.add_argument("--one-thread", action="store_true", help="ffmpeg with one thread per decoder, filter and encoder")
    args = parser.parse_args()
    try:
        paths, frames, fps = load_inputs(args.inputs, args.n)
        job = Job(paths, args.width, args.height, args.fps, args.bitrate_kbps, args.cpu_used, 32, audio=False)
        with tempfile.TemporaryDirectory(prefix="tessera-quality-") as scratch:
            result = measure(job, args.one_thread, frames / fps, Path(scratch))
    except BenchError as e:
        print(f"peer_quality: error: {e}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
