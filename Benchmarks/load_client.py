"""Cheap WebRTC load for a Tessera server: many real aiortc participants in one process.

Each participant is an RTCPeerConnection that WHIP-posts a sendrecv audio+video offer (the
POST and DELETE of Tests/acceptance/clients/whip_session.py) and then:
  - sends pre-encoded media: the VP8 and Opus packets of its input WebM (p{i % count}.webm),
    demuxed once with PyAV and handed to aiortc's sender as av.Packets, which it packetizes
    without encoding (RTCRtpSender._next_encoded_frame: a non-Frame goes to encoder.pack).
    Packets leave at their media time, looping the file with ever-increasing pts (each loop
    starts on the file's first packet, a keyframe);
  - receives the room's mix without decoding it or running aiortc's jitter buffer: each
    RTCRtpReceiver's packet handler is a `FrameCounter`, which records the arrival time of
    every frame that arrived whole (all its packets, up to the one with the marker bit) in
    an `Arrivals`. Nothing reaches the receiver's decoder queue, so its decoder thread only
    ever sees the None that stops it. (aiortc's own receive path cost about a sixth of this
    client's CPU, which shares the server's cores in a capacity run.)

Use it as a library (`LoadClient`: add rooms while earlier ones keep running, report over
any window) or from the command line:

    python3 Benchmarks/load_client.py --server http://127.0.0.1:8080 --admin-key KEY \\
        --inputs .bench-cache/inputs --rooms 2 --per-room 4 --seconds 10 --warmup 5 --json out.json

creates the rooms through the admin API (open access, the given video settings), joins
them, warms up, measures, leaves, deletes the rooms it created and prints (and writes) the
report; `--room ID` (repeatable) joins existing open rooms instead of creating any.

Relies on aiortc 1.16.0 internals (pinned in Tests/acceptance/requirements.txt):
RTCRtpReceiver keeps its negotiated codecs in `_RTCRtpReceiver__codecs`, and the DTLS
transport hands it each packet through `_handle_rtp_packet`; the codecs' `pack` reads
packet.pts and time_base.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import fractions
import json
import os
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import av
import requests
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "acceptance" / "clients"))
import whip_session  # noqa: E402

# A packet sent later than this after its media time counts as late (the load client
# itself could not keep up).
LATE_S = 0.010


class LoadError(Exception):
    """A room or session that could not be set up; the message names it."""


# --------------------------------------------------------------------------- sending


@dataclass
class Clip:
    """One kind of media from one input file: (pts, payload) with the first pts at 0, and
    the length of one loop in the same time base (the mean packet spacing included once)."""

    time_base: fractions.Fraction
    packets: list[tuple[int, bytes]]
    length: int


def load_clip(path: Path, kind: str) -> Clip:
    with av.open(str(path)) as container:
        streams = container.streams.video if kind == "video" else container.streams.audio
        if not streams:
            raise LoadError(f"{path} has no {kind} stream")
        stream = streams[0]
        demuxed = [p for p in container.demux(stream) if p.size]
        if len(demuxed) < 2:
            raise LoadError(f"{path}: only {len(demuxed)} {kind} packets")
        if kind == "video" and not demuxed[0].is_keyframe:
            raise LoadError(f"{path}: the video does not start with a keyframe, so it cannot loop")
        first, last = demuxed[0].pts, demuxed[-1].pts
        packets = [(p.pts - first, bytes(p)) for p in demuxed]
        length = round((last - first) * len(packets) / (len(packets) - 1))
        return Clip(stream.time_base, packets, length)


class PacketTrack(MediaStreamTrack):
    """Hands aiortc's sender the clip's packets at their media time (counted from the first
    recv), looping forever; records when a packet leaves more than LATE_S behind."""

    def __init__(self, kind: str, clip: Clip) -> None:
        super().__init__()
        self.kind = kind
        self.clip = clip
        self.index = 0
        self.start: float | None = None
        self.late: list[tuple[float, float]] = []  # (monotonic time, seconds late)

    async def recv(self) -> av.Packet:
        if self.readyState != "live":
            raise MediaStreamError
        loop, position = divmod(self.index, len(self.clip.packets))
        pts, payload = self.clip.packets[position]
        pts += loop * self.clip.length
        now = time.monotonic()
        if self.start is None:
            self.start = now
        wait = self.start + float(pts * self.clip.time_base) - now
        if wait > 0:
            await asyncio.sleep(wait)
        elif wait < -LATE_S:
            self.late.append((now, -wait))
        self.index += 1
        packet = av.Packet(payload)
        packet.pts = pts
        packet.time_base = self.clip.time_base
        return packet


# --------------------------------------------------------------------------- receiving


class Arrivals:
    """The arrival times of one receiver's whole frames (appended by its FrameCounter)."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def rate(self, start: float, end: float) -> float:
        """Frames per second arriving in [start, end)."""
        return self.count(start, end) / (end - start)

    def min_per_second(self, start: float, end: float) -> int:
        """The fewest frames in any whole second of [start, end), counted from start."""
        seconds = max(1, int(end - start))
        return min(self.count(start + s, start + s + 1) for s in range(seconds))

    def count(self, start: float, end: float) -> int:
        return bisect.bisect_left(self.times, end) - bisect.bisect_left(self.times, start)


