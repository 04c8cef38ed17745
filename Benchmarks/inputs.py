"""The benchmark's participant inputs, generated once with the ffmpeg CLI and cached.

p0.webm ... p{count-1}.webm: VP8 640x360 30 fps CBR 500 kbps encoded the way a WebRTC
sender does (realtime, cpu-used 8, no lag, no alt-ref frames, a keyframe every 3 s) and
Opus 48 kHz mono 32 kbps in 20 ms voip frames. Each participant differs: a moving
testsrc2 pattern over a detailed still background cropped at its own offset, its own hue,
temporal noise with its own seed, and a harmonic "voice" with its own pitch, syllable rate
and pauses.

manifest.json in the cache records each file's recipe (the ffmpeg arguments) and the ffmpeg
version; a file whose entry matches is kept, anything else is regenerated.

    python3 Benchmarks/inputs.py [--cache DIR] [--count 9] [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

from probe import BenchError, first_line, probe, require_tool

DEFAULT_CACHE = Path(__file__).resolve().parents[1] / ".bench-cache" / "inputs"
MANIFEST = "manifest.json"
WIDTH, HEIGHT, FPS = 640, 360, 30
VIDEO_KBPS, AUDIO_KBPS = 500, 32
SAMPLE_RATE = 48000
AUDIO_FRAME_MS = 20
KEYFRAME_FRAMES = 3 * FPS


def file_name(index: int) -> str:
    return f"p{index}.webm"


def video_source(index: int) -> str:
    """A still, detailed background (a Mandelbrot rendering, cropped at a per-participant
    offset) with a moving testsrc2 "person" in front, hue-shifted per participant, with
    sensor-like noise that changes every frame. The fractal's detail survives a 500 kbps
    encode, so whoever decodes and re-encodes these frames has real texture to code."""
    x, y = (index * 83) % 320, (index * 47) % 180
    return (f"mandelbrot=size={WIDTH + 320}x{HEIGHT + 180}:rate={FPS}:maxiter=256"
            ":start_x=-0.7436:start_y=0.1318:start_scale=0.05,"
            f"trim=end_frame=1,loop=loop=-1:size=1,crop={WIDTH}:{HEIGHT}:{x}:{y}[bg];"
            f"testsrc2=size={WIDTH // 2}x{HEIGHT * 2 // 3}:rate={FPS}[fg];"
            f"[bg][fg]overlay=x={WIDTH // 4}+{WIDTH // 10}*sin(1.3*t+{index}):y={HEIGHT // 6}+{HEIGHT // 18}*sin(0.7*t+{index}),"
            f"hue=h={(index * 67) % 360},noise=alls=12:allf=t:all_seed={index + 1}[out0]")


def audio_source(index: int) -> str:
    """A voice-like signal: 8 harmonics of a 110-250 Hz pitch gliding +-5%, plus breath
    noise, shaped into 3-5 syllables a second and gated into phrases with silent pauses."""
    pitch = 110 + (index * 47) % 141
    syllables = 3 + (index * 0.37) % 2
    phrase = 4 + index % 3
    phase = f"{pitch}*(t+0.016*sin(PI*t+{index}))"
    voiced = "+".join(f"sin({2 * k}*PI*{phase})/{k}" for k in range(1, 9))
    gate = f"gt(sin(2*PI*t/{phrase}+{index}),-0.3)"
    envelope = f"pow(abs(sin(PI*{syllables:.2f}*t+{index})),3)"
    expr = f"0.12*{gate}*{envelope}*({voiced}+0.6*(random(0)-0.5))"
    return f"aevalsrc='{expr}':s={SAMPLE_RATE}:c=mono"


def recipe(index: int, seconds: int) -> list[str]:
    """The ffmpeg arguments for participant `index`, without the output file."""
    kbps = f"{VIDEO_KBPS}k"
    return [
        "-f", "lavfi", "-i", video_source(index),
        "-f", "lavfi", "-i", audio_source(index),
        "-t", str(seconds), "-map", "0:v", "-map", "1:a",
        "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-threads", "1",
        "-b:v", kbps, "-minrate", kbps, "-maxrate", kbps, "-bufsize", kbps,
        "-g", str(KEYFRAME_FRAMES), "-auto-alt-ref", "0", "-lag-in-frames", "0",
        "-c:a", "libopus", "-b:a", f"{AUDIO_KBPS}k", "-ar", str(SAMPLE_RATE), "-ac", "1",
        "-frame_duration", str(AUDIO_FRAME_MS), "-application", "voip",
        # Video starts at exactly 0; Opus keeps its pre-skip as a negative first timestamp.
        "-avoid_negative_ts", "disabled", "-f", "webm",
    ]


def check_input(path: Path, seconds: int) -> None:
    """Raises BenchError unless `path` is one participant input of `seconds` seconds."""
    info = probe(path)
    video, audio = info["streams"].get("video"), info["streams"].get("audio")
    problems = []
    if not video or video["codec_name"] != "vp8" or (video["width"], video["height"]) != (WIDTH, HEIGHT):
        problems.append(f"video {video}")
    elif video["packets"] != FPS * seconds:
        problems.append(f"{video['packets']} video frames, expected {FPS * seconds}")
    audio_packets = seconds * 1000 // AUDIO_FRAME_MS
    if not audio or audio["codec_name"] != "opus" or int(audio["sample_rate"]) != SAMPLE_RATE or audio["channels"] != 1:
        problems.append(f"audio {audio}")
    elif audio["packets"] not in (audio_packets, audio_packets + 1):  # +1: Opus pre-skip
        problems.append(f"{audio['packets']} audio frames, expected {audio_packets}")
    if abs(info["duration"] - seconds) > 0.05:
        problems.append(f"duration {info['duration']} s, expected {seconds}")
    if problems:
        raise BenchError(f"{path}: " + "; ".join(problems))


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def generate(path: Path, args: list[str]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    result = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *args, str(tmp)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise BenchError(f"ffmpeg failed making {path.name}:\n{result.stderr.strip()}")
    os.replace(tmp, path)


def ensure_inputs(cache: Path, count: int = 9, seconds: int = 20) -> list[Path]:
    """p0.webm ... p{count-1}.webm in `cache`, generating only what the manifest lacks."""
    if count < 1 or seconds < 1:
        raise BenchError(f"need count >= 1 and seconds >= 1, got {count} and {seconds}")
    require_tool("ffmpeg", "ffmpeg")
    version = first_line(["ffmpeg", "-version"])
    cache.mkdir(parents=True, exist_ok=True)
    manifest_path = cache / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
    files = manifest.get("files", {}) if manifest.get("ffmpeg") == version else {}
    paths = []
    for index in range(count):
        path = cache / file_name(index)
        args = recipe(index, seconds)
        entry = {"seconds": seconds, "recipe": shlex.join(args)}
        paths.append(path)
        if files.get(path.name) == entry and path.is_file():
            continue
        print(f"inputs: generating {path} ({index + 1}/{count}, {seconds} s)", flush=True)
        started = time.monotonic()
        generate(path, args)
        check_input(path, seconds)
        files[path.name] = entry
        write_atomically(manifest_path, json.dumps(
            {"ffmpeg": version, "settings": settings(), "files": files}, indent=1) + "\n")
        print(f"inputs: {path.name} done in {time.monotonic() - started:.1f} s", flush=True)
    print(f"inputs: {count} x {seconds} s up to date in {cache}", flush=True)
    return paths


def settings() -> dict:
    return {"width": WIDTH, "height": HEIGHT, "fps": FPS, "video_kbps": VIDEO_KBPS,
            "audio_kbps": AUDIO_KBPS, "sample_rate": SAMPLE_RATE, "channels": 1,
            "audio_frame_ms": AUDIO_FRAME_MS, "keyframe_interval_frames": KEYFRAME_FRAMES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help=f"default {DEFAULT_CACHE}")
    parser.add_argument("--count", type=int, default=9)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    try:
        ensure_inputs(args.cache, args.count, args.seconds)
    except BenchError as e:
        print(f"inputs: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
