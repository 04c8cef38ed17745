"""ffprobe helpers shared by the benchmark scripts: what a media file holds, and tool checks."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path


class BenchError(Exception):
    """A failure the scripts report as one clear line, without a traceback."""


def require_tool(name: str, package: str) -> str:
    """The path of `name`, or a BenchError that says which Debian package provides it."""
    path = shutil.which(name)
    if path is None:
        raise BenchError(f"{name} not found on PATH; install the Debian package {package} "
                         f"(make bench-deps, or apt-get install {package})")
    return path


def first_line(command: list[str]) -> str:
    """The first line a `--version`-style command prints."""
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return out.strip().splitlines()[0]


def probe(path: Path) -> dict:
    """Streams and duration of `path`. Packets are counted (not frames decoded): for VP8
    without alt-ref frames, and for Opus, one packet is one frame."""
    require_tool("ffprobe", "ffmpeg")
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-count_packets", "-of", "json",
         "-show_entries", "format=duration:stream=codec_type,codec_name,width,height,"
                          "avg_frame_rate,sample_rate,channels,nb_read_packets",
         str(path)],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"ffprobe could not read {path}: {result.stderr.strip()}")
    info = json.loads(result.stdout)
    streams = {}
    for stream in info.get("streams", []):
        kind = stream["codec_type"]
        if kind in streams:
            raise BenchError(f"{path}: more than one {kind} stream")
        streams[kind] = {**stream, "packets": int(stream.get("nb_read_packets", 0))}
    return {"duration": float(info.get("format", {}).get("duration", 0)), "streams": streams}