class FrameCounter:
    """Stands in for an RTCRtpReceiver's `_handle_rtp_packet`: records in `arrivals` when
    each frame arrived whole. Audio: every Opus packet. Video: a frame counts when the
    packet with the marker bit completes a run of consecutive sequence numbers since the
    previous marker (a frame with a lost packet does not). Retransmissions (RTX) are not
    counted; nothing is NACKed."""

    def __init__(self, receiver, kind: str, arrivals: Arrivals) -> None:
        self.receiver = receiver
        self.kind = kind
        self.arrivals = arrivals
        self.first: int | None = None  # the sequence number the next frame starts at
        self.packets = 0

    async def __call__(self, packet, arrival_time_ms: int | None = None) -> None:
        codec = self.receiver._RTCRtpReceiver__codecs.get(packet.payload_type)
        if codec is None or codec.name.lower() == "rtx":
            return
        if self.kind == "audio":
            self.arrivals.times.append(time.monotonic())
            return
        self.packets += 1
        if not packet.marker:
            return
        if self.first is not None and (packet.sequence_number - self.first) % 65536 + 1 == self.packets:
            self.arrivals.times.append(time.monotonic())
        self.first = (packet.sequence_number + 1) % 65536
        self.packets = 0


# --------------------------------------------------------------------------- sessions


@dataclass
class Participant:
    name: str
    room: str
    pc: RTCPeerConnection
    whip: whip_session.WhipSession
    tracks: list[PacketTrack]
    arrivals: dict[str, Arrivals]
    states: list[str] = field(default_factory=list)


@dataclass
class VideoSettings:
    width: int = 1280
    height: int = 720
    fps: int = 30
    bitrate_kbps: int = 1500

    def as_api(self) -> dict:
        return {"width": self.width, "height": self.height, "fps": self.fps, "bitrateKbps": self.bitrate_kbps}

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        """The room shape a command line takes: participants per room and the mix's video."""
        defaults = VideoSettings()
        parser.add_argument("--per-room", type=int, default=4, help="participants per room")
        parser.add_argument("--width", type=int, default=defaults.width)
        parser.add_argument("--height", type=int, default=defaults.height)
        parser.add_argument("--fps", type=int, default=defaults.fps)
        parser.add_argument("--bitrate", type=int, default=defaults.bitrate_kbps, help="room video kbps")

    @staticmethod
    def from_args(args: argparse.Namespace) -> "VideoSettings":
        return VideoSettings(args.width, args.height, args.fps, args.bitrate)


def input_files(inputs: Path) -> list[Path]:
    """p0.webm, p1.webm, ... in `inputs` (participant i sends file i % count)."""
    files = []
    while (inputs / f"p{len(files)}.webm").is_file():
        files.append(inputs / f"p{len(files)}.webm")
    if not files:
        raise LoadError(f"no input files in {inputs} (needs p0.webm, p1.webm, ...)")
    return files


