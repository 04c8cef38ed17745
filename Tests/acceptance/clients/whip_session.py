"""What every aiortc test client does to join a Tessera room: the common command-line
options, the WHIP/WHEP offer/answer (POST /v1/rooms/{room}/whip|whep, 201 + Location and
Tessera-Participant-Id),
waiting for the connection, the {"event": "connected"} line tests sequence on, and leaving
with DELETE. Used by whip_client.py, receive_client.py and mix_client.py (run as scripts
from this directory, so they import it as a sibling module).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import threading
from collections.abc import Callable

import requests
from aiortc import RTCPeerConnection, RTCSessionDescription


def add_arguments(parser: argparse.ArgumentParser, default_mode: str = "whip", required: bool = True) -> None:
    """--server, --room, --mode, --token, --name, --connect-timeout, --candidate-port."""
    parser.add_argument("--server", required=required, help="base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--room", required=required)
    parser.add_argument("--mode", choices=["whip", "whep"], default=default_mode)
    parser.add_argument("--token", help="bearer token (rooms with token access)")
    parser.add_argument("--name", help="display name (?name=)")
    parser.add_argument("--connect-timeout", type=float, default=15.0)
    parser.add_argument("--candidate-port", type=int, help="send media to this 127.0.0.1 port instead (a test proxy)")


def reroute(answer: str, port: int) -> str:
    """The answer with its candidates' port replaced: media goes through a test proxy."""
    return re.sub(r"(a=candidate:\S+ \d+ udp \d+ \S+ )(\d+)", lambda m: m.group(1) + str(port), answer)


class WhipSession:
    """One WHIP/WHEP resource: the offer POST and the DELETE of its Location. The Location
    ends in the session's secret key; the participant id comes in its own header."""

    def __init__(self, server: str, room: str, mode: str, token: str | None = None, name: str | None = None) -> None:
        self.server = server
        self.room = room
        self.mode = mode
        self.token = token
        self.name = name
        self.location: str | None = None
        self.participant_id: str | None = None
        self.http = requests.Session()
        self.http.trust_env = False  # never route 127.0.0.1 through a proxy

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "WhipSession":
        return cls(args.server, args.room, args.mode, args.token, args.name)

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def post_offer(self, sdp: str) -> requests.Response:
        headers = {"Content-Type": "application/sdp", **self.auth_headers()}
        params = {"name": self.name} if self.name else {}
        url = f"{self.server}/v1/rooms/{self.room}/{self.mode}"
        response = self.http.post(url, data=sdp.encode(), headers=headers, params=params, timeout=10)
        if response.status_code == 201:
            self.location = response.headers.get("Location", "")
            self.participant_id = response.headers.get("Tessera-Participant-Id")
        return response

    def delete(self) -> int:
        """DELETE the session resource; returns the HTTP status."""
        assert self.location is not None, "no session to delete"
        return self.http.delete(f"{self.server}{self.location}", headers=self.auth_headers(), timeout=10).status_code


async def connect(
    pc: RTCPeerConnection,
    session: WhipSession,
    result: dict,
    connect_timeout: float,
    offer_transform: Callable[[str], str] | None = None,
    answer_transform: Callable[[str], str] | None = None,
) -> bool:
    """Offers `pc`'s transceivers (already added), applies the answer and waits for the
    connection. Fills `result`: "states" (every connectionState, live), "status", then
    "body" (non-201) or "location", "participantId", "connected". Prints {"event":
    "connected", "location", "participantId"} once connected. Closes `pc` if the offer was
    refused. Returns whether it connected."""
    connected = asyncio.Event()
    states: list[str] = result.setdefault("states", [])

    @pc.on("connectionstatechange")
    def on_state() -> None:
        states.append(pc.connectionState)
        if pc.connectionState == "connected":
            connected.set()

    await pc.setLocalDescription(await pc.createOffer())
    offer = pc.localDescription.sdp
    if offer_transform:
        offer = offer_transform(offer)
    response = session.post_offer(offer)
    result["status"] = response.status_code
    if response.status_code != 201:
        result["body"] = response.text
        await pc.close()
        return False
    result["location"] = session.location
    result["participantId"] = session.participant_id
    answer = response.text
    if answer_transform:
        answer = answer_transform(answer)
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    try:
        await asyncio.wait_for(connected.wait(), timeout=connect_timeout)
        result["connected"] = True
    except asyncio.TimeoutError:
        result["connected"] = False
    if result["connected"]:
        print(json.dumps({"event": "connected", "location": session.location, "participantId": session.participant_id}), flush=True)
    return result["connected"]


async def stdin_closed() -> None:
    """Returns when stdin reaches end of file (the test is done with this client).

    Reads on a daemon thread, not the loop's default executor: a readline still blocked
    when the client gives up waiting must not keep asyncio.run (or the process) alive."""
    loop = asyncio.get_running_loop()
    closed = asyncio.Event()

    def read() -> None:
        try:
            while sys.stdin.readline():
                pass
        except (OSError, ValueError):
            pass
        try:
            loop.call_soon_threadsafe(closed.set)
        except RuntimeError:  # the loop is already closed: nobody is waiting any more
            pass

    threading.Thread(target=read, name="stdin-watch", daemon=True).start()
    await closed.wait()


async def wait_stdin_or(seconds: float) -> bool:
    """Waits until stdin closes or `seconds` pass; True if stdin closed."""
    try:
        await asyncio.wait_for(stdin_closed(), timeout=seconds)
        return True
    except asyncio.TimeoutError:
        return False


async def rtp_stats(pc: RTCPeerConnection) -> dict:
    """packetsSent / packetsReceived / packetsLost summed over the RTP streams."""
    stats = await pc.getStats()
    return {
        "packetsSent": sum(s.packetsSent for s in stats.values() if s.type == "outbound-rtp"),
        "packetsReceived": sum(s.packetsReceived for s in stats.values() if s.type == "inbound-rtp"),
        "packetsLost": sum(s.packetsLost for s in stats.values() if s.type == "inbound-rtp"),
    }
