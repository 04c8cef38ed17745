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
import re
import sys
import time

import requests
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack


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
    connected = asyncio.Event()
    states: list[str] = []

    @pc.on("connectionstatechange")
    def on_state() -> None:
        states.append(pc.connectionState)
        if pc.connectionState == "connected":
            connected.set()

    if args.mode == "whip":
        pc.addTransceiver(ToneStreamTrack(args.tone) if args.tone else AudioStreamTrack(), direction=args.direction)
        pc.addTransceiver(VideoStreamTrack(), direction=args.direction)
    else:
        pc.addTransceiver("audio", direction="recvonly")
        pc.addTransceiver("video", direction="recvonly")

    await pc.setLocalDescription(await pc.createOffer())
    offer = pc.localDescription.sdp
    if args.tamper_fingerprint:
        offer = tamper_fingerprint(offer)
    headers = {"Content-Type": "application/sdp"}
    if args.token:
        headers["Authorization"] = f"Bearer {args.token}"
    url = f"{args.server}/v1/rooms/{args.room}/{args.mode}"
    params = {"name": args.name} if args.name else {}
    session = requests.Session()
    session.trust_env = False
    response = session.post(url, data=offer.encode(), headers=headers, params=params, timeout=10)
    result: dict = {"status": response.status_code, "states": states}
    if response.status_code != 201:
        result["body"] = response.text
        await pc.close()
        return result
    location = response.headers.get("Location", "")
    result["location"] = location
    answer = response.text
    if args.candidate_port:
        # Route media through a test proxy: the answer's candidate port becomes the proxy's.
        answer = re.sub(r"(a=candidate:\S+ \d+ udp \d+ \S+ )(\d+)", lambda m: m.group(1) + str(args.candidate_port), answer)
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    try:
        await asyncio.wait_for(connected.wait(), timeout=args.connect_timeout)
        result["connected"] = True
    except asyncio.TimeoutError:
        result["connected"] = False
    if result["connected"]:
        print(json.dumps({"event": "connected", "location": location}), flush=True)
        await asyncio.sleep(args.seconds)
    stats = await pc.getStats()
    result["packetsSent"] = sum(s.packetsSent for s in stats.values() if s.type == "outbound-rtp")
    result["packetsReceived"] = sum(s.packetsReceived for s in stats.values() if s.type == "inbound-rtp")
    if args.vanish:
        result["vanished"] = True
        print(json.dumps(result), flush=True)
        sys.stdout.flush()
        # Leave without DELETE and without DTLS close_notify: the process just ends.
        import os

        os._exit(0)
    delete = session.delete(f"{args.server}{location}", headers={k: v for k, v in headers.items() if k == "Authorization"}, timeout=10)
    result["deleteStatus"] = delete.status_code
    await pc.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--room", required=True)
    parser.add_argument("--mode", choices=["whip", "whep"], default="whip")
    parser.add_argument("--direction", choices=["sendrecv", "sendonly"], default="sendrecv")
    parser.add_argument("--token")
    parser.add_argument("--name")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--connect-timeout", type=float, default=15.0)
    parser.add_argument("--vanish", action="store_true")
    parser.add_argument("--tone", type=float, metavar="HZ", help="send a sine of HZ instead of silence")
    parser.add_argument("--tamper-fingerprint", action="store_true")
    parser.add_argument("--candidate-port", type=int, help="send media to this 127.0.0.1 port instead (a test proxy)")
    args = parser.parse_args()
    started = time.monotonic()
    result = asyncio.run(run(args))
    result["elapsed"] = round(time.monotonic() - started, 2)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
