"""make bench: a room's CPU cost in Tessera against the codec floor, ffmpeg and GStreamer.

One invocation measures, side by side on the same cached inputs (Benchmarks/inputs.py),
for rooms of 4 and 9 participants with 1280x720 and 640x360 outputs at 30 fps:
  - floor:   `tessera-bench floor`, the bare codec loop of the room (no network, no audio
             mixing logic, no jitter buffers), as fast as it goes and, `--paced`, each tick
             at its room time like a live room (Tessera / floor compares with that one; its
             runs alternate with Tessera's); for the 4-person 1280x720 room also paced at
             VP8's fastest speed, the least its codec work costs, which the report sets
             against the ffmpeg and GStreamer targets;
  - mixer:   `tessera-bench mixer`, Tessera's RoomMixer in-process under a manual clock
             (allocations per tick, resident memory, latency without the network);
  - tessera: the real server (`tessera serve`, a release build) with one room of N real
             WebRTC participants (`tessera-bench load`, Benchmarks/swift_load_client.py) sending the same media over
             loopback and receiving the mix: the server process's CPU (everything:
             SRTP, RTCP, jitter buffers, the mixer, fan-out), the room's received frame
             rate and the mixer-added latency from /metrics;
  - peers:   the same job done by ffmpeg and GStreamer (Benchmarks/peers.py);
  - transport: `tessera-bench transport`, one peer's packet path in-process (SRTP, reorder,
             depacketize in; packetize, NACK history, SRTP out): CPU, allocations per packet;
  - quality: libvpx's PSNR of the room's encode and of the peers' (Benchmarks/peer_quality.py),
             and the floor again at the peers' cpu-used, so the report shows what the
             room's encoder setting costs in picture as well as what it saves in CPU.
CPU is user+sys seconds per second of room ("cores"), the median of --runs runs. The
report goes to docs/benchmarks.md (and the raw numbers to .bench-cache/results.json).

    python3 Benchmarks/bench.py --tessera PATH --tessera-bench PATH [--runs 3] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_report import TARGET_ROOM, render
from capacity import Server, histogram_quantile, parse_metrics, room_delta
from inputs import DEFAULT_CACHE, ensure_inputs
from load_client import LoadError, VideoSettings
from swift_load_client import make_load_client
from machine import machine, versions
from probe import BenchError

ROOT = Path(__file__).resolve().parents[1]
ROOMS = [(4, 1280, 720), (9, 1280, 720), (4, 640, 360), (9, 640, 360)]
BITRATE_KBPS = {(1280, 720): 1500, (640, 360): 800}
# The room encodes at its default fixed speed level (MixerSettings.defaultEncoderSpeed);
# the peers at the reference setting, libvpx's adaptive cpu-used 8.
ROOM_SPEED = 5
PEER_CPU_USED = 8
# VP8's fastest speed level (MixerSettings.encoderSpeeds.upperBound), where a loaded room's
# speed control ends: the cheapest the room's codec work gets, whatever the picture.
FASTEST_SPEED = 16
FPS = 30
INPUT_SECONDS = 20


def last_json(command: list[str]) -> dict:
    """Runs `command` and returns the JSON object on its last output line."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def room_args(inputs: Path, n: int, width: int, height: int) -> list[str]:
    """The room's inputs and video settings, as tessera-bench, peers.py and peer_quality.py take them."""
    return ["--inputs", str(inputs), "--n", str(n), "--width", str(width), "--height", str(height),
            "--fps", str(FPS), "--bitrate-kbps", str(BITRATE_KBPS[(width, height)])]


def in_process(binary: Path, mode: str, inputs: Path, n: int, width: int, height: int, args, *extra: str) -> dict:
    print(f"bench: {mode} n={n} {width}x{height} {' '.join(extra)}", flush=True)
    return last_json([str(binary), mode, *room_args(inputs, n, width, height), "--speed", str(ROOM_SPEED),
                      "--seconds", str(args.seconds), "--runs", str(args.runs), *extra])


