"""Recordings and meeting records end to end (issue 5's acceptance lines): the room's mix
written to WebM while real aiortc peers talk, checked with Debian's ffprobe and decoded
with PyAV; meeting records with leave reasons; SIGKILL mid-recording; a write error.
"""

from __future__ import annotations

import array
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import av

from conftest import Server, run_cli
from test_events import EventSocket, events_url
from test_media_sessions import make_room, metric

sys.path.insert(0, str(Path(__file__).resolve().parent / "clients"))
from media_analysis import beep_onsets, block_colours, find_colour, flash_onsets, mean_luma, pair_offsets  # noqa: E402

GREEN = "0,255,0"


def ffprobe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, f"ffprobe refused {path}: {out.stderr}"
    return json.loads(out.stdout)


def decode(path: Path) -> dict:
    """Every video frame's time, mean luma and green coverage; the mono audio with its start."""
    frames: list[tuple[float, float, float]] = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            small = frame.reformat(width=40, height=22, format="rgb24", interpolation="AREA")
            plane = small.planes[0]
            blocks = block_colours(bytes(plane), 40, 22, block=1, stride=plane.line_size)
            frames.append((float(frame.time), mean_luma(blocks), find_colour(blocks, (0, 255, 0), 48)))
    samples = array.array("h")
    audio_start = None
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        for frame in container.decode(audio=0):
            if audio_start is None:
                audio_start = float(frame.time)
            for out in resampler.resample(frame):
                samples.frombytes(bytes(out.planes[0])[: out.samples * 2])
    return {"frames": frames, "audio": [s / 32768 for s in samples], "audioStart": audio_start or 0.0}


def recording_file(server: Server, recording: dict) -> Path:
    return server.data_dir / "recordings" / recording["roomId"] / f"{recording['id']}.webm"


def test_two_clients_recorded_for_20_s_give_a_synced_webm_of_both_tiles(server: Server, clients) -> None:
    room = make_room(server)
    flasher = clients(server, room, "A", "--flash-period", "1", "--seconds", "60")
    talker = clients(server, room, "B", "--colour", GREEN, "--tone", "800", "--seconds", "60")
    flasher.wait_connected()
    talker.wait_connected()
    time.sleep(1)
    started = time.monotonic()
    resp = server.post(f"/v1/rooms/{room}/recordings")
    assert resp.status_code == 201, resp.text
    recording = resp.json()
    assert sorted(recording) == ["id", "meetingId", "roomId", "startedAt", "status"] and recording["status"] == "recording"
    assert server.post(f"/v1/rooms/{room}/recordings").status_code == 409, "one recording per room at a time"
    time.sleep(20)
    stop = server.post(f"/v1/recordings/{recording['id']}/stop")
    wall = time.monotonic() - started
    assert stop.status_code == 200, stop.text
    done = stop.json()
    flasher.leave()
    talker.leave()
    flasher.finish()
    talker.finish()
    assert done["status"] == "completed", done
    assert server.post(f"/v1/recordings/{recording['id']}/stop").status_code == 409

    path = recording_file(server, recording)
    assert path.is_file(), path
    assert done["sizeBytes"] == path.stat().st_size
    assert metric(server, "tessera_recording_bytes_total") >= done["sizeBytes"]
    assert metric(server, "tessera_recordings_active") == 0
    probe = ffprobe(path)
    assert "webm" in probe["format"]["format_name"], probe["format"]
    codecs = sorted(s["codec_name"] for s in probe["streams"])
    assert codecs == ["opus", "vp8"], codecs
    duration = float(probe["format"]["duration"])
    print(f"recording: wall {wall:.2f} s, file {duration:.2f} s, row {done['durationMs']} ms, {done['sizeBytes']} bytes")
    assert abs(duration - wall) <= 0.05 * wall, f"file lasts {duration:.2f} s for {wall:.2f} s recorded"
    assert abs(done["durationMs"] / 1000 - wall) <= 0.05 * wall

    media = decode(path)
    frames = media["frames"]
    assert len(frames) >= 0.9 * 30 * wall, f"{len(frames)} video frames in {wall:.1f} s"
    assert statistics.median(green for _, _, green in frames) >= 0.03, "B's tile is in the file"
    flashes = flash_onsets([t for t, _, _ in frames], [luma for _, luma, _ in frames])
    beeps = beep_onsets(media["audio"], 48000, media["audioStart"], 1000)
    offsets = pair_offsets(flashes, beeps, max_gap=0.5)
    print(f"recording lip-sync: {len(flashes)} flashes, {len(beeps)} beeps, offsets (ms) {[round(o * 1000, 1) for o in offsets]}")
    assert len(offsets) >= 10, f"A's flashes and beeps: {flashes} / {beeps}"
    assert abs(statistics.median(offsets)) <= 0.040, f"flash/beep offset in the file: {offsets}"

    # The file route returns the exact bytes, whole and by range.
    whole = server.get(f"/v1/recordings/{recording['id']}/file")
    assert whole.status_code == 200 and whole.headers["Content-Type"] == "video/webm"
    assert whole.content == path.read_bytes()
    part = server.get(f"/v1/recordings/{recording['id']}/file", headers={"Range": "bytes=1000-65535"})
    assert part.status_code == 206 and part.content == path.read_bytes()[1000:65536]
    assert part.headers["Content-Range"] == f"bytes 1000-65535/{path.stat().st_size}"