class RoomLoad:
    """What both load clients share: rooms created and deleted through the admin API, and
    the per-room summary of what each participant received."""

    def __init__(self, server: str, admin_key: str, connect_timeout: float) -> None:
        self.server = server.rstrip("/")
        self.admin_key = admin_key
        self.connect_timeout = connect_timeout
        self.http = requests.Session()
        self.http.trust_env = False  # never route 127.0.0.1 through a proxy
        self.created: list[str] = []
        self.joined = 0

    async def create_room(self, video: VideoSettings) -> str:
        """A new open-access grid room with these video settings; returns its id."""
        body = {"name": f"load-{len(self.created) + 1}", "access": "open", "video": video.as_api()}
        response = await asyncio.to_thread(
            self.http.post, f"{self.server}/v1/rooms", json=body,
            headers={"Authorization": f"Bearer {self.admin_key}"}, timeout=10)
        if response.status_code != 201:
            raise LoadError(f"POST /v1/rooms refused: HTTP {response.status_code} {response.text[:500]}")
        room = response.json()["id"]
        self.created.append(room)
        return room

    async def join(self, room: str, count: int) -> None:
        """`count` participants join `room` at once; returns when every one is connected."""
        first = self.joined
        self.joined += count
        joined = await asyncio.gather(*(self._join_one(room, first + i) for i in range(count)), return_exceptions=True)
        failures = [str(j) for j in joined if isinstance(j, BaseException)]
        if failures:
            raise LoadError("\n".join(failures))

    async def add_room(self, video: VideoSettings, participants: int) -> str:
        room = await self.create_room(video)
        await self.join(room, participants)
        return room

    async def _join_one(self, room: str, index: int) -> object:
        raise NotImplementedError

    async def delete_rooms(self) -> None:
        """DELETE every room this client created."""
        await asyncio.gather(*(asyncio.to_thread(
            self.http.delete, f"{self.server}/v1/rooms/{room}",
            headers={"Authorization": f"Bearer {self.admin_key}"}, timeout=10) for room in self.created),
            return_exceptions=True)
        self.created.clear()

    @staticmethod
    def room_summary(room: str, received: list[dict]) -> dict:
        """One room's line of a report from its participants' own: the worst receiver's
        video fps, fewest video frames in a second and audio frames/s, and the packets this
        client sent late (count, longest delay)."""
        return {
            "room": room,
            "participants": len(received),
            "fps": round(min(r["fps"] for r in received), 2),
            "minSecondFps": min(r["minSecondFps"] for r in received),
            "audioFps": round(min(r["audioFps"] for r in received), 2),
            "lateSent": sum(r["lateSent"] for r in received),
            "maxSendLagMs": round(max(r["maxSendLagMs"] for r in received), 1),
        }


