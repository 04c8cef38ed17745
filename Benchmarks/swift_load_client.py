"""The capacity benchmark's cheap load: participants of `tessera-bench load`, a Swift
process with one event loop thread, driven over its stdin and stdout.

Each participant is a real WebRTC peer on its own UDP socket: it WHIP-posts (through this
module, with Tests/acceptance/clients/whip_session.py) a sendrecv Opus+VP8 offer, checks the
server's candidate as the controlling ICE agent, runs the DTLS client handshake, and then
sends its input file's pre-encoded packets as SRTP at their media time (looping the file,
with RTCP sender reports), while counting what the room sends back: every Opus packet,
and every VP8 frame that arrived whole, after SRTP authentication, without decoding. It
does per packet what Benchmarks/load_client.py's aiortc participants do, at a fraction of
their CPU, so a capacity run on shared cores measures the server rather than the client.

`SwiftLoadClient` has LoadClient's interface (add_room, join, report, cpu_seconds, close).
The request/reply protocol is documented on LoadEngine in Sources/TesseraBench.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from load_client import LoadClient, LoadError, RoomLoad, cpu_seconds, input_files, process_cpu_seconds

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "acceptance" / "clients"))
import whip_session  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BINARY = ROOT / ".build" / "release" / "tessera-bench"
CLIENTS = ("swift", "aiortc")


class SwiftLoadClient(RoomLoad):
    """Rooms of `tessera-bench load` participants on one server. Call `start()` first."""

    def __init__(self, server: str, admin_key: str, inputs: Path, connect_timeout: float = 20.0,
                 binary: Path = DEFAULT_BINARY) -> None:
        super().__init__(server, admin_key, connect_timeout)
        if not binary.is_file():
            raise LoadError(f"{binary} not found: build it with `swift build -c release --product tessera-bench`")
        self.input_count = len(input_files(inputs))
        self.binary = binary
        self.inputs = inputs
        self.process: asyncio.subprocess.Process | None = None
        self.reader: asyncio.Task | None = None
        self.pending: dict[str, asyncio.Future] = {}
        self.requests = 0
        self.rooms: dict[str, list[tuple[str, whip_session.WhipSession]]] = {}

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            str(self.binary), "load", "--inputs", str(self.inputs),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=16 << 20)
        self.reader = asyncio.create_task(self._read_replies())

    async def _read_replies(self) -> None:
        assert self.process and self.process.stdout
        while line := await self.process.stdout.readline():
            reply = json.loads(line)
            future = self.pending.pop(reply.get("id", ""), None)
            if future and not future.done():
                future.set_result(reply)
        code = await self.process.wait()
        for future in self.pending.values():
            if not future.done():
                future.set_exception(LoadError(f"tessera-bench load exited with status {code}"))
        self.pending.clear()

    async def _request(self, request: dict, timeout: float) -> dict:
        """Sends one request and waits for its reply; a reply with "error" raises it."""
        if not self.process or not self.process.stdin or self.process.returncode is not None:
            raise LoadError("tessera-bench load is not running (call start() first)")
        future = asyncio.get_running_loop().create_future()
        self.pending[request["id"]] = future
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        await self.process.stdin.drain()
        try:
            reply = await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            self.pending.pop(request["id"], None)
            raise LoadError(f"tessera-bench load: no reply to {request['op']} {request['id']} "
                            f"within {timeout:g} s") from None
        if "error" in reply:
            raise LoadError(reply["error"])
        return reply

    async def _join_one(self, room: str, index: int) -> str:
        """Participant `index` (of this client) sends input index % inputs."""
        name = f"load-{index}"
        offer = (await self._request({"op": "join", "id": name, "input": index}, 10))["offer"]
        whip = whip_session.WhipSession(self.server, room, "whip", name=name)
        self.rooms.setdefault(room, []).append((name, whip))
        response = await asyncio.to_thread(whip.post_offer, offer)
        if response.status_code != 201:
            raise LoadError(f"{name} (room {room}): offer refused: HTTP {response.status_code} {response.text[:500]}")
        try:
            await self._request({"op": "answer", "id": name, "sdp": response.text}, self.connect_timeout)
        except LoadError as error:
            raise LoadError(f"{name} (room {room}) did not connect: {error}") from None
        return name

    async def report(self, start: float, end: float) -> dict:
        """Per room, over the monotonic window [start, end): what its participants received
        and what this client sent late (`RoomLoad.room_summary`)."""
        self.requests += 1
        received = (await self._request({"op": "report", "id": f"report-{self.requests}", "start": start, "end": end},
                                        10))["participants"]
        rooms = [self.room_summary(room, [received[name] for name, _ in members])
                 for room, members in self.rooms.items()]
        failures = sum(received[name]["srtpFailures"] for members in self.rooms.values() for name, _ in members)
        return {"windowSeconds": round(end - start, 3), "rooms": rooms, "srtpFailures": failures}

    def cpu_seconds(self) -> float:
        """The CPU this client used so far: this process (signaling) and tessera-bench load."""
        total = cpu_seconds()
        if self.process and self.process.returncode is None:
            total += process_cpu_seconds(self.process.pid)
        return total

    async def close(self) -> None:
        """DELETE every session and every room this client created; stop the process."""
        sessions = [whip for members in self.rooms.values() for _, whip in members]
        await asyncio.gather(*(asyncio.to_thread(whip.delete) for whip in sessions if whip.location),
                             return_exceptions=True)
        await self.delete_rooms()
        self.rooms.clear()
        if self.process and self.process.returncode is None:
            assert self.process.stdin
            self.process.stdin.close()
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except asyncio.TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self.reader:
            await self.reader


async def make_load_client(kind: str, server: str, admin_key: str, inputs: Path, connect_timeout: float,
                           binary: Path = DEFAULT_BINARY) -> RoomLoad:
    """A started load client of `kind` (one of CLIENTS)."""
    if kind == "aiortc":
        return LoadClient(server, admin_key, inputs, connect_timeout)
    if kind != "swift":
        raise LoadError(f"unknown load client {kind!r} (one of {', '.join(CLIENTS)})")
    client = SwiftLoadClient(server, admin_key, inputs, connect_timeout, binary)
    await client.start()
    return client