def quality(binary: Path, inputs: Path, n: int, width: int, height: int) -> dict:
    """PSNR (and bitrate) of the room's encode and of the same composite at the peers'
    cpu-used, over the inputs' whole length; ffmpeg's at its setting and at the room's."""
    print(f"bench: quality n={n} {width}x{height}", flush=True)
    room = [str(binary), "floor", "--quality", *room_args(inputs, n, width, height), "--speed", str(ROOM_SPEED),
            "--seconds", str(INPUT_SECONDS)]
    peer = [sys.executable, str(ROOT / "Benchmarks" / "peer_quality.py"), *room_args(inputs, n, width, height)]
    return {
        "room": last_json(room),
        "roomAtPeerSetting": last_json([*room, "--cpu-used", str(PEER_CPU_USED)]),
        "ffmpeg": last_json([*peer, "--cpu-used", str(PEER_CPU_USED)]),
        "ffmpeg1Thread": last_json([*peer, "--cpu-used", str(PEER_CPU_USED), "--one-thread"]),
        "ffmpeg1ThreadAtRoomSpeed": last_json([*peer, "--cpu-used", str(-ROOM_SPEED), "--one-thread"]),
    }


def peers(inputs: Path, n: int, width: int, height: int, runs: int, paced: bool = False) -> dict:
    print(f"bench: peers n={n} {width}x{height}{' paced' if paced else ''}", flush=True)
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, str(ROOT / "Benchmarks" / "peers.py"), *room_args(inputs, n, width, height),
                        "--cpu-used", str(PEER_CPU_USED),
                        "--runs", str(runs), *(["--paced"] if paced else []), "--json", out.name], check=True)
        return {r["name"] + ("" if r["audio"] else "-video"): r for r in json.loads(Path(out.name).read_text())["results"]}


def quantiles(before: dict, after: dict, room: str, kind: str) -> dict:
    labels = {"room": room, "kind": kind}
    return {f"p{int(q * 100)}": histogram_quantile(before, after, "tessera_mixer_latency_seconds", labels, q)
            for q in (0.5, 0.95, 0.99)}


async def server_room(server: Server, inputs: Path, n: int, width: int, height: int, idle_rss: float, args) -> dict:
    """One room of `n` load participants on the running server, measured once; its memory
    against the server's resident size before its first room (freed memory stays mapped,
    so a later run's own delta would read near zero)."""
    client = await make_load_client("swift", server.url, server.key, inputs, 20.0, args.tessera_bench)
    try:
        room = await client.add_room(VideoSettings(width, height, FPS, BITRATE_KBPS[(width, height)]), n)
        await asyncio.sleep(args.warmup)
        before = parse_metrics(await asyncio.to_thread(server.metrics))
        cpu, start = server.cpu_seconds(), time.monotonic()
        await asyncio.sleep(args.seconds)
        after = parse_metrics(await asyncio.to_thread(server.metrics))
        end = time.monotonic()
        window = end - start
        received = (await client.report(start, end))["rooms"][0]
        return {
            "cores": (server.cpu_seconds() - cpu) / window,
            "mixerCores": room_delta(before, after, "tessera_mixer_cpu_seconds_total", room) / window,
            "fps": received["fps"], "minSecondFps": received["minSecondFps"], "audioFps": received["audioFps"],
            "skippedTicks": room_delta(before, after, "tessera_mixer_skipped_ticks_total", room),
            "encoderSpeed": int(after.get(("tessera_mixer_encoder_speed", frozenset({("room", room)})), ROOM_SPEED)),
            "videoLatency": quantiles(before, after, room, "video"),
            "audioLatency": quantiles(before, after, room, "audio"),
            "residentMbPerRoom": server.rss_mb() - idle_rss,
        }
    finally:
        await client.close()


