"""What the room-mixing job costs when assembled from ffmpeg or GStreamer instead of Tessera.

For each peer (ffmpeg with default threads, ffmpeg with one thread, GStreamer), with and
without audio, runs the job of one room (see peer_commands.py) over the cached inputs as
fast as the CPU allows, `--runs` times, interleaved so load changes hit every peer alike.
Reports CPU seconds (user+sys of the child process) per second of media: "cores".
Every run's output is probed: a pipeline that dropped video frames would look cheap, so
a wrong frame count fails the benchmark.

    python3 Benchmarks/peers.py --inputs DIR --n 4 --width 1280 --height 720 --fps 30 \\
        --bitrate-kbps 1500 --cpu-used 8 --runs 3 --json OUT.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from inputs import DEFAULT_CACHE, file_name
from machine import machine, versions
from peer_commands import MIX_AUDIO_FRAME_MS, Job, ffmpeg_command, gstreamer_command
from probe import BenchError, probe, require_tool

PEERS = ("ffmpeg-default", "ffmpeg-1thread", "gstreamer")
GSTREAMER_ELEMENTS = ("matroskademux", "vp8dec", "videoscale", "compositor", "vp8enc", "opusdec",
                      "audiomixer", "opusenc", "webmmux", "filesink", "queue")
GSTREAMER_PACKAGES = "gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good"
# Issue 7's figures for 4 x 640x360 -> 1280x720, 1.5 Mbps, cpu-used 8, video only.
REFERENCE_VIDEO_CORES = {"ffmpeg-default": 0.78, "ffmpeg-1thread": 0.49, "gstreamer": 0.59}
AUDIO_FRAME_SECONDS = MIX_AUDIO_FRAME_MS / 1000


@dataclass(frozen=True)
class Peer:
    name: str
    threads: str
    command: Callable[[Job, Path], list[str]]
    # Frames past the media's end the peer may encode (see check_output).
    extra_frames: int = 0


def peer(name: str) -> Peer:
    if name == "ffmpeg-default":
        return Peer(name, "ffmpeg defaults (decoders, filters and libvpx: one thread per CPU)",
                    lambda job, out: ffmpeg_command(job, out, one_thread=False))
    if name == "ffmpeg-1thread":
        return Peer(name, "-threads 1 for each decoder and the encoder, -filter_threads 1, -filter_complex_threads 1",
                    lambda job, out: ffmpeg_command(job, out, one_thread=True))
    return Peer(name, "element defaults: vp8dec threads=0, vp8enc threads=0 (libvpx: one thread), "
                      "compositor max-threads=0 (auto), one streaming thread per queue", gstreamer_command,
                extra_frames=1)


def check_gstreamer() -> None:
    require_tool("gst-launch-1.0", "gstreamer1.0-tools")
    missing = [e for e in GSTREAMER_ELEMENTS
               if subprocess.run(["gst-inspect-1.0", "--exists", e]).returncode != 0]
    if missing:
        raise BenchError(f"GStreamer elements missing: {', '.join(missing)}; install {GSTREAMER_PACKAGES}")


def load_inputs(directory: Path, n: int) -> tuple[tuple[Path, ...], int, float]:
    """The first n inputs, their common video frame count and frame rate."""
    paths = tuple(directory / file_name(i) for i in range(n))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise BenchError(f"missing inputs {', '.join(missing)}; "
                         f"make them with: python3 Benchmarks/inputs.py --cache {directory} --count {n}")
    counts = set()
    rates = set()
    for path in paths:
        streams = probe(path)["streams"]
        if streams.get("video", {}).get("codec_name") != "vp8" or streams.get("audio", {}).get("codec_name") != "opus":
            raise BenchError(f"{path}: expected VP8 video and Opus audio, found {streams}")
        counts.add(streams["video"]["packets"])
        rates.add(streams["video"]["avg_frame_rate"])
    if len(counts) != 1 or len(rates) != 1:
        raise BenchError(f"inputs differ in length or frame rate: {sorted(counts)} frames, {sorted(rates)}")
    num, den = rates.pop().split("/")
    return paths, counts.pop(), int(num) / int(den)


def run_once(command: list[str]) -> tuple[float, float, str]:
    """Runs `command` to completion: its CPU seconds (user+sys, waited-for children only),
    wall seconds and standard error."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise BenchError(f"exit status {result.returncode} from\n{shlex.join(command)}\n{result.stderr.strip()[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, result.stderr


def check_output(output: Path, job: Job, frames: int, extra_frames: int, media_seconds: float) -> tuple[int, int | None]:
    """The output's video and audio frame counts; BenchError unless the video has `frames`
    frames (up to `extra_frames` more) and the audio, if any, is Opus covering the media.
    GStreamer's compositor legitimately adds one frame: Matroska keeps millisecond
    timestamps, so the last input frame (19.967 s + 33.3 ms) ends 0.3 ms after the media."""
    streams = probe(output)["streams"]
    video, audio = streams.get("video"), streams.get("audio")
    if not video or video["codec_name"] != "vp8" or (video["width"], video["height"]) != (job.width, job.height):
        raise BenchError(f"{output}: no {job.width}x{job.height} VP8 video: {streams}")
    if not frames <= video["packets"] <= frames + extra_frames:
        raise BenchError(f"{output}: {video['packets']} video frames encoded, expected {frames}")
    if not job.audio:
        if audio:
            raise BenchError(f"{output}: audio in a video-only run")
        return video["packets"], None
    audio_frames = round(media_seconds / AUDIO_FRAME_SECONDS)
    if not audio or audio["codec_name"] != "opus" or audio["channels"] != 1 or int(audio["sample_rate"]) != 48000:
        raise BenchError(f"{output}: no 48 kHz mono Opus audio: {streams}")
    if not audio_frames <= audio["packets"] <= audio_frames + 2:
        raise BenchError(f"{output}: {audio['packets']} audio frames encoded, expected {audio_frames}")
    return video["packets"], audio["packets"]


def measure(peers: list[Peer], jobs: list[Job], frames: int, media_seconds: float, runs: int,
            scratch: Path) -> list[dict]:
    """Every (peer, job) `runs` times, round-robin; one result per (peer, job)."""
    results: dict[tuple[str, bool], dict] = {}
    for run in range(1, runs + 1):
        for job in jobs:
            for p in peers:
                output = scratch / f"{p.name}-{'av' if job.audio else 'video'}.webm"
                command = p.command(job, output)
                try:
                    cpu, wall, _ = run_once(command)
                    video_frames, audio_frames = check_output(output, job, frames, p.extra_frames, media_seconds)
                except BenchError as e:
                    raise BenchError(f"{p.name} ({'with' if job.audio else 'without'} audio), run {run}: {e}") from None
                output.unlink()
                cores = cpu / media_seconds
                print(f"peers: {p.name:15} {'audio+video' if job.audio else 'video only':11} run {run}/{runs}: "
                      f"{cores:.3f} cores ({cpu:.1f} s CPU, {wall:.1f} s wall, {video_frames} frames, "
                      f"load {os.getloadavg()[0]:.1f})", flush=True)
                entry = results.setdefault((p.name, job.audio), {
                    "name": p.name, "audio": job.audio, "n": job.n, "width": job.width, "height": job.height,
                    "fps": job.fps, "bitrate_kbps": job.bitrate_kbps, "cpu_used": job.cpu_used, "paced": job.paced,
                    "cores_runs": [], "cpu_seconds_runs": [], "wall_seconds_runs": [], "load_average_runs": [],
                    "frames": video_frames, "expected_frames": frames, "audio_frames": audio_frames,
                    "media_seconds": media_seconds, "threads": p.threads, "command": shlex.join(command)})
                entry["cores_runs"].append(round(cores, 4))
                entry["cpu_seconds_runs"].append(round(cpu, 3))
                entry["wall_seconds_runs"].append(round(wall, 3))
                entry["load_average_runs"].append(round(os.getloadavg()[0], 2))
    for entry in results.values():
        entry["cores_median"] = round(statistics.median(entry["cores_runs"]), 4)
        entry["wall_seconds_median"] = round(statistics.median(entry["wall_seconds_runs"]), 3)
    return list(results.values())


def summary(results: list[dict], reference: bool) -> str:
    lines = [f"{'peer':15} {'audio':5} {'cores':>6} {'wall s':>7}" + ("  issue 7 (video only)" if reference else "")]
    for r in results:
        line = f"{r['name']:15} {'yes' if r['audio'] else 'no':5} {r['cores_median']:6.3f} {r['wall_seconds_median']:7.1f}"
        if reference and not r["audio"]:
            line += f"  {REFERENCE_VIDEO_CORES[r['name']]:.2f}"
        lines.append(line)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=Path, default=DEFAULT_CACHE, help=f"default {DEFAULT_CACHE}")
    parser.add_argument("--n", type=int, default=4, help="participants (>= 2)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--bitrate-kbps", type=int, default=1500)
    parser.add_argument("--cpu-used", type=int, default=8)
    parser.add_argument("--audio-kbps", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peers", default=",".join(PEERS), help=f"comma-separated subset of {','.join(PEERS)}")
    parser.add_argument("--paced", action="store_true",
                        help="read the inputs at their own pace, as a live room does (the audio+video job only)")
    parser.add_argument("--json", type=Path, required=True, help="where to write the results")
    args = parser.parse_args()
    try:
        names = args.peers.split(",")
        unknown = set(names) - set(PEERS)
        if unknown or args.n < 2 or args.runs < 1:
            raise BenchError(f"bad arguments: peers {sorted(unknown)} unknown, or n < 2, or runs < 1")
        require_tool("ffmpeg", "ffmpeg")
        if "gstreamer" in names:
            check_gstreamer()
        paths, input_frames, input_fps = load_inputs(args.inputs, args.n)
        start = machine()
        if start["load_average_1m_at_start"] > 0.5 * start["cores"]:
            print(f"peers: warning: load average {start['load_average_1m_at_start']} on {start['cores']} cores: "
                  "CPU seconds grow on a busy machine, most for ffmpeg-default (libvpx's threads spin-wait)",
                  flush=True)
        jobs = [Job(paths, args.width, args.height, args.fps, args.bitrate_kbps, args.cpu_used, args.audio_kbps, audio,
                    args.paced)
                for audio in ((True,) if args.paced else (True, False))]
        frames = round(input_frames * args.fps / input_fps)
        with tempfile.TemporaryDirectory(prefix="tessera-peers-") as scratch:
            results = measure([peer(name) for name in names], jobs, frames, input_frames / input_fps,
                              args.runs, Path(scratch))
    except BenchError as e:
        print(f"peers: error: {e}", file=sys.stderr)
        return 1
    settings = {"n": args.n, "width": args.width, "height": args.height, "fps": args.fps,
                "bitrate_kbps": args.bitrate_kbps, "cpu_used": args.cpu_used, "audio_kbps": args.audio_kbps,
                "runs": args.runs, "paced": args.paced, "inputs": str(args.inputs), "input_frames": input_frames, "input_fps": input_fps,
                "video": "VP8 CBR realtime, lag 0, no alt-ref, error resilient, keyframe every 3 s; bilinear scaling",
                "audio": f"Opus 48 kHz mono voip {MIX_AUDIO_FRAME_MS} ms, encoder default complexity; inputs summed (amix normalize=0)",
                "cores": "CPU seconds (user+sys) per second of input media processed"}
    report = {"machine": {**start, "load_average_1m_at_end": round(os.getloadavg()[0], 2)},
              "versions": versions(), "settings": settings, "results": results}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1) + "\n")
    reference = (args.n, args.width, args.height, args.bitrate_kbps, args.cpu_used) == (4, 1280, 720, 1500, 8)
    print(summary(results, reference))
    print(f"peers: results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
