"""An aiortc WHIP/WHEP client that sends known media and measures the room mix it gets back.

Run as a subprocess by test_mixer.py (and test_mix_client.py, which runs it with
--loopback against a second in-process aiortc peer instead of a server).

Sends (WHIP, sendrecv), both tracks paced against ONE shared clock so that video frame n
(RTP pts n*3000 at 90 kHz) and audio sample k (pts k at 48 kHz) belong to the same wall
instant when n/30 == k/48000:
  - video: --size WxH at 30 fps, a solid --colour R,G,B; --video-stop-after S: no frame
    after S seconds of media time (recv() never returns again: a stalled camera);
  - audio: 48 kHz mono s16, 20 ms frames, a --tone HZ sine of amplitude --tone-amplitude
    (0 Hz: silence);
  - --flash-period S: instead, black video with a white run of --flash-ms every S seconds
    and silent audio with a --beep-hz beep of the same length starting at exactly the
    same media instants (S * k for k >= 1; S must be a multiple of 0.1 s, so every flash
    falls on a video frame and on a 20 ms audio frame boundary).
--mode whep: receives only.

Receives and records every decoded frame: video pts (RTP, 90 kHz), arrival wall time, size,
mean luma and coverage of each --expect-colour; audio samples (first channel) placed by pts.
Also records the RTCP sender reports aiortc's receivers get (RTCRtpReceiver.
_handle_rtcp_packet is wrapped), which map each stream's RTP time onto the server's NTP
clock: the only thing relating the audio and video RTP bases, so the only honest way to
measure the lip-sync of what the server sends.

What this relies on in aiortc 1.16.0 (pinned in requirements.txt), read from its source:
  - rtcrtpreceiver.py: a decoded frame's pts is its RTP timestamp minus the first RTP
    timestamp that receiver saw (TimestampMapper; the origin moves by -2**32 on a wrap, so
    (pts + mapper._origin) mod 2**32 is the RTP timestamp again); SRs reach the receiver
    whose ssrc_table has the SR's SSRC (after that SSRC's first RTP packet).
  - codecs/vpx.py, codecs/opus.py: the decoders set packet.pts = that timestamp and
    libavcodec hands it to the frame (checked: VP8 and Opus output frames keep it; Opus
    output is 48 kHz s16 stereo, 960 samples per 20 ms packet).
  - rtcrtpsender.py (our own sending side): RTP timestamp = random origin + frame pts for
    VP8; for Opus, origin + (packet pts - first packet pts); the SR pairs the RTP timestamp
    of the last packet sent with the wall clock when it was sent. Pacing both tracks on one
    clock therefore gives SRs that agree up to encode time (VP8 640x360: ~2 ms).
  - libopus delays its output by its 312-sample (6.5 ms) lookahead and RTP does not signal
    it: a beep decodes about 6.5 ms after its RTP instant per Opus encode (ours, and the
    server's re-encode unless it compensates). Nothing here corrects for that.

  - rtp.py: RtcpSdesPacket.parse does not realign chunks to 32 bits, so a multi-chunk
    SDES makes it drop the whole compound packet, SRs included. The server therefore
    sends one single-chunk SDES per SSRC; `lipsync.srCount` shows the SRs arrive.

Stays until stdin closes or --seconds pass (after connecting; a test that wants --seconds
to decide must keep stdin open, e.g. a pipe), then DELETEs its session and prints ONE JSON
line. Prints {"event": "connected", "location", "participantId"} first (and {"event":
"videoStopped", "at"} when --video-stop-after fires). Final fields:
  session   mode, status, states, location, participantId, connected, answerCodecs {kind:
            [codec, ...]}, stdinClosed, receivedFor, deleteStatus, elapsed, cpuSeconds, errors
  RTP       packetsSent, packetsReceived, packetsLost, inboundStreams [{kind, ssrc,
            packetsReceived, packetsLost}], tracks
  video     videoFramesDecoded, videoFrameSizes {"WxH": n}, firstVideoFrameSize, fps (by
            arrival, first to last frame), ptsFps, minFpsPerSecond (fewest frames arriving
            in any 1 s window), firstFrameAt, lastFrameAt (unix s), frameGaps {count,
            median, max, nominal (1/30 s), over1_5, over2, nonIncreasing, maxAt},
            colourCoverage {"R,G,B": median fraction of blocks over the last --keep-frames},
            lastFrameColours [[[r, g, b], fraction], ...], colourTimeline {"R,G,B":
            [[unix t, fraction], ...]} (with --colour-timeline)
  audio     audioFramesDecoded, audioSamplesDecoded, audioFormats {"48000Hz/2ch/s16": n},
            audioSeconds, analysedSeconds, audioLevelDb, toneLevelsDb {"HZ": dB} (10*log10
            of the tone's mean square, full scale sine = -3 dB)
  lipsync   (with --measure-lipsync) srCount {video, audio}, srSsrcs, srJitterMs, flashes,
            beeps, offsetsMs [beep - flash on the server's NTP clock], medianOffsetMs,
            medianAbsOffsetMs, arrivalOffsetsMs (local arrival, diagnosis only), error
  sent      clockStart, videoFrames, audioFrames, flashes, videoStoppedAt (unix s)
"""

