"""Command lines for the room-mixing job as ffmpeg and GStreamer users would write it.

The job, for N participant files: decode every VP8 stream, scale each into its tile of a
grid (2x2 for 4, 3x3 for 9) at the output size, encode the composite once with libvpx VP8
(realtime, CBR, no lag, error resilient, a keyframe at least every 3 s, like Tessera's
encoder); and, with audio, decode every Opus stream, sum them and encode the mix once as
Opus 48 kHz mono voip in 10 ms frames (Tessera's audio tick).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

# The mix's Opus frame: Tessera mixes and encodes audio every 10 ms.
MIX_AUDIO_FRAME_MS = 10

KEYFRAME_SECONDS = 3


@dataclass(frozen=True)
class Job:
    inputs: tuple[Path, ...]
    width: int
    height: int
    fps: int
    bitrate_kbps: int
    cpu_used: int
    audio_kbps: int
    audio: bool
    # Read the inputs at their own pace, as a live room gets them, instead of as fast as
    # the CPU allows (ffmpeg -re, GStreamer's sink synchronised to the clock).
    paced: bool = False

    @property
    def n(self) -> int:
        return len(self.inputs)

    @property
    def keyframe_frames(self) -> int:
        return KEYFRAME_SECONDS * self.fps


def even(value: int) -> int:
    """I420 tiles need even sizes."""
    return value - value % 2


@dataclass(frozen=True)
class Grid:
    columns: int
    rows: int
    tile_width: int
    tile_height: int

    @staticmethod
    def for_job(job: Job) -> "Grid":
        columns = math.ceil(math.sqrt(job.n))
        rows = math.ceil(job.n / columns)
        return Grid(columns, rows, even(job.width // columns), even(job.height // rows))

    def position(self, index: int) -> tuple[int, int]:
        return (index % self.columns) * self.tile_width, (index // self.columns) * self.tile_height


def ffmpeg_command(job: Job, output: Path, one_thread: bool, psnr: bool = False) -> list[str]:
    """xstack + amix; `one_thread` pins decoders, filters and the encoder to one thread each,
    otherwise every thread count is ffmpeg's default. `psnr`: the encoders measure PSNR and
    the last progress line on stderr gives the stream's ("LPSNR=... *:dB")."""
    grid = Grid.for_job(job)
    threads = ["-threads", "1"] if one_thread else []
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-stats" if psnr else "-nostats", "-v", "error", "-y"]
    if one_thread:
        command += ["-filter_threads", "1", "-filter_complex_threads", "1"]
    for path in job.inputs:
        command += [*threads, *(["-re"] if job.paced else []), "-i", str(path)]
    chains = [f"[{i}:v]scale={grid.tile_width}:{grid.tile_height}:flags=bilinear,setsar=1[v{i}]"
              for i in range(job.n)]
    layout = "|".join("{}_{}".format(*grid.position(i)) for i in range(job.n))
    stack = "".join(f"[v{i}]" for i in range(job.n)) + f"xstack=inputs={job.n}:layout={layout}"
    if job.n < grid.columns * grid.rows:
        stack += ":fill=black"
    if (grid.columns * grid.tile_width, grid.rows * grid.tile_height) != (job.width, job.height):
        stack += f",pad={job.width}:{job.height}"
    chains.append(f"{stack},fps={job.fps}:eof_action=pass[v]")
    maps = ["-map", "[v]"]
    if job.audio:
        chains.append("".join(f"[{i}:a]" for i in range(job.n)) + f"amix=inputs={job.n}:normalize=0[a]")
        maps += ["-map", "[a]"]
    kbps = f"{job.bitrate_kbps}k"
    command += [
        "-filter_complex", ";".join(chains), *maps,
        "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", str(job.cpu_used), *threads,
        "-b:v", kbps, "-minrate", kbps, "-maxrate", kbps,
        "-g", str(job.keyframe_frames), "-lag-in-frames", "0", "-auto-alt-ref", "0",
        "-error-resilient", "default",
    ]
    if job.audio:
        command += ["-c:a", "libopus", "-b:a", f"{job.audio_kbps}k", "-ar", "48000", "-ac", "1",
                    "-application", "voip", "-frame_duration", str(MIX_AUDIO_FRAME_MS)]
    return command + [*(["-psnr"] if psnr else []), "-f", "webm", str(output)]


def gstreamer_command(job: Job, output: Path) -> list[str]:
    """compositor + audiomixer, every element at its default thread count; sync=false so
    the pipeline runs as fast as the CPU allows (sync=true when paced). gst-launch takes one token per argument
    (it escapes spaces inside one), so paths stay single tokens."""
    grid = Grid.for_job(job)
    tile = f"video/x-raw,width={grid.tile_width},height={grid.tile_height},pixel-aspect-ratio=1/1"
    inputs: list[str] = []
    pads: list[str] = []
    for i, path in enumerate(job.inputs):
        x, y = grid.position(i)
        pads += [f"sink_{i}::xpos={x}", f"sink_{i}::ypos={y}"]
        inputs += ["filesrc", f"location={path}", "!", "matroskademux", f"name=d{i}",
                   *f"d{i}.video_0 ! queue ! vp8dec ! videoscale add-borders=false ! {tile} ! mix.sink_{i}".split()]
        if job.audio:
            inputs += f"d{i}.audio_0 ! queue ! opusdec ! amix.sink_{i}".split()
    video = ["compositor", "name=mix", "background=black", *pads, *(
        f"! video/x-raw,width={job.width},height={job.height},framerate={job.fps}/1"
        f" ! vp8enc deadline=1 cpu-used={job.cpu_used} end-usage=cbr target-bitrate={job.bitrate_kbps * 1000}"
        f" keyframe-max-dist={job.keyframe_frames} lag-in-frames=0 auto-alt-ref=false error-resilient=default"
        " ! queue ! mux.").split()]
    audio = (f"audiomixer name=amix ! audio/x-raw,rate=48000,channels=1 ! opusenc bitrate={job.audio_kbps * 1000}"
             f" audio-type=voice frame-size={MIX_AUDIO_FRAME_MS} ! queue ! mux.").split() if job.audio else []
    sink = ["webmmux", "name=mux", "!", "filesink", f"location={output}", f"sync={'true' if job.paced else 'false'}"]
    return ["gst-launch-1.0", "-q", *inputs, *video, *audio, *sink]
