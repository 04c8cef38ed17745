"""WHIP/WHEP against the live server with aiortc as an independent WebRTC peer:
ICE-lite, DTLS-SRTP and the participant/meeting records that sessions make."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from conftest import Server, assert_error

CLIENT = Path(__file__).resolve().parent / "clients" / "whip_client.py"


def metric(server: Server, name: str, labels: str = "") -> float:
    text = server.get("/metrics").text
    match = re.search(rf"^{re.escape(name + labels)} ([0-9.e+]+)$", text, re.MULTILINE)
    assert match, f"{name}{labels} not in /metrics"
    return float(match.group(1))


def run_client(server: Server, room: str, *args: str, timeout: float = 60) -> dict:
    cmd = [sys.executable, str(CLIENT), "--server", server.base_url, "--room", room, *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"client printed nothing (exit {done.returncode})\nstderr:\n{done.stderr[-3000:]}\nserver:\n{server.stderr_tail()}"
    return json.loads(lines[-1])


def start_client(server: Server, room: str, *args: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, str(CLIENT), "--server", server.base_url, "--room", room, *args]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_connected(proc: subprocess.Popen[str], timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        event = json.loads(line)
        if event.get("event") == "connected" or "status" in event:
            return event
    raise AssertionError("client did not report a connection")


def make_room(server: Server, access: str = "open", video: dict | None = None) -> str:
    resp = server.post("/v1/rooms", json={"name": "media", "access": access, **({"video": video} if video else {})})
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


def meeting_of(server: Server, room: str) -> dict:
    meetings = server.get(f"/v1/meetings?room={room}").json()["meetings"]
    assert len(meetings) == 1, meetings
    return meetings[0]


def test_aiortc_publishes_over_whip_and_server_decrypts(server: Server) -> None:
    room = make_room(server)
    before = metric(server, "tessera_packets_decrypted_total", '{class="rtp"}')
    proc = start_client(server, room, "--name", "Ada", "--seconds", "4")
    event = wait_connected(proc)
    assert event.get("event") == "connected", event
    people = server.get(f"/v1/rooms/{room}/participants").json()["participants"]
    assert [p["displayName"] for p in people] == ["Ada"]
    assert people[0]["role"] == "publisher"
    out, err = proc.communicate(timeout=60)
    result = json.loads(out.strip().splitlines()[-1])
    assert result["connected"] is True, (result, err[-2000:])
    assert result["deleteStatus"] == 200
    decrypted = metric(server, "tessera_packets_decrypted_total", '{class="rtp"}') - before
    # aiortc sends 50 audio packets/s and ~30 video frames/s for 4 s: far more than 100.
    assert decrypted > 100, f"server decrypted only {decrypted} RTP packets (client sent {result['packetsSent']})"
    assert metric(server, "tessera_packets_in_total", '{class="stun"}') > 0
    assert metric(server, "tessera_packets_in_total", '{class="dtls"}') > 0
    assert server.get(f"/v1/rooms/{room}/participants").json()["participants"] == []
    meeting = meeting_of(server, room)
    assert meeting["endedAt"] is not None
    assert [(a["displayName"], a["leaveReason"]) for a in meeting["attendances"]] == [("Ada", "left")]


def test_whep_viewer_connects_without_sending(server: Server) -> None:
    room = make_room(server)
    result = run_client(server, room, "--mode", "whep", "--name", "Viewer", "--seconds", "1")
    assert result["status"] == 201, result
    assert result["connected"] is True, result
    assert result["packetsSent"] == 0
    attendance = meeting_of(server, room)["attendances"][0]
    assert (attendance["displayName"], attendance["leaveReason"]) == ("Viewer", "left")
    assert result["participantId"] == attendance["participantId"], result


def test_kick_ends_the_session(server: Server) -> None:
    room = make_room(server)
    proc = start_client(server, room, "--name", "Bob", "--seconds", "20")
    assert wait_connected(proc).get("event") == "connected"
    pid = server.get(f"/v1/rooms/{room}/participants").json()["participants"][0]["id"]
    assert server.delete(f"/v1/rooms/{room}/participants/{pid}").status_code == 204
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and server.get(f"/v1/rooms/{room}/participants").json()["participants"]:
        time.sleep(0.1)
    assert server.get(f"/v1/rooms/{room}/participants").json()["participants"] == []
    proc.kill()
    proc.wait()
    assert meeting_of(server, room)["attendances"][0]["leaveReason"] == "kicked"


def test_a_participant_id_is_not_a_session_url(server: Server) -> None:
    """Participant ids are public in the room (events, participant list): another member
    who uses one as a session URL gets 404 and changes nothing. Only the Location works."""
    room = make_room(server, access="token")
    tokens = {name: server.post(f"/v1/rooms/{room}/tokens", json={"displayName": name}).json()["token"] for name in ("Ann", "Eve")}
    ann = start_client(server, room, "--token", tokens["Ann"], "--seconds", "10")
    eve = start_client(server, room, "--token", tokens["Eve"], "--seconds", "20")
    try:
        joined = {"Ann": wait_connected(ann), "Eve": wait_connected(eve)}
        people = {p["displayName"]: p for p in server.get(f"/v1/rooms/{room}/participants").json()["participants"]}
        for name, event in joined.items():
            assert event.get("event") == "connected", event
            assert event["participantId"] == people[name]["id"], (event, people)
            key = event["location"].rsplit("/", 1)[-1]
            assert event["location"] == f"/v1/rooms/{room}/sessions/{key}", event
            assert key != people[name]["id"] and re.fullmatch(r"[0-9a-f]{32,}", key), key
        ann_id = people["Ann"]["id"]
        base = server.base_url

        def as_eve(method: str, path: str, **kwargs) -> requests.Response:
            headers = {"Authorization": f"Bearer {tokens['Eve']}", **kwargs.pop("headers", {})}
            return server.session.request(method, base + path, headers=headers, timeout=10, **kwargs)

        forged = f"/v1/rooms/{room}/sessions/{ann_id}"
        restart = "a=ice-ufrag:evil\r\na=ice-pwd:restartpassword0123456789\r\n"
        for resp in (
            as_eve("PATCH", forged, json={"audioMuted": True, "videoMuted": True}),
            as_eve("PATCH", forged, data=restart, headers={"Content-Type": "application/trickle-ice-sdpfrag"}),
            as_eve("DELETE", forged),
        ):
            assert_error(resp, 404, "not_found")
        time.sleep(0.5)
        people = {p["displayName"]: p for p in server.get(f"/v1/rooms/{room}/participants").json()["participants"]}
        assert set(people) == {"Ann", "Eve"}, people
        assert (people["Ann"]["audioMuted"], people["Ann"]["videoMuted"]) == (False, False), people["Ann"]
        assert ann.poll() is None, "Ann's client ended"

        # Ann's own URL still works for her.
        mine = server.session.patch(base + joined["Ann"]["location"], json={"audioMuted": True},
                                    headers={"Authorization": f"Bearer {tokens['Ann']}"}, timeout=10)
        assert (mine.status_code, mine.json().get("id"), mine.json().get("audioMuted")) == (200, ann_id, True), mine.text
        out, err = ann.communicate(timeout=40)
        result = json.loads(out.strip().splitlines()[-1])
        assert (result["participantId"], result["deleteStatus"]) == (ann_id, 200), (result, err[-2000:])
        reasons = {a["displayName"]: a["leaveReason"] for a in meeting_of(server, room)["attendances"]}
        assert reasons == {"Ann": "left", "Eve": None}, reasons
    finally:
        for proc in (ann, eve):
            proc.kill()
            proc.wait()


def test_vanished_client_is_removed_by_consent_timeout(server: Server) -> None:
    room = make_room(server)
    result = run_client(server, room, "--name", "Gone", "--seconds", "1", "--vanish")
    assert result["connected"] is True, result
    assert len(server.get(f"/v1/rooms/{room}/participants").json()["participants"]) == 1
    vanished_at = time.monotonic()
    while time.monotonic() - vanished_at < 40:
        if not server.get(f"/v1/rooms/{room}/participants").json()["participants"]:
            break
        time.sleep(0.5)
    gone_after = time.monotonic() - vanished_at
    assert gone_after < 35, f"participant still listed {gone_after:.1f} s after the client vanished"
    assert gone_after > 25, f"removed after {gone_after:.1f} s: consent freshness allows 30 s"
    assert meeting_of(server, room)["attendances"][0]["leaveReason"] == "timeout"


def test_certificate_not_matching_the_sdp_fingerprint_is_refused(server: Server) -> None:
    room = make_room(server)
    result = run_client(server, room, "--name", "Mallory", "--seconds", "0", "--tamper-fingerprint", "--connect-timeout", "8")
    assert result["status"] == 201, result
    assert result["connected"] is False, result
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and server.get(f"/v1/rooms/{room}/participants").json()["participants"]:
        time.sleep(0.1)
    assert server.get(f"/v1/rooms/{room}/participants").json()["participants"] == []
    assert metric(server, "tessera_packets_decrypted_total", '{class="rtp"}') == 0


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("v=0\r\nthis is not sdp\r\n", "application/sdp", 400),
        ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", "application/sdp", 422),
        ("{}", "application/json", 415),
        ("", "application/sdp", 400),
    ],
)
def test_bad_offers_get_a_4xx_with_a_reason_and_leave_nothing(server: Server, body: str, content_type: str, status: int) -> None:
    room = make_room(server)
    resp = server.session.post(f"{server.base_url}/v1/rooms/{room}/whip", data=body.encode(), headers={"Content-Type": content_type})
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert error["message"]
    assert server.get(f"/v1/rooms/{room}/participants").json()["participants"] == []
    assert server.get(f"/v1/meetings?room={room}").json()["meetings"] == []
    assert metric(server, "tessera_media_sessions") == 0


def test_token_rules_for_media_routes(server: Server) -> None:
    room = make_room(server, access="token")
    other = make_room(server, access="token")
    offer = "v=0\r\n"
    url = f"{server.base_url}/v1/rooms/{room}/whip"
    headers = {"Content-Type": "application/sdp"}
    assert server.session.post(url, data=offer, headers=headers).status_code == 401
    assert server.session.post(url, data=offer, headers={**headers, "Authorization": "Bearer nonsense"}).status_code == 401
    viewer = server.post(f"/v1/rooms/{room}/tokens", json={"displayName": "V", "role": "viewer"}).json()["token"]
    assert server.session.post(url, data=offer, headers={**headers, "Authorization": f"Bearer {viewer}"}).status_code == 403
    foreign = server.post(f"/v1/rooms/{other}/tokens", json={"displayName": "F"}).json()["token"]
    assert server.session.post(url, data=offer, headers={**headers, "Authorization": f"Bearer {foreign}"}).status_code == 403
    publisher = server.post(f"/v1/rooms/{room}/tokens", json={"displayName": "Pat"}).json()["token"]
    result = run_client(server, room, "--token", publisher, "--seconds", "1")
    assert result["connected"] is True, result
    attendance = meeting_of(server, room)["attendances"][0]
    assert attendance["displayName"] == "Pat"


def test_cors_preflight_exposes_location(server: Server) -> None:
    room = make_room(server)
    resp = server.session.options(
        f"{server.base_url}/v1/rooms/{room}/whip",
        headers={"Origin": "http://example.test", "Access-Control-Request-Method": "POST"},
    )
    assert resp.status_code == 204
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "Location" in resp.headers["Access-Control-Expose-Headers"]
    assert "Tessera-Participant-Id" in resp.headers["Access-Control-Expose-Headers"]
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]


def test_lost_client_packets_are_nacked_and_retransmitted(server: Server) -> None:
    from clients.lossy_proxy import LossyProxy

    room = make_room(server)
    proxy = LossyProxy(server.media_port, loss=0.10)
    try:
        result = run_client(server, room, "--name", "Lossy", "--seconds", "5", "--candidate-port", str(proxy.port))
    finally:
        proxy.close()
    assert result["connected"] is True, result
    assert proxy.dropped > 20, f"the proxy dropped only {proxy.dropped} packets"
    nacks = metric(server, "tessera_nacks_total", '{direction="out"}')
    repaired = metric(server, "tessera_retransmissions_total", '{direction="in"}')
    assert nacks > 0, "the server sent no NACK for the lost packets"
    assert repaired > 0, f"the client answered none of {nacks:.0f} NACKs"
    assert metric(server, "tessera_frames_in_total") > 100


@pytest.mark.parametrize(
    "datagram",
    [
        b"",
        b"\x00",
        b"\x00\x01\x00\x00\x21\x12\xa4\x42",  # truncated STUN header
        b"\x00\x01\x00\x08\x21\x12\xa4\x42" + b"\x00" * 12 + b"\x00\x06\x00\x10abc",  # STUN attribute overrun
        b"\x16\xfe\xfd" + b"\xff" * 40,  # DTLS-looking garbage from an unknown address
        b"\x80\x60\x00\x01" + b"\x00" * 4,  # truncated RTP
        b"\x80\xc8\x00\x06" + b"\x00" * 3,  # truncated RTCP SR
        b"\x80" * 1400,  # RTP-classed garbage
        b"\xff" * 2000,  # oversized, unknown class
        bytes(range(256)) * 8,  # larger than any media datagram
    ],
)
def test_garbage_datagrams_are_dropped_and_counted(server: Server, datagram: bytes) -> None:
    import socket

    before = sum(
        float(line.rsplit(" ", 1)[1])
        for line in server.get("/metrics").text.splitlines()
        if line.startswith("tessera_packets_dropped_total")
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for _ in range(5):
            sock.sendto(datagram, ("127.0.0.1", server.media_port))
    finally:
        sock.close()
    deadline = time.monotonic() + 5
    after = before
    while time.monotonic() < deadline:
        after = sum(
            float(line.rsplit(" ", 1)[1])
            for line in server.get("/metrics").text.splitlines()
            if line.startswith("tessera_packets_dropped_total")
        )
        if after >= before + 5 or not datagram:
            break
        time.sleep(0.05)
    if datagram:
        assert after >= before + 5, f"dropped counter went from {before} to {after}"
    assert server.get("/readyz").status_code == 200
    assert server.proc is not None and server.proc.poll() is None, "the server died"


def test_patch_trickles_and_restarts_ice(server: Server) -> None:
    room = make_room(server)
    proc = start_client(server, room, "--name", "Patchy", "--seconds", "6")
    event = wait_connected(proc)
    assert event.get("event") == "connected", event
    url = f"{server.base_url}{event['location']}"
    frag = "application/trickle-ice-sdpfrag"
    # A trickled candidate with the current ufrag needs nothing from an ICE-lite server.
    trickle = "a=ice-ufrag:zzzz\r\na=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\n"
    restart_without_password = server.session.patch(url, data=trickle, headers={"Content-Type": frag})
    # "zzzz" differs from the client's ufrag: that asks for a restart, which needs a password.
    assert restart_without_password.status_code == 400, restart_without_password.text
    assert server.session.patch(url, data="a=end-of-candidates\r\n", headers={"Content-Type": frag}).status_code == 204
    # JSON is the participant's own mute (test_web_client.py); other types are refused.
    assert server.session.patch(url, data="a=end-of-candidates\r\n", headers={"Content-Type": "text/plain"}).status_code == 415
    restart = server.session.patch(
        url, data="a=ice-ufrag:r3st\r\na=ice-pwd:restartpassword0123456789\r\n", headers={"Content-Type": frag}
    )
    assert restart.status_code == 200, restart.text
    assert restart.headers["Content-Type"].startswith(frag)
    body = restart.text
    assert "a=ice-lite" in body and "a=ice-ufrag:" in body and "a=ice-pwd:" in body
    assert f" {server.media_port} typ host" in body
    assert server.session.patch(f"{server.base_url}/v1/rooms/{room}/sessions/nope", data="", headers={"Content-Type": frag}).status_code == 404
    proc.kill()
    proc.wait()