def test_meetings_list_every_attendance_with_its_leave_reason(server: Server, clients, tmp_path: Path) -> None:
    resp = server.post("/v1/rooms", json={"name": "auto", "access": "open", "autoRecord": True})
    assert resp.status_code == 201, resp.text
    room = resp.json()["id"]
    socket = EventSocket(events_url(server, room))
    leaver = clients(server, room, "Leaver", "--colour", GREEN, "--seconds", "60")
    kicked = clients(server, room, "Kicked", "--tone", "500", "--seconds", "60")
    leaver.wait_connected()
    kicked_id = kicked.wait_connected()["participantId"]
    time.sleep(2)
    running = server.get(f"/v1/recordings?room={room}").json()["recordings"]
    assert [r["status"] for r in running] == ["recording"], f"autoRecord starts with the meeting: {running}"
    leaver.leave()
    assert leaver.finish()["deleteStatus"] == 200
    assert server.delete(f"/v1/rooms/{room}/participants/{kicked_id}").status_code == 204
    kicked.leave()
    kicked.finish()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        meetings = server.get(f"/v1/meetings?room={room}").json()["meetings"]
        if meetings and meetings[0]["endedAt"]:
            break
        time.sleep(0.2)
    assert len(meetings) == 1 and meetings[0]["endedAt"], meetings
    types = [e["type"] for e in socket.until(lambda es: any(e["type"] == "meeting-ended" for e in es), 10, "meeting-ended")]
    socket.close()
    recording_types = [t for t in types if t.startswith("recording-") or t == "meeting-ended"]
    assert recording_types == ["recording-started", "recording-stopped", "meeting-ended"], types
    reasons = {a["displayName"]: a["leaveReason"] for a in meetings[0]["attendances"]}
    assert reasons == {"Leaver": "left", "Kicked": "kicked"}, meetings
    assert all(a["leftAt"] for a in meetings[0]["attendances"])
    # The meeting ended with its last participant, and so did its recording.
    final = server.get(f"/v1/recordings?room={room}").json()["recordings"]
    assert [r["status"] for r in final] == ["completed"], final

    # The CLI lists, exports and deletes it.
    data = ["--data-dir", str(server.data_dir)]
    listed = run_cli("recordings", "list", "--room", room, *data)
    assert listed.returncode == 0, listed.stderr
    assert [r["id"] for r in json.loads(listed.stdout)["recordings"]] == [final[0]["id"]]
    target = tmp_path / "exported.webm"
    exported = run_cli("recordings", "export", final[0]["id"], str(target), *data)
    assert exported.returncode == 0, exported.stderr
    assert target.read_bytes() == recording_file(server, final[0]).read_bytes()
    again = run_cli("recordings", "export", final[0]["id"], str(target), *data)
    assert again.returncode != 0 and "--force" in again.stderr, "an existing file is not overwritten silently"
    deleted = run_cli("recordings", "delete", final[0]["id"], *data)
    assert deleted.returncode == 0, deleted.stderr
    assert not recording_file(server, final[0]).exists()
    assert server.get(f"/v1/recordings/{final[0]['id']}").status_code == 404