from __future__ import annotations

import argparse
import array
import asyncio
import fractions
import json
import logging
import math
import re
import resource
import sys
import time
from collections import Counter, deque

import av
from aiortc import RTCPeerConnection, RTCRtpReceiver
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtp import RtcpSrPacket

import whip_session
from media_analysis import (
    beep_onsets,
    flash_onsets,
    frame_gaps,
    median,
    ntp_to_seconds,
    packed_pixels,
    pair_offsets,
    parse_colour,
    pixel_colours,
    pixel_luma,
    pixel_share,
    rms_db,
    rtp_to_ntp,
    sr_jitter,
    tone_levels_db,
)

AUDIO_RATE = 48000
AUDIO_FRAME = 960  # 20 ms
VIDEO_CLOCK = 90000
FPS = 30

# --------------------------------------------------------------------------- sending


class SharedClock:
    """The one media epoch both sending tracks pace against (set by the first recv)."""

    def __init__(self) -> None:
        self.start: float | None = None

    def begin(self) -> float:
        if self.start is None:
            self.start = time.time()
        return self.start


class PacedTrack(MediaStreamTrack):
    """Frame `index` is due at clock.start + index * period. A track first polled after the
    epoch starts at the next due index (it does not burst to catch up), so every frame is
    handed to aiortc's sender at its own media instant."""

    period = 0.0

    def __init__(self, clock: SharedClock) -> None:
        super().__init__()
        self.clock = clock
        self.index: int | None = None
        self.frames = 0

    async def next_index(self) -> int:
        if self.readyState != "live":
            raise MediaStreamError
        start = self.clock.begin()
        if self.index is None:
            self.index = max(0, math.ceil((time.time() - start) / self.period - 1e-6))
        else:
            self.index += 1
        wait = start + self.index * self.period - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        self.frames += 1
        return self.index


def solid_planes(width: int, height: int, rgb: tuple[int, int, int]) -> list[bytes]:
    """The yuv420p planes (as av lays them out) of a picture of one colour."""
    frame = av.VideoFrame(width, height, "rgb24")
    plane = frame.planes[0]
    row = bytes(rgb) * width + bytes(plane.line_size - width * 3)
    plane.update(row * height)
    return [bytes(p) for p in frame.reformat(format="yuv420p").planes]


