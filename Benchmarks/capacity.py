"""Capacity: how many rooms of real WebRTC participants one Tessera server holds here.

Starts `tessera serve` (the binary given, on 127.0.0.1, a temporary data dir and admin key)
and adds rooms one at a time, each with --per-room load participants sending pre-encoded
VP8+Opus over loopback: by default `tessera-bench load` (Benchmarks/swift_load_client.py), or
with --client aiortc the aiortc participants of Benchmarks/load_client.py, which cost about
three times the CPU on the same cores. After each addition it waits --settle seconds, then
measures --measure seconds: every room's mix as its participants receive it (the worst
receiver's fps), each room's mixer video tick p95 (from the bucket deltas of
tessera_mixer_tick_seconds in /metrics), the server's CPU (/proc/PID/stat) and RSS, the load
client's CPU (this process and tessera-bench load: its share of the machine) and the CPU everything else on the
machine used meanwhile (/proc/stat; a busy machine makes the count low). It stops at the
first room count where, in each of --retries + 1 windows, a room's output is below
--min-fps or a room's video tick p95 is over the frame interval, or after --max-rooms;
the rooms held is the last count that passed.

    python3 Benchmarks/capacity.py --tessera .build/release/tessera [--load-client .build/release/tessera-bench]
        [--client swift|aiortc] [--inputs DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from load_client import LoadError, RoomLoad, VideoSettings, process_cpu_seconds
from swift_load_client import CLIENTS, DEFAULT_BINARY, make_load_client

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 20.0
SAMPLE = re.compile(r'^(\w+)\{([^}]*)\} (\S+)$')
LABEL = re.compile(r'(\w+)="([^"]*)"')


# --------------------------------------------------------------------------- server


class Server:
    """One `tessera serve` subprocess on 127.0.0.1 with a temporary data dir."""

    def __init__(self, binary: Path, data_dir: Path) -> None:
        self.key = secrets.token_hex(16)
        self.http_port = free_port(socket.SOCK_STREAM)
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.log = data_dir / "tessera.log"
        command = [str(binary.resolve()), "serve", "--data-dir", str(data_dir), "--http-host", "127.0.0.1",
                   "--http-port", str(self.http_port), "--media-port", str(free_port(socket.SOCK_DGRAM)),
                   "--public-ip", "127.0.0.1", "--admin-key", self.key]
        env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env, cwd=data_dir)
        self.http = requests.Session()
        self.http.trust_env = False  # never route 127.0.0.1 through a proxy

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LoadError(f"tessera exited with {self.proc.returncode} before it was ready:\n{self.log_tail()}")
            try:
                if self.http.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise LoadError(f"tessera was not ready within {READY_TIMEOUT_S:g} s:\n{self.log_tail()}")

    def metrics(self) -> str:
        return self.http.get(f"{self.url}/metrics", timeout=10).text

    def cpu_seconds(self) -> float:
        """utime + stime of the server process (all its threads)."""
        return process_cpu_seconds(self.proc.pid)

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.http.close()

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def machine_busy_seconds() -> float:
    """CPU time all cores spent on anything but idle and iowait since boot (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- metrics


def parse_metrics(text: str) -> dict[tuple[str, frozenset], float]:
    """Labelled Prometheus samples: {(name, frozenset of (label, value)): value}."""
    samples = {}
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if match:
            samples[(match.group(1), frozenset(LABEL.findall(match.group(2))))] = float(match.group(3))
    return samples


def room_delta(before: dict, after: dict, name: str, room: str) -> float:
    """How much the room's sample `name` grew between two scrapes."""
    key = (name, frozenset({("room", room)}))
    return after.get(key, 0.0) - before.get(key, 0.0)


def buckets(samples: dict, name: str, labels: dict[str, str]) -> dict[float, float]:
    """A histogram's cumulative buckets for one label set: {upper bound in s (inf for +Inf): count}."""
    wanted = set(labels.items())
    return {float(dict(found)["le"]): value for (sample, found), value in samples.items()
            if sample == f"{name}_bucket" and wanted <= found}


def histogram_quantile(before: dict, after: dict, name: str, labels: dict[str, str], quantile: float) -> float | None:
    """The `quantile` of the histogram `name` (one label set) observed between two scrapes,
    interpolated inside its bucket like Prometheus' histogram_quantile (inf past the last
    finite bound); None if nothing was observed."""
    earlier = buckets(before, name, labels)
    deltas = sorted((bound, count - earlier.get(bound, 0.0)) for bound, count in buckets(after, name, labels).items())
    if not deltas or deltas[-1][1] <= 0:
        return None
    rank = quantile * deltas[-1][1]
    lower, below = 0.0, 0.0
    for bound, count in deltas:
        if count >= rank:
            return math.inf if math.isinf(bound) else lower + (bound - lower) * (rank - below) / (count - below)
        lower, below = bound, count
    return math.inf


def tick_p95(before: dict, after: dict, room: str) -> float | None:
    """The room's video tick p95 between two scrapes."""
    return histogram_quantile(before, after, "tessera_mixer_tick_seconds", {"room": room, "kind": "video"}, 0.95)


# --------------------------------------------------------------------------- steps


async def measure(client: RoomLoad, server: Server, args: argparse.Namespace) -> dict:
    """One window over every running room: what the participants received and what the
    server reports, with the reasons (if any) the step fails."""
    before = parse_metrics(await asyncio.to_thread(server.metrics))
    server_cpu, client_cpu, busy, start = server.cpu_seconds(), client.cpu_seconds(), machine_busy_seconds(), time.monotonic()
    await asyncio.sleep(args.measure)
    after = parse_metrics(await asyncio.to_thread(server.metrics))
    end = time.monotonic()
    window = end - start
    server_cores = (server.cpu_seconds() - server_cpu) / window
    client_cores = (client.cpu_seconds() - client_cpu) / window
    busy_cores = (machine_busy_seconds() - busy) / window
    rooms = (await client.report(start, end))["rooms"]
    failures = []
    for number, room in enumerate(rooms, 1):
        rid = room["room"]
        p95 = tick_p95(before, after, rid)
        room["tickP95Ms"] = None if p95 is None else round(p95 * 1000, 1)
        room["skippedTicks"] = int(room_delta(before, after, "tessera_mixer_skipped_ticks_total", rid))
        room["mixerCores"] = round(room_delta(before, after, "tessera_mixer_cpu_seconds_total", rid) / window, 3)
        room["encoderSpeed"] = after.get(("tessera_mixer_encoder_speed", frozenset({("room", rid)})))
        if room["fps"] < args.min_fps:
            failures.append(f"room {number} received {room['fps']} fps < {args.min_fps:g}")
        if p95 is None or p95 > 1 / args.fps:
            shown = "past the last bucket (or no tick)" if p95 is None else f"{room['tickP95Ms']} ms"
            failures.append(f"room {number} video tick p95 {shown} > {1000 / args.fps:.1f} ms")
    ticks = [r["tickP95Ms"] for r in rooms]
    return {
        "rooms": len(rooms),
        "windowSeconds": round(window, 2),
        "minFps": min(r["fps"] for r in rooms),
        "minSecondFps": min(r["minSecondFps"] for r in rooms),
        "minAudioFps": min(r["audioFps"] for r in rooms),
        "worstTickP95Ms": None if None in ticks else max(ticks),
        "skippedTicks": sum(r["skippedTicks"] for r in rooms),
        "serverCores": round(server_cores, 3),
        "serverCoresPerRoom": round(server_cores / len(rooms), 3),
        "clientCores": round(client_cores, 3),
        "otherCores": round(max(0.0, busy_cores - server_cores - client_cores), 3),
        "clientLateSent": sum(r["lateSent"] for r in rooms),
        "serverRssMb": round(server.rss_mb(), 1),
        "passed": not failures,
        "failures": failures,
        "perRoom": rooms,
    }


COLUMNS = [
    ("rooms", "rooms", "{}"), ("min fps", "minFps", "{:.1f}"), ("min 1s", "minSecondFps", "{}"),
    ("audio/s", "minAudioFps", "{:.1f}"), ("tick p95 ms", "worstTickP95Ms", "{:.1f}"),
    ("skipped", "skippedTicks", "{}"), ("server cores", "serverCores", "{:.2f}"),
    ("per room", "serverCoresPerRoom", "{:.2f}"), ("client cores", "clientCores", "{:.2f}"),
    ("other cores", "otherCores", "{:.2f}"),
    ("late sent", "clientLateSent", "{}"), ("RSS MB", "serverRssMb", "{:.0f}"),
]


def table_header() -> str:
    return "  ".join(f"{title:>6}" for title, _, _ in COLUMNS) + "  result"


def table_row(step: dict) -> str:
    cells = [f"{'-' if step[key] is None else fmt.format(step[key]):>{max(len(title), 6)}}" for title, key, fmt in COLUMNS]
    return "  ".join(cells) + ("  pass" if step["passed"] else "  FAIL: " + "; ".join(step["failures"]))


async def run(args: argparse.Namespace, server: Server) -> dict:
    video = VideoSettings.from_args(args)
    client = await make_load_client(args.client, server.url, server.key, args.inputs, args.connect_timeout,
                                    args.load_client)
    steps: list[dict] = []
    held = 0
    stop_reason = f"reached --max-rooms {args.max_rooms}"
    print(table_header(), flush=True)
    try:
        for count in range(1, args.max_rooms + 1):
            try:
                await client.add_room(video, args.per_room)
            except LoadError as error:
                stop_reason = f"room {count} could not join: {error}"
                break
            await asyncio.sleep(args.settle)
            for _ in range(1 + args.retries):
                step = await measure(client, server, args)
                steps.append(step)
                print(table_row(step), flush=True)
                if step["passed"]:
                    break
            if not step["passed"]:
                stop_reason = "; ".join(step["failures"])
                break
            held = count
    finally:
        await client.close()
    return {
        "roomsHeld": held,
        "stopReason": stop_reason,
        "settings": {"perRoom": args.per_room, "width": args.width, "height": args.height, "fps": args.fps,
                     "bitrateKbps": args.bitrate, "settleSeconds": args.settle, "measureSeconds": args.measure,
                     "minFps": args.min_fps, "maxRooms": args.max_rooms, "retries": args.retries,
                     "inputs": client.input_count, "client": args.client},
        "cores": os.cpu_count(),
        "steps": steps,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tessera", type=Path, required=True, help="the server binary (a release build)")
    parser.add_argument("--inputs", type=Path, default=ROOT / ".bench-cache" / "inputs", help="p0.webm, p1.webm, ...")
    parser.add_argument("--client", choices=CLIENTS, default="swift",
                        help="the load participants: tessera-bench load (swift) or aiortc")
    parser.add_argument("--load-client", type=Path, default=DEFAULT_BINARY,
                        help="the tessera-bench binary for --client swift (a release build)")
    parser.add_argument("--max-rooms", type=int, default=8)
    VideoSettings.add_arguments(parser)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after a room joins before measuring")
    parser.add_argument("--measure", type=float, default=10.0, help="seconds per measurement window")
    parser.add_argument("--min-fps", type=float, default=29.0, help="a room receiving less fails the window")
    parser.add_argument("--retries", type=int, default=1,
                        help="measure a failing step again this many times (other processes on a shared machine)")
    parser.add_argument("--connect-timeout", type=float, default=20.0)
    parser.add_argument("--json", type=Path, help="write the result here")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="tessera-capacity-") as data_dir:
        server = Server(args.tessera, Path(data_dir))
        try:
            server.wait_ready()
            result = asyncio.run(run(args, server))
        except LoadError as error:
            print(f"capacity: {error}", file=sys.stderr)
            return 1
        finally:
            server.stop()
    held = result["roomsHeld"]
    print(f"\nrooms held: {held} (rooms of {args.per_room} at {args.width}x{args.height} {args.fps} fps "
          f"{args.bitrate} kbps; stopped: {result['stopReason']})")
    if held:
        step = [s for s in result["steps"] if s["passed"]][-1]
        print(f"at {held} rooms: server {step['serverCores']:.2f} cores ({step['serverCoresPerRoom']:.2f} per room), "
              f"load client {step['clientCores']:.2f} cores, other processes {step['otherCores']:.2f} cores, "
              f"of {result['cores']} cores")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