def test_sigkill_mid_recording_leaves_an_interrupted_playable_file(start_server, tmp_path: Path, clients) -> None:
    server = start_server(tmp_path / "killed")
    room = make_room(server)
    talker = clients(server, room, "A", "--colour", GREEN, "--tone", "600", "--seconds", "60")
    talker.wait_connected()
    recording = server.post(f"/v1/rooms/{room}/recordings").json()
    started = time.monotonic()
    time.sleep(10)
    server.kill()
    elapsed = time.monotonic() - started
    talker.kill()
    server.start()
    after = server.get(f"/v1/recordings/{recording['id']}").json()
    assert after["status"] == "interrupted", after
    path = recording_file(server, recording)
    decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True, timeout=120)
    assert decoded.returncode == 0, decoded.stderr
    frames = decode(path)["frames"]
    playable = frames[-1][0] if frames else 0
    print(f"SIGKILL after {elapsed:.1f} s of recording: {playable:.1f} s playable, row {after['durationMs']} ms")
    assert playable >= elapsed - 5, f"only {playable:.1f} s of {elapsed:.1f} s decode"
    meeting = server.get(f"/v1/meetings?room={room}").json()["meetings"][0]
    assert meeting["endedAt"] and all(a["leaveReason"] == "shutdown" for a in meeting["attendances"]), meeting
    # Deleting the room keeps its recordings unless asked (CLI).
    removed = run_cli("rooms", "delete", room, "--delete-recordings", "--data-dir", str(server.data_dir))
    assert removed.returncode == 0 and "1 recording" in removed.stdout, removed.stderr
    assert not path.exists() and server.get(f"/v1/recordings/{recording['id']}").status_code == 404


def test_a_write_error_fails_the_recording_while_the_meeting_goes_on(start_server, tmp_path: Path, clients) -> None:
    # Files may not grow past 500 kB (the database stays far below): the recording's
    # writes fail like a full disk after about 20 s of this mix.
    server = start_server(tmp_path / "full", file_size_limit=500_000)
    room = make_room(server)
    viewer = clients(server, room, "B", "--colour", GREEN, "--seconds", "60")
    talker = clients(server, room, "A", "--flash-period", "1", "--seconds", "60")
    viewer.wait_connected()
    talker.wait_connected()
    recording = server.post(f"/v1/rooms/{room}/recordings").json()
    deadline = time.monotonic() + 50
    status = "recording"
    while time.monotonic() < deadline and status == "recording":
        time.sleep(0.5)
        status = server.get(f"/v1/recordings/{recording['id']}").json()["status"]
    failed_at = time.monotonic()
    assert status == "failed", f"the recording is {status} after hitting the size limit"
    time.sleep(3)
    detail = server.get(f"/v1/rooms/{room}").json()
    assert detail["meetingId"] == recording["meetingId"] and len(detail["participants"]) == 2, detail
    assert detail.get("recording") is None, detail
    viewer.leave()
    result = viewer.finish()
    talker.leave()
    talker.finish()
    print(f"write error: failed after {failed_at - (deadline - 50):.1f} s; B's fps {result['fps']}, min/s {result['minFpsPerSecond']}")
    assert result["fps"] >= 25 and result["minFpsPerSecond"] >= 20, f"the mix stalled: {result['fps']} fps"
    logs = server.stdout_tail(400) + server.stderr_tail(400)
    assert "recording failed" in logs, "the failure and its reason are logged"