def median_run(runs: list[dict]) -> dict:
    """The run with the median cores, with every run's cores alongside."""
    middle = sorted(runs, key=lambda run: run["cores"])[len(runs) // 2]
    return {**middle, "coresRuns": [run["cores"] for run in runs], "coresMedian": middle["cores"]}


def run_paced_floor(bench_binary: Path, inputs: Path, n: int, width: int, height: int, speed: int, args) -> dict:
    floor = last_json([str(bench_binary), "floor", *room_args(inputs, n, width, height), "--speed",
                       str(speed), "--seconds", str(args.seconds), "--runs", "1", "--paced"])
    return {**floor, "cores": floor["coresMedian"]}


def paced_floor_and_tessera(binary: Path, bench_binary: Path, inputs: Path, n: int, width: int, height: int,
                            args) -> tuple[dict, dict, dict | None]:
    """The paced floor and Tessera's server room, run by turns (floor, Tessera, floor, ...):
    the floor ratio's two sides, so a change in the machine's speed during the bench falls
    on both of them rather than on whichever ran in the slow minutes. The server is up, with
    no room, while the floor runs. For the target room, each turn also runs the paced floor
    at VP8's fastest speed: the least CPU the room's codec work can take on this machine,
    which the report sets against the peer targets."""
    fastest = (n, width) == TARGET_ROOM
    speeds = f" (speeds {ROOM_SPEED} and {FASTEST_SPEED})" if fastest else ""
    print(f"bench: floor --paced{speeds} and tessera server, by turns, n={n} {width}x{height}", flush=True)
    floors, fastest_floors, runs = [], [], []
    with tempfile.TemporaryDirectory(prefix="tessera-bench-") as data_dir:
        server = Server(binary, Path(data_dir))
        try:
            server.wait_ready()
            idle_rss = server.rss_mb()
            for _ in range(args.runs):
                floors.append(run_paced_floor(bench_binary, inputs, n, width, height, ROOM_SPEED, args))
                if fastest:
                    fastest_floors.append(run_paced_floor(bench_binary, inputs, n, width, height, FASTEST_SPEED, args))
                runs.append(asyncio.run(server_room(server, inputs, n, width, height, idle_rss, args)))
        finally:
            server.stop()
    tessera = {**median_run(runs), "residentMbPerRoom": max(run["residentMbPerRoom"] for run in runs)}
    return median_run(floors), tessera, (median_run(fastest_floors) if fastest_floors else None)


def measure(args) -> dict:
    inputs = args.inputs
    ensure_inputs(inputs, count=max(n for n, _, _ in ROOMS), seconds=INPUT_SECONDS)
    results = []
    for n, width, height in (ROOMS[:1] if args.quick else ROOMS):
        floor_paced, tessera, floor_fastest = paced_floor_and_tessera(args.tessera, args.tessera_bench, inputs,
                                                                      n, width, height, args)
        results.append({
            "n": n, "width": width, "height": height, "bitrateKbps": BITRATE_KBPS[(width, height)],
            "floor": in_process(args.tessera_bench, "floor", inputs, n, width, height, args),
            "floorPaced": floor_paced,
            **({"floorPacedFastest": floor_fastest} if floor_fastest else {}),
            "floorAtPeerSetting": in_process(args.tessera_bench, "floor", inputs, n, width, height, args,
                                             "--cpu-used", str(PEER_CPU_USED)),
            "mixer": in_process(args.tessera_bench, "mixer", inputs, n, width, height, args),
            "tessera": tessera,
            "peers": peers(inputs, n, width, height, args.runs),
            # Paced like a live room: one run of the whole job, for the target room only (20 s each).
            **({"peersPaced": peers(inputs, n, width, height, 1, paced=True)} if (n, width) == TARGET_ROOM else {}),
            "quality": quality(args.tessera_bench, inputs, n, width, height),
        })
    print("bench: transport (one peer's packet path)", flush=True)
    transport = last_json([str(args.tessera_bench), "transport", "--inputs", str(inputs), "--seconds", str(INPUT_SECONDS)])
    return {"machine": machine(), "versions": versions(), "runs": args.runs, "seconds": args.seconds, "transport": transport,
            "warmup": args.warmup, "roomSpeed": ROOM_SPEED, "fastestSpeed": FASTEST_SPEED, "peerCpuUsed": PEER_CPU_USED, "fps": FPS, "rooms": results,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tessera", type=Path, help="the server binary (release build)")
    parser.add_argument("--tessera-bench", type=Path, help="the tessera-bench binary (release build)")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rewrite the report from --results (e.g. after make bench-capacity)")
    parser.add_argument("--inputs", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (the median is reported)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds of room per run")
    parser.add_argument("--warmup", type=float, default=4.0, help="seconds a server room runs before it is measured")
    parser.add_argument("--quick", action="store_true", help="only the 4-person 1280x720 room")
    parser.add_argument("--results", type=Path, default=ROOT / ".bench-cache" / "results.json")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    if args.report_only:
        results = json.loads(args.results.read_text())
    else:
        if not args.tessera or not args.tessera_bench:
            parser.error("--tessera and --tessera-bench are required unless --report-only")
        try:
            results = measure(args)
        except (BenchError, LoadError, subprocess.CalledProcessError) as error:
            print(f"bench: {error}", file=sys.stderr)
            return 1
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(results, indent=1) + "\n")
    capacity_path = ROOT / ".bench-cache" / "capacity.json"
    capacity, when = None, ""
    if capacity_path.is_file():
        capacity = json.loads(capacity_path.read_text())
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(capacity_path.stat().st_mtime))
    args.report.write_text(render(results, capacity, when))
    print(f"bench: wrote {args.report} and {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
