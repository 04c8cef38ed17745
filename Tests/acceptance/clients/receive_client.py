"""An aiortc WHIP/WHEP client that counts the media it DECODES from the server.

Run as a subprocess by the Swift end-to-end test ServerSentMediaTests (the test itself is
the media source until the room mixer lands). Joins the room over WHIP (sendrecv: it also
publishes aiortc's generated audio and video) or WHEP (recvonly), prints
{"event": "connected", "location", "participantId"} once connected, keeps decoding every received
track until its stdin closes (the test closes it when it has finished sending) or
--max-seconds pass, waits --drain seconds for the jitter buffers and decoders, leaves with
DELETE, and prints one JSON line: decoded audio/video frame counts, the first video
frame's size, RTP packet counts. With --pli-after N it asks for a keyframe (RTCP PLI)
after N decoded video frames, so the test can check that it answers one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from collections import Counter

import av
from aiortc import RTCPeerConnection
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError, MediaStreamTrack, VideoStreamTrack

import whip_session


class DecodedCounts:
    """What the receive tasks decoded, by kind."""

    def __init__(self) -> None:
        self.video_frames = 0
        self.audio_frames = 0
        self.audio_samples = 0
        self.first_video_size: str | None = None
        self.video_sizes: Counter[str] = Counter()
        self.audio_formats: Counter[str] = Counter()
        self.tracks: list[str] = []
        self.first_frame_at: float | None = None
        self.plis_sent = 0


async def consume(track: MediaStreamTrack, counts: DecodedCounts, pli_after: int, pc: RTCPeerConnection) -> None:
    """Pulls decoded frames (av.VideoFrame / av.AudioFrame) until the track ends; after
    `pli_after` video frames (0: never) asks the server for a keyframe with an RTCP PLI."""
    counts.tracks.append(track.kind)
    while True:
        try:
            frame = await track.recv()
        except MediaStreamError:
            return
        if counts.first_frame_at is None:
            counts.first_frame_at = time.monotonic()
        if isinstance(frame, av.VideoFrame):
            size = f"{frame.width}x{frame.height}"
            counts.video_frames += 1
            counts.video_sizes[size] += 1
            if counts.first_video_size is None:
                counts.first_video_size = size
            if pli_after and counts.video_frames == pli_after:
                await request_keyframe(pc, track, counts)
        elif isinstance(frame, av.AudioFrame):
            counts.audio_frames += 1
            counts.audio_samples += frame.samples
            counts.audio_formats[f"{frame.sample_rate}Hz/{len(frame.layout.channels)}ch"] += 1


async def request_keyframe(pc: RTCPeerConnection, track: MediaStreamTrack, counts: DecodedCounts) -> None:
    """Sends a PLI for the track's SSRC (aiortc sends PLI itself only on loss; this uses its
    receiver's internal sender, pinned by requirements.txt to aiortc 1.16.0)."""
    for receiver in pc.getReceivers():
        if receiver.track is track:
            for source in receiver.getSynchronizationSources():
                await receiver._send_rtcp_pli(source.source)
                counts.plis_sent += 1


async def run(args: argparse.Namespace) -> dict:
    pc = RTCPeerConnection()
    counts = DecodedCounts()
    consumers: list[asyncio.Task] = []

    @pc.on("track")
    def on_track(track: MediaStreamTrack) -> None:
        consumers.append(asyncio.ensure_future(consume(track, counts, args.pli_after, pc)))

    if args.mode == "whip":
        pc.addTransceiver(AudioStreamTrack(), direction="sendrecv")
        pc.addTransceiver(VideoStreamTrack(), direction="sendrecv")
    else:
        pc.addTransceiver("audio", direction="recvonly")
        pc.addTransceiver("video", direction="recvonly")

    session = whip_session.WhipSession.from_args(args)
    result: dict = {"mode": args.mode}
    await whip_session.connect(pc, session, result, args.connect_timeout)
    if result["status"] != 201:
        return result  # refused: `connect` closed the peer connection
    if result["connected"]:
        started = time.monotonic()
        result["stdinClosed"] = await whip_session.wait_stdin_or(args.max_seconds)
        await asyncio.sleep(args.drain)
        result["receivedFor"] = round(time.monotonic() - started, 2)

    result.update(await whip_session.rtp_stats(pc))
    result["tracks"] = counts.tracks
    result["videoFramesDecoded"] = counts.video_frames
    result["firstVideoFrameSize"] = counts.first_video_size
    result["videoFrameSizes"] = dict(counts.video_sizes)
    result["audioFramesDecoded"] = counts.audio_frames
    result["audioSamplesDecoded"] = counts.audio_samples
    result["audioFormats"] = dict(counts.audio_formats)
    result["plisSent"] = counts.plis_sent
    for task in consumers:
        task.cancel()
    if result["connected"]:
        result["deleteStatus"] = session.delete()
    await pc.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    whip_session.add_arguments(parser, default_mode="whep")
    parser.add_argument("--max-seconds", type=float, default=20.0, help="receive at most this long if stdin stays open")
    parser.add_argument("--drain", type=float, default=1.0, help="seconds to keep decoding after stdin closed")
    parser.add_argument("--pli-after", type=int, default=0, help="send a PLI after this many decoded video frames (0: never)")
    parser.add_argument("--log-level", default="WARNING", help="Python logging level (DEBUG shows aiortc's RTP/RTCP)")
    args = parser.parse_args()
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    started = time.monotonic()
    result = asyncio.run(run(args))
    result["elapsed"] = round(time.monotonic() - started, 2)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
