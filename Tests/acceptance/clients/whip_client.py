"""A WHIP/WHEP client on aiortc, run as a subprocess by the acceptance tests.

Publishes aiortc's generated audio and video (WHIP) or receives (WHEP), waits for the
connection, keeps it up for --seconds, then leaves with DELETE (or --vanish: exits without
closing, as a crashed browser would). Prints one JSON line with what happened.
aiortc's audio is silence; --tone HZ sends a sine instead, loud enough to count as speech.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import json
import math
import sys
import time

from aiortc import RTCPeerConnection
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack

import whip_session


class ToneStreamTrack(AudioStreamTrack):
    """A continuous sine at `frequency` Hz, peaking at half of full scale (about -9 dBov
    RMS): well above the mixer's speech threshold. aiortc's AudioStreamTrack paces the
    20 ms frames; this only fills them."""

    def __init__(self, frequency: float) -> None:
        super().__init__()
        self.frequency = frequency

    async def recv(self):
        frame = await super().recv()
        step = 2 * math.pi * self.frequency / frame.sample_rate
        samples = array.array("h", (int(16383 * math.sin(step * (frame.pts + i))) for i in range(frame.samples)))
        frame.planes[0].update(samples.tobytes())
        return frame


def tamper_fingerprint(sdp: str) -> str:
    """Replaces every fingerprint's first byte, so the DTLS certificate no longer matches."""
    lines = []
    for line in sdp.splitlines():
        if line.startswith("a=fingerprint:"):
            algorithm, value = line.split(" ", 1)
            first, rest = value.split(":", 1)
            line = f"{algorithm} {'00' if first != '00' else '11'}:{rest}"
        lines.append(line)
    return "\r\n".join(lines) + "\r\n"


async def run(args: argparse.Namespace) -> dict:
    pc = RTCPeerConnection()
    if args.mode == "whip":
        pc.addTransceiver(ToneStreamTrack(args.tone) if args.tone else AudioStreamTrack(), direction=args.direction)
        pc.addTransceiver(VideoStreamTrack(), direction=args.direction)
    else:
        pc.addTransceiver("audio", direction="recvonly")
        pc.addTransceiver("video", direction="recvonly")

    session = whip_session.WhipSession.from_args(args)
    result: dict = {}
    connected = await whip_session.connect(
        pc,
        session,
        result,
        args.connect_timeout,
        offer_transform=tamper_fingerprint if args.tamper_fingerprint else None,
        answer_transform=(lambda answer: whip_session.reroute(answer, args.candidate_port)) if args.candidate_port else None,
    )
    if result["status"] != 201:
        return result  # refused: `connect` closed the peer connection
    if connected:
        await asyncio.sleep(args.seconds)
    stats = await whip_session.rtp_stats(pc)
    result["packetsSent"] = stats["packetsSent"]
    result["packetsReceived"] = stats["packetsReceived"]
    if args.vanish:
        result["vanished"] = True
        print(json.dumps(result), flush=True)
        sys.stdout.flush()
        # Leave without DELETE and without DTLS close_notify: the process just ends.
        import os

        os._exit(0)
    result["deleteStatus"] = session.delete()
    await pc.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    whip_session.add_arguments(parser, default_mode="whip")
    parser.add_argument("--direction", choices=["sendrecv", "sendonly"], default="sendrecv")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--vanish", action="store_true")
    parser.add_argument("--tone", type=float, metavar="HZ", help="send a sine of HZ instead of silence")
    parser.add_argument("--tamper-fingerprint", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    result = asyncio.run(run(args))
    result["elapsed"] = round(time.monotonic() - started, 2)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