class LoadClient(RoomLoad):
    """Rooms of aiortc load participants on one server, all on the running event loop."""

    def __init__(self, server: str, admin_key: str, inputs: Path, connect_timeout: float = 20.0) -> None:
        super().__init__(server, admin_key, connect_timeout)
        files = input_files(inputs)
        self.clips = [(load_clip(p, "video"), load_clip(p, "audio")) for p in files]
        self.input_count = len(files)
        self.rooms: dict[str, list[Participant]] = {}

    async def _join_one(self, room: str, index: int) -> Participant:
        """Participant `index` (of this client) sends input index % inputs."""
        name = f"load-{index}"
        video_clip, audio_clip = self.clips[index % len(self.clips)]
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))  # loopback: no STUN lookups
        tracks = [PacketTrack("audio", audio_clip), PacketTrack("video", video_clip)]
        arrivals = {}
        for track in tracks:
            receiver = pc.addTransceiver(track, direction="sendrecv").receiver
            if not isinstance(getattr(receiver, "_RTCRtpReceiver__codecs", None), dict):
                raise LoadError("this aiortc's RTCRtpReceiver keeps no __codecs to read (written for 1.16.0)")
            arrivals[track.kind] = Arrivals()
            receiver._handle_rtp_packet = FrameCounter(receiver, track.kind, arrivals[track.kind])
        participant = Participant(name, room, pc, whip_session.WhipSession(self.server, room, "whip", name=name),
                                  tracks, arrivals)
        self.rooms.setdefault(room, []).append(participant)
        connected = asyncio.Event()

        @pc.on("connectionstatechange")
        def on_state() -> None:
            participant.states.append(pc.connectionState)
            if pc.connectionState == "connected":
                connected.set()

        await pc.setLocalDescription(await pc.createOffer())
        response = await asyncio.to_thread(participant.whip.post_offer, pc.localDescription.sdp)
        if response.status_code != 201:
            raise LoadError(f"{name} (room {room}): offer refused: HTTP {response.status_code} {response.text[:500]}")
        await pc.setRemoteDescription(RTCSessionDescription(sdp=response.text, type="answer"))
        try:
            await asyncio.wait_for(connected.wait(), self.connect_timeout)
        except asyncio.TimeoutError:
            raise LoadError(f"{name} (room {room}) did not connect within {self.connect_timeout:g} s "
                            f"(connection states: {participant.states})") from None
        return participant

    async def report(self, start: float, end: float) -> dict:
        """Per room, over the monotonic window [start, end): what its participants received
        and what this client sent late (`RoomLoad.room_summary`)."""
        rooms = []
        for room, participants in self.rooms.items():
            received = []
            for p in participants:
                late = [lag for t in p.tracks for at, lag in t.late if start <= at < end]
                received.append({
                    "fps": p.arrivals["video"].rate(start, end),
                    "minSecondFps": p.arrivals["video"].min_per_second(start, end),
                    "audioFps": p.arrivals["audio"].rate(start, end),
                    "lateSent": len(late),
                    "maxSendLagMs": max(late, default=0.0) * 1000,
                })
            rooms.append(self.room_summary(room, received))
        return {"windowSeconds": round(end - start, 3), "rooms": rooms}

    def cpu_seconds(self) -> float:
        """The CPU this client used so far (its process: every participant runs in it)."""
        return cpu_seconds()

    async def close(self) -> None:
        """DELETE every session and every room this client created; close the peers."""
        participants = [p for ps in self.rooms.values() for p in ps]
        await asyncio.gather(*(asyncio.to_thread(p.whip.delete) for p in participants if p.whip.location),
                             return_exceptions=True)
        await asyncio.gather(*(p.pc.close() for p in participants), return_exceptions=True)
        await self.delete_rooms()
        self.rooms.clear()


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of process `pid` (all its threads), from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> float:
    """This process's user+system CPU time (every thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- command line


async def run(args: argparse.Namespace) -> dict:
    client = LoadClient(args.server, args.admin_key, args.inputs, args.connect_timeout)
    video = VideoSettings.from_args(args)
    try:
        if args.room:
            await asyncio.gather(*(client.join(room, args.per_room) for room in args.room))
        else:
            await asyncio.gather(*(client.add_room(video, args.per_room) for _ in range(args.rooms)))
        await asyncio.sleep(args.warmup)
        start, cpu = time.monotonic(), client.cpu_seconds()
        await asyncio.sleep(args.seconds)
        end = time.monotonic()
        result = await client.report(start, end)
        result["clientCpuCores"] = round((client.cpu_seconds() - cpu) / (end - start), 3)
    finally:
        await client.close()
    rooms = result["rooms"]
    result["totals"] = {
        "rooms": len(rooms),
        "participants": sum(r["participants"] for r in rooms),
        "minFps": min(r["fps"] for r in rooms),
        "minSecondFps": min(r["minSecondFps"] for r in rooms),
        "minAudioFps": min(r["audioFps"] for r in rooms),
    }
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--admin-key", required=True)
    parser.add_argument("--inputs", type=Path, required=True, help="directory with p0.webm, p1.webm, ...")
    parser.add_argument("--rooms", type=int, default=1, help="rooms to create")
    parser.add_argument("--room", action="append", default=[], metavar="ID", help="join this existing open room instead")
    VideoSettings.add_arguments(parser)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds after everyone connected, not measured")
    parser.add_argument("--seconds", type=float, default=10.0, help="measurement window")
    parser.add_argument("--connect-timeout", type=float, default=20.0)
    parser.add_argument("--json", type=Path, help="also write the report here")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    try:
        result = asyncio.run(run(args))
    except LoadError as error:
        print(f"load_client: {error}", file=sys.stderr)
        return 1
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