class SyntheticVideo(PacedTrack):
    kind = "video"
    period = 1 / FPS

    def __init__(self, clock: SharedClock, args: argparse.Namespace) -> None:
        super().__init__(clock)
        self.width, self.height = args.width, args.height
        self.flash_period = args.flash_period
        self.flash_frames = max(1, round(args.flash_ms / 1000 * FPS))
        self.stop_after = args.video_stop_after
        self.stopped_at: float | None = None
        if self.flash_period:
            self.dark = solid_planes(self.width, self.height, (0, 0, 0))
            self.bright = solid_planes(self.width, self.height, (255, 255, 255))
        else:
            self.dark = self.bright = solid_planes(self.width, self.height, args.colour)
        self.flashes = 0

    async def recv(self) -> av.VideoFrame:
        index = await self.next_index()
        if self.stop_after is not None and index >= self.stop_after * FPS:
            if self.stopped_at is None:
                self.stopped_at = time.time()
                print(json.dumps({"event": "videoStopped", "at": self.stopped_at}), flush=True)
            self.frames -= 1
            await asyncio.Future()  # a stalled camera: never another frame
        planes = self.dark
        if self.flash_period:
            every = round(self.flash_period * FPS)
            if index >= every and index % every < self.flash_frames:
                planes = self.bright
                self.flashes += index % every == 0
        frame = av.VideoFrame(self.width, self.height, "yuv420p")
        for plane, data in zip(frame.planes, planes):
            plane.update(data)
        frame.pts = index * (VIDEO_CLOCK // FPS)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        return frame


class SyntheticAudio(PacedTrack):
    kind = "audio"
    period = AUDIO_FRAME / AUDIO_RATE

    def __init__(self, clock: SharedClock, args: argparse.Namespace) -> None:
        super().__init__(clock)
        self.flash_period = args.flash_period
        amplitude = round(args.tone_amplitude * 32767)
        if self.flash_period:
            # One period: a beep of --flash-ms at its start, then silence.
            self.cycle = round(self.flash_period * AUDIO_RATE)
            beep = round(args.flash_ms / 1000 * AUDIO_RATE)
            table = [0] * self.cycle
            for i in range(beep):
                table[i] = round(amplitude * math.sin(2 * math.pi * args.beep_hz * i / AUDIO_RATE))
        elif args.tone and float(args.tone).is_integer():
            # An integer frequency repeats exactly every second (a multiple of 20 ms).
            self.cycle = AUDIO_RATE
            table = [round(amplitude * math.sin(2 * math.pi * args.tone * i / AUDIO_RATE)) for i in range(self.cycle)]
        else:
            self.cycle = AUDIO_FRAME
            table = [0] * self.cycle
            if args.tone:
                raise SystemExit("--tone must be a whole number of Hz")
        self.table = array.array("h", table).tobytes()

    async def recv(self) -> av.AudioFrame:
        index = await self.next_index()
        first = index * AUDIO_FRAME
        if self.flash_period and first < self.cycle:
            data = bytes(AUDIO_FRAME * 2)  # no beep at media time 0, like no flash
        else:
            offset = (first % self.cycle) * 2
            data = self.table[offset : offset + AUDIO_FRAME * 2]
        frame = av.AudioFrame(format="s16", layout="mono", samples=AUDIO_FRAME)
        frame.planes[0].update(data)
        frame.pts = first
        frame.sample_rate = AUDIO_RATE
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        return frame


# --------------------------------------------------------------------------- receiving

SENDER_REPORTS: list[dict] = []


def capture_sender_reports() -> None:
    """Wraps RTCRtpReceiver._handle_rtcp_packet (aiortc 1.16.0) to keep every RTCP SR a
    receiver gets: which receiver, SSRC, NTP and RTP timestamps, local arrival time."""
    if getattr(RTCRtpReceiver, "_mix_client_wrapped", False):
        return
    original = RTCRtpReceiver._handle_rtcp_packet

    async def handle(self: RTCRtpReceiver, packet) -> None:  # type: ignore[no-untyped-def]
        if isinstance(packet, RtcpSrPacket):
            SENDER_REPORTS.append(
                {
                    "receiver": self,
                    "ssrc": packet.ssrc,
                    "ntp": packet.sender_info.ntp_timestamp,
                    "rtp": packet.sender_info.rtp_timestamp,
                    "arrival": time.time(),
                }
            )
        await original(self, packet)

    RTCRtpReceiver._handle_rtcp_packet = handle  # type: ignore[method-assign]
    RTCRtpReceiver._mix_client_wrapped = True  # type: ignore[attr-defined]


def rtp_origin(receiver: RTCRtpReceiver | None) -> int | None:
    """The RTP timestamp a decoded frame's pts is relative to (aiortc 1.16.0 internals)."""
    mapper = getattr(receiver, "_RTCRtpReceiver__timestamp_mapper", None)
    origin = getattr(mapper, "_origin", None)
    return None if origin is None else origin & 0xFFFFFFFF


class Recorder:
    """Everything decoded, for `report`."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.block = args.block
        self.tolerance = args.colour_tolerance
        self.expect = [(text, parse_colour(text)) for text in args.expect_colour]
        self.tracks: list[str] = []
        self.receivers: dict[str, RTCRtpReceiver] = {}
        # video: one dict per decoded frame
        self.video: list[dict] = []
        self.last_blocks: deque[bytes] = deque(maxlen=args.keep_frames)  # packed rgb24
        self.video_sizes: Counter[str] = Counter()
        # audio: (pts, arrival, mono int16 samples) per decoded frame
        self.audio: list[tuple[int, float, array.array]] = []
        self.audio_formats: Counter[str] = Counter()
        self.audio_rate = AUDIO_RATE
        self.errors: list[str] = []
        # Set when the receive window ends: what arrives later (while other clients are
        # already leaving) is not measured.
        self.frozen = False

    def add_video(self, frame: av.VideoFrame) -> None:
        if self.frozen:
            return
        now = time.time()
        cols = max(1, round(frame.width / self.block))
        rows = max(1, round(frame.height / self.block))
        # libswscale's area filter averages each block into one pixel of a tiny picture,
        # measured at C speed (pixel_share), so a client decoding 30 fps leaves the CPU to
        # the server it measures.
        small = frame.reformat(width=cols, height=rows, format="rgb24", interpolation="AREA")
        plane = small.planes[0]
        pixels = packed_pixels(bytes(plane), cols, rows, stride=plane.line_size)
        size = f"{frame.width}x{frame.height}"
        self.video_sizes[size] += 1
        self.last_blocks.append(pixels)
        self.video.append(
            {
                "pts": frame.pts,
                "t": now,
                "size": size,
                "luma": pixel_luma(pixels),
                "coverage": {text: pixel_share(pixels, rgb, self.tolerance) for text, rgb in self.expect},
            }
        )

    def add_audio(self, frame: av.AudioFrame) -> None:
        if self.frozen:
            return
        channels = len(frame.layout.channels)
        name = frame.format.name
        self.audio_formats[f"{frame.sample_rate}Hz/{channels}ch/{name}"] += 1
        self.audio_rate = frame.sample_rate
        if name == "s16":
            samples = array.array("h")
            samples.frombytes(bytes(frame.planes[0])[: frame.samples * channels * 2])
            mono = samples[0::channels] if channels > 1 else samples
        elif name == "s16p":
            mono = array.array("h")
            mono.frombytes(bytes(frame.planes[0])[: frame.samples * 2])
        else:
            resampled = av.AudioResampler(format="s16", layout="mono", rate=frame.sample_rate).resample(frame)
            mono = array.array("h")
            for part in resampled:
                mono.frombytes(bytes(part.planes[0])[: part.samples * 2])
        self.audio.append((frame.pts, time.time(), mono))

    async def consume(self, track: MediaStreamTrack) -> None:
        self.tracks.append(track.kind)
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            try:
                if isinstance(frame, av.VideoFrame):
                    self.add_video(frame)
                elif isinstance(frame, av.AudioFrame):
                    self.add_audio(frame)
            except Exception as error:  # keep receiving; report what went wrong
                if len(self.errors) < 5:
                    self.errors.append(f"{type(error).__name__}: {error}")

    def audio_buffer(self) -> tuple[int | None, list[float]]:
        """(pts of the first sample, samples as floats), placed by pts, holes as silence."""
        if not self.audio:
            return None, []
        base = min(pts for pts, _, _ in self.audio)
        end = max(pts + len(s) for pts, _, s in self.audio)
        buffer = array.array("h", bytes(2 * (end - base)))
        for pts, _, samples in self.audio:
            buffer[pts - base : pts - base + len(samples)] = samples
        return base, [x / 32768 for x in buffer]


# --------------------------------------------------------------------------- analysis


def srs_for(kind: str, recorder: Recorder) -> tuple[list[tuple[float, int]], list[int]]:
    """The (ntp seconds, rtp) reports of the stream decoded on `kind`, and every SSRC that
    sent reports to that receiver. With several, the most reported SSRC is used."""
    receiver = recorder.receivers.get(kind)
    reports = [r for r in SENDER_REPORTS if r["receiver"] is receiver]
    ssrcs = Counter(r["ssrc"] for r in reports)
    if not ssrcs:
        return [], []
    main = ssrcs.most_common(1)[0][0]
    return [(ntp_to_seconds(r["ntp"]), r["rtp"]) for r in reports if r["ssrc"] == main], sorted(ssrcs)


def lipsync(recorder: Recorder, args: argparse.Namespace) -> dict:
    """Flash (video) and beep (audio) onsets on the sender's NTP clock, paired."""
    out: dict = {}
    video_srs, video_ssrcs = srs_for("video", recorder)
    audio_srs, audio_ssrcs = srs_for("audio", recorder)
    out["srCount"] = {"video": len(video_srs), "audio": len(audio_srs)}
    out["srSsrcs"] = {"video": video_ssrcs, "audio": audio_ssrcs}
    jitter = {"video": sr_jitter(video_srs, VIDEO_CLOCK), "audio": sr_jitter(audio_srs, recorder.audio_rate)}
    out["srJitterMs"] = {k: None if v is None else round(v * 1000, 2) for k, v in jitter.items()}
    video_origin = rtp_origin(recorder.receivers.get("video"))
    audio_origin = rtp_origin(recorder.receivers.get("audio"))
    if not video_srs or not audio_srs or video_origin is None or audio_origin is None:
        out["error"] = "no sender reports or no media on one of the streams"
        return out
    frames = recorder.video
    times = [rtp_to_ntp((f["pts"] + video_origin) & 0xFFFFFFFF, video_srs, VIDEO_CLOCK) for f in frames]
    lumas = [f["luma"] for f in frames]
    flashes = flash_onsets(times, lumas)
    flash_arrivals = flash_onsets([f["t"] for f in frames], lumas)
    rate = recorder.audio_rate
    base, samples = recorder.audio_buffer()
    beeps_local = beep_onsets(samples, rate, 0.0, args.beep_hz)
    beeps = []
    beep_arrivals = []
    for onset in beeps_local:
        position = onset * rate
        whole = math.floor(position)
        rtp = (base + whole + audio_origin) & 0xFFFFFFFF
        beeps.append(rtp_to_ntp(rtp, audio_srs, rate) + (position - whole) / rate)
        # Arrival: when the decoded frame holding the onset came out of aiortc.
        pts = base + whole
        holder = next(((p, t) for p, t, s in recorder.audio if p <= pts < p + len(s)), None)
        if holder:
            beep_arrivals.append(holder[1] + (pts - holder[0]) / rate)
    max_gap = (args.flash_period or 1.0) / 2
    offsets = pair_offsets(flashes, beeps, max_gap)
    arrival_offsets = pair_offsets(flash_arrivals, beep_arrivals, max_gap)
    out["flashes"] = len(flashes)
    out["beeps"] = len(beeps)
    out["offsetsMs"] = [round(o * 1000, 2) for o in offsets]
    out["medianOffsetMs"] = None if not offsets else round(median(offsets) * 1000, 2)
    out["medianAbsOffsetMs"] = None if not offsets else round(median(abs(o) for o in offsets) * 1000, 2)
    # Rough, for diagnosis only: wall-clock arrival of the decoded frames (includes
    # aiortc's jitter buffers, which are not synchronised with each other).
    out["arrivalOffsetsMs"] = [round(o * 1000, 1) for o in arrival_offsets]
    return out


def dominant_colours(blocks: list, count: int = 5) -> list:
    """The most common block colours (quantised to 32 levels), with their fractions."""
    if not blocks:
        return []
    quantised = Counter(tuple(min(255, int(round(c / 32) * 32)) for c in b) for b in blocks)
    return [[list(colour), round(n / len(blocks), 3)] for colour, n in quantised.most_common(count)]


def video_report(recorder: Recorder, args: argparse.Namespace) -> dict:
    frames = recorder.video
    out: dict = {
        "videoFramesDecoded": len(frames),
        "videoFrameSizes": dict(recorder.video_sizes),
        "firstVideoFrameSize": frames[0]["size"] if frames else None,
    }
    if len(frames) >= 2:
        span = frames[-1]["t"] - frames[0]["t"]
        pts_span = (frames[-1]["pts"] - frames[0]["pts"]) / VIDEO_CLOCK
        out["fps"] = round((len(frames) - 1) / span, 2) if span > 0 else None
        out["ptsFps"] = round((len(frames) - 1) / pts_span, 2) if pts_span > 0 else None
        # The worst whole second of arrivals (a stall shows here even if the mean is fine).
        per_second = []
        t = frames[0]["t"]
        while t + 1.0 <= frames[-1]["t"]:
            per_second.append(sum(1 for f in frames if t <= f["t"] < t + 1.0))
            t += 0.5
        out["minFpsPerSecond"] = min(per_second) if per_second else None
        out["firstFrameAt"] = round(frames[0]["t"], 3)
        out["lastFrameAt"] = round(frames[-1]["t"], 3)
    else:
        out["fps"] = out["ptsFps"] = out["minFpsPerSecond"] = None
    gaps = frame_gaps([f["pts"] for f in frames], VIDEO_CLOCK, nominal=1 / FPS)
    intervals = gaps.pop("intervals")
    if intervals:
        worst = max(range(len(intervals)), key=lambda i: intervals[i])
        gaps["maxAt"] = round(frames[worst + 1]["t"], 3)
    for key in ("median", "max", "nominal"):
        if gaps[key] is not None:
            gaps[key] = round(gaps[key], 4)
    out["frameGaps"] = gaps
    coverage = {}
    for text, _ in recorder.expect:
        recent = [f["coverage"][text] for f in frames[-args.keep_frames :]]
        coverage[text] = round(median(recent), 4) if recent else 0.0
    out["colourCoverage"] = coverage
    out["lastFrameColours"] = dominant_colours(pixel_colours(recorder.last_blocks[-1]) if recorder.last_blocks else [])
    if args.colour_timeline:
        out["colourTimeline"] = {
            text: [[round(f["t"], 3), round(f["coverage"][text], 3)] for f in frames] for text, _ in recorder.expect
        }
    return out


def audio_report(recorder: Recorder, args: argparse.Namespace) -> dict:
    out: dict = {
        "audioFramesDecoded": len(recorder.audio),
        "audioSamplesDecoded": sum(len(s) for _, _, s in recorder.audio),
        "audioFormats": dict(recorder.audio_formats),
    }
    _, samples = recorder.audio_buffer()
    rate = recorder.audio_rate
    out["audioSeconds"] = round(len(samples) / rate, 3)
    window = samples[-int(args.analyse_seconds * rate) :] if samples else []
    out["analysedSeconds"] = round(len(window) / rate, 3)
    out["audioLevelDb"] = round(rms_db(window), 2)
    levels = tone_levels_db(window, rate, args.expect_tone) if window else {}
    out["toneLevelsDb"] = {f"{freq:g}": round(level, 2) for freq, level in levels.items()}
    return out


def answer_codecs(sdp: str) -> dict:
    """{kind: ["opus/48000/2", ...]} in each m-section's order (the first is the one sent)."""
    codecs: dict[str, list[str]] = {}
    kind = None
    order: list[str] = []
    maps: dict[str, str] = {}

    def flush() -> None:
        if kind:
            codecs.setdefault(kind, []).extend(maps[pt] for pt in order if pt in maps)

    for line in sdp.splitlines():
        if line.startswith("m="):
            flush()
            parts = line[2:].split()
            kind, order, maps = parts[0], parts[3:], {}
        elif line.startswith("a=rtpmap:") and kind:
            pt, name = line[len("a=rtpmap:") :].split(" ", 1)
            maps[pt] = name.strip()
    flush()
    return codecs


async def report(pc: RTCPeerConnection, recorder: Recorder, args: argparse.Namespace, senders: dict) -> dict:
    """The measurements, as the final JSON line's fields."""
    out: dict = {}
    stats = await pc.getStats()
    out["packetsSent"] = sum(s.packetsSent for s in stats.values() if s.type == "outbound-rtp")
    inbound = [s for s in stats.values() if s.type == "inbound-rtp"]
    out["packetsReceived"] = sum(s.packetsReceived for s in inbound)
    out["packetsLost"] = sum(s.packetsLost for s in inbound)
    out["inboundStreams"] = [
        {"kind": s.kind, "ssrc": s.ssrc, "packetsReceived": s.packetsReceived, "packetsLost": s.packetsLost}
        for s in inbound
    ]
    out["tracks"] = recorder.tracks
    out.update(video_report(recorder, args))
    out.update(audio_report(recorder, args))
    if args.measure_lipsync:
        out["lipsync"] = lipsync(recorder, args)
    video, audio = senders.get("video"), senders.get("audio")
    out["sent"] = {
        "clockStart": None if not video and not audio else (video or audio).clock.start,
        "videoFrames": video.frames if video else 0,
        "audioFrames": audio.frames if audio else 0,
        "flashes": video.flashes if video else 0,
        "videoStoppedAt": video.stopped_at if video else None,
    }
    out["errors"] = recorder.errors
    return out


# --------------------------------------------------------------------------- running


def dump_frames(recorder: Recorder, path: str) -> None:
    """Debugging aid: one JSON line per decoded video frame (pts, arrival, size, luma,
    coverage) and per decoded audio frame (pts, arrival, samples, peak)."""
    with open(path, "w") as out:
        for f in recorder.video:
            out.write(json.dumps({"kind": "video", **f}) + "\n")
        for pts, t, samples in recorder.audio:
            peak = max((abs(x) for x in samples), default=0) / 32768
            out.write(json.dumps({"kind": "audio", "pts": pts, "t": t, "samples": len(samples), "peak": round(peak, 4)}) + "\n")


def make_peer(args: argparse.Namespace, recorder: Recorder, tasks: list, send: bool) -> tuple[RTCPeerConnection, dict]:
    pc = RTCPeerConnection()
    senders: dict = {}

    @pc.on("track")
    def on_track(track: MediaStreamTrack) -> None:
        for receiver in pc.getReceivers():
            if receiver.track is track:
                recorder.receivers[track.kind] = receiver
        tasks.append(asyncio.ensure_future(recorder.consume(track)))

    if send:
        clock = SharedClock()
        senders["audio"] = SyntheticAudio(clock, args)
        senders["video"] = SyntheticVideo(clock, args)
        pc.addTransceiver(senders["audio"], direction="sendrecv")
        pc.addTransceiver(senders["video"], direction="sendrecv")
    else:
        pc.addTransceiver("audio", direction="recvonly")
        pc.addTransceiver("video", direction="recvonly")
    return pc, senders


async def run(args: argparse.Namespace) -> dict:
    capture_sender_reports()
    recorder = Recorder(args)
    tasks: list[asyncio.Task] = []
    pc, senders = make_peer(args, recorder, tasks, send=args.mode == "whip")
    session = whip_session.WhipSession.from_args(args)
    result: dict = {"mode": args.mode}
    answers: list[str] = []

    def keep_answer(sdp: str) -> str:
        answers.append(sdp)
        return whip_session.reroute(sdp, args.candidate_port) if args.candidate_port else sdp

    if not await whip_session.connect(pc, session, result, args.connect_timeout, answer_transform=keep_answer):
        if result.get("status") == 201:
            result["deleteStatus"] = session.delete()
            await pc.close()
        return result
    result["answerCodecs"] = answer_codecs(answers[0])
    started = time.monotonic()
    result["stdinClosed"] = await whip_session.wait_stdin_or(args.seconds)
    recorder.frozen = True
    result["receivedFor"] = round(time.monotonic() - started, 2)
    result.update(await report(pc, recorder, args, senders))
    for task in tasks:
        task.cancel()
    if args.dump_frames:
        dump_frames(recorder, args.dump_frames)
    result["deleteStatus"] = session.delete()
    await pc.close()
    return result


async def run_loopback(args: argparse.Namespace) -> dict:
    """No server: a second in-process aiortc peer sends the synthetic media straight to the
    recording peer. Checks the client's own sending, recording and analysis (including SR
    capture and lip-sync) through aiortc's real RTP stack."""
    capture_sender_reports()
    recorder = Recorder(args)
    tasks: list[asyncio.Task] = []
    sink, _ = make_peer(args, recorder, tasks, send=False)
    source = RTCPeerConnection()
    clock = SharedClock()
    senders = {"audio": SyntheticAudio(clock, args), "video": SyntheticVideo(clock, args)}
    source.addTrack(senders["audio"])
    source.addTrack(senders["video"])
    result: dict = {"mode": "loopback"}
    await sink.setLocalDescription(await sink.createOffer())
    await source.setRemoteDescription(sink.localDescription)
    await source.setLocalDescription(await source.createAnswer())
    await sink.setRemoteDescription(source.localDescription)
    result["answerCodecs"] = answer_codecs(source.localDescription.sdp)
    deadline = time.monotonic() + args.connect_timeout
    while sink.connectionState != "connected" and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    result["connected"] = sink.connectionState == "connected"
    if result["connected"]:
        print(json.dumps({"event": "connected", "location": None, "participantId": None}), flush=True)
        started = time.monotonic()
        result["stdinClosed"] = await whip_session.wait_stdin_or(args.seconds)
        result["receivedFor"] = round(time.monotonic() - started, 2)
        result.update(await report(sink, recorder, args, senders))
    for task in tasks:
        task.cancel()
    if args.dump_frames:
        dump_frames(recorder, args.dump_frames)
    await source.close()
    await sink.close()
    return result


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)", text)
    if not match or int(match.group(1)) % 2 or int(match.group(2)) % 2:
        raise argparse.ArgumentTypeError(f"size {text!r} is not WIDTHxHEIGHT with even numbers")
    return int(match.group(1)), int(match.group(2))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    whip_session.add_arguments(parser, default_mode="whip", required=False)
    parser.add_argument("--loopback", action="store_true", help="no server: send to an in-process aiortc peer")
    parser.add_argument("--seconds", type=float, default=10.0, help="stay this long after connecting unless stdin closes first")
    send = parser.add_argument_group("sending (whip)")
    send.add_argument("--colour", type=parse_colour, default=(128, 128, 128), metavar="R,G,B")
    send.add_argument("--size", type=parse_size, default=(640, 360), metavar="WxH")
    send.add_argument("--tone", type=float, default=0.0, metavar="HZ", help="sine frequency (0: silence)")
    send.add_argument("--tone-amplitude", type=float, default=0.3)
    send.add_argument("--video-stop-after", type=float, metavar="S", help="no video frame after S seconds")
    send.add_argument("--flash-period", type=float, metavar="S", help="black video flashing white, silence beeping, every S s")
    send.add_argument("--flash-ms", type=float, default=100.0, help="length of each flash and beep")
    send.add_argument("--beep-hz", type=float, default=1000.0)
    measure = parser.add_argument_group("measuring")
    measure.add_argument("--expect-colour", action="append", default=[], metavar="R,G,B", help="report this colour's coverage")
    measure.add_argument("--colour-tolerance", type=float, default=48.0, help="per channel, 0..255")
    measure.add_argument("--colour-timeline", action="store_true", help="report every frame's coverage of each expected colour")
    measure.add_argument("--block", type=int, default=32, help="block size in pixels for colour analysis")
    measure.add_argument("--keep-frames", type=int, default=5, help="colour coverage is the median over this many last frames")
    measure.add_argument("--expect-tone", action="append", type=float, default=[], metavar="HZ", help="report this tone's level")
    measure.add_argument("--analyse-seconds", type=float, default=2.0, help="tone levels over the last S seconds of audio")
    measure.add_argument("--measure-lipsync", action="store_true", help="pair flashes and beeps on the sender-report clock")
    parser.add_argument("--dump-frames", metavar="FILE", help="debugging: write every decoded frame's record to FILE")
    parser.add_argument("--log-level", default="WARNING", help="Python logging level (DEBUG shows aiortc's RTP/RTCP)")
    args = parser.parse_args(argv)
    args.width, args.height = args.size
    if not args.loopback and not (args.server and args.room):
        parser.error("--server and --room are required (unless --loopback)")
    for text in args.expect_colour:
        try:
            parse_colour(text)
        except ValueError as error:
            parser.error(str(error))
    if args.flash_period is not None:
        tenths = args.flash_period * 10
        if args.flash_period <= 0 or abs(tenths - round(tenths)) > 1e-9:
            parser.error("--flash-period must be a positive multiple of 0.1 s (a video frame and a 20 ms audio frame)")
    return args


def main() -> None:
    args = parse_args()
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    started = time.monotonic()
    result = asyncio.run(run_loopback(args) if args.loopback else run(args))
    result["elapsed"] = round(time.monotonic() - started, 2)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpuSeconds"] = round(usage.ru_utime + usage.ru_stime, 2)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
