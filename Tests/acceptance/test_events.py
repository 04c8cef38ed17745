"""The room events WebSocket (API.md, Events) against the live server: who may open it,
and what a room's socket receives while an aiortc participant joins, speaks and leaves."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import websocket

from conftest import Server, assert_error

CLIENT = Path(__file__).resolve().parent / "clients" / "whip_client.py"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
# The handshake of RFC 6455 §4.1, for requests that only want to see the refusal.
HANDSHAKE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
}


def events_url(server: Server, room: str, token: str | None = None) -> str:
    url = f"ws://127.0.0.1:{server.port}/v1/rooms/{room}/events"
    return f"{url}?token={token}" if token else url


class EventSocket:
    """One events WebSocket; `until` reads messages (checking each is one JSON event)
    until a condition on everything received so far holds."""

    def __init__(self, url: str, header: list[str] | None = None) -> None:
        self.ws = websocket.create_connection(url, header=header or [], timeout=10)
        self.events: list[dict] = []
        self.close_code: int | None = None

    def until(self, done, timeout: float, what: str) -> list[dict]:
        deadline = time.monotonic() + timeout
        while not done(self.events):
            remaining = deadline - time.monotonic()
            assert remaining > 0 and self.close_code is None, (
                f"no {what} within {timeout:.0f} s (closed: {self.close_code}); received: {self.events}"
            )
            self.ws.settimeout(remaining)
            opcode, data = self.ws.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_TEXT:
                event = json.loads(data)
                assert isinstance(event, dict), f"a message is not one JSON object: {data!r}"
                assert TIMESTAMP.match(event.get("at", "")), f"bad 'at' in {event}"
                self.events.append(event)
            elif opcode == websocket.ABNF.OPCODE_CLOSE:
                self.close_code = int.from_bytes(data[:2], "big") if len(data) >= 2 else 1005
        return self.events

    def wait_closed(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.close_code is None:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"the socket was not closed within {timeout:.0f} s"
            self.until(lambda _: self.close_code is not None, remaining, "close")
        return self.close_code

    def close(self) -> None:
        self.ws.close()


def index(events: list[dict], **fields) -> int:
    """Position of the first event with all of `fields`; fails if there is none."""
    for i, event in enumerate(events):
        if all(event.get(k) == v for k, v in fields.items()):
            return i
    raise AssertionError(f"no event with {fields} in {events}")


def test_a_participant_joins_speaks_and_leaves_in_order(server: Server) -> None:
    room = server.post("/v1/rooms", json={"name": "events"}).json()["id"]
    publisher = server.post(f"/v1/rooms/{room}/tokens", json={"displayName": "Ada"}).json()["token"]
    viewer = server.post(f"/v1/rooms/{room}/tokens", json={"displayName": "Watcher", "role": "viewer"}).json()["token"]
    # Browsers can only use ?token=; other clients send the header.
    by_query = EventSocket(events_url(server, room, viewer))
    by_header = EventSocket(events_url(server, room), header=[f"Authorization: Bearer {publisher}"])

    # A 440 Hz tone: the mixer's speaker detection needs ~60 ms of loud audio.
    cmd = [sys.executable, str(CLIENT), "--server", server.base_url, "--room", room, "--token", publisher,
           "--tone", "440", "--seconds", "5"]
    client = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        events = by_query.until(lambda e: any(x["type"] == "participant-left" for x in e), 60, "participant-left")
        out, err = client.communicate(timeout=30)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
    result = json.loads(out.strip().splitlines()[-1])
    assert result["connected"] is True and result["deleteStatus"] == 200, (result, err[-2000:])
    events = by_query.until(lambda e: any(x["type"] == "meeting-ended" for x in e), 10, "meeting-ended")

    joined = events[index(events, type="participant-joined")]
    pid = joined["participantId"]
    assert result["participantId"] == pid, "the WHIP answer's Tessera-Participant-Id is the id of the events"
    assert (joined["displayName"], joined["role"]) == ("Ada", "publisher"), joined
    assert set(joined) == {"type", "at", "participantId", "displayName", "role"}
    assert [e["type"] for e in events if e.get("participantId", pid) != pid] == [], "events of someone else"

    speaking = index(events, type="speaking", participantId=pid, speaking=True)
    left = index(events, type="participant-left", participantId=pid)
    ended = index(events, type="meeting-ended")
    assert index(events, type="participant-joined") < speaking < left < ended, [e["type"] for e in events]
    assert events[left]["reason"] == "left"
    assert set(events[left]) == {"type", "at", "participantId", "reason"}
    assert set(events[speaking]) == {"type", "at", "participantId", "speaking"}
    meetings = server.get(f"/v1/meetings?room={room}").json()["meetings"]
    assert events[ended]["meetingId"] == meetings[0]["id"]
    stamps = [e["at"] for e in events]
    assert stamps == sorted(stamps), f"events out of time order: {stamps}"

    # The other socket saw the same events in the same order.
    assert by_header.until(lambda e: len(e) >= len(events), 10, "the same events") == events

    assert server.patch(f"/v1/rooms/{room}", json={"layout": "speaker"}).status_code == 200
    changed = by_query.until(lambda e: e[-1]["type"] == "layout-changed", 10, "layout-changed")[-1]
    assert changed["layout"] == "speaker"
    assert set(changed) == {"type", "at", "layout"}

    # Deleting the room closes its sockets normally.
    assert server.delete(f"/v1/rooms/{room}").status_code == 204
    assert by_query.wait_closed(10) == 1000
    by_query.close()
    by_header.close()


def test_deleting_a_room_sends_its_participants_away_then_closes_its_sockets(server: Server) -> None:
    room = server.post("/v1/rooms", json={"name": "doomed", "access": "open"}).json()["id"]
    socket = EventSocket(events_url(server, room))
    cmd = [sys.executable, str(CLIENT), "--server", server.base_url, "--room", room, "--name", "Bo", "--seconds", "30"]
    client = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        socket.until(lambda e: any(x["type"] == "participant-joined" for x in e), 30, "participant-joined")
        assert server.delete(f"/v1/rooms/{room}").status_code == 204
        assert socket.wait_closed(10) == 1000
    finally:
        client.kill()
        client.wait()
    types = [e["type"] for e in socket.events]
    assert types == ["participant-joined", "participant-left", "meeting-ended"], socket.events
    assert socket.events[1]["reason"] == "room-deleted"
    socket.close()


def test_a_refused_handshake_gets_the_json_error_before_any_upgrade(server: Server) -> None:
    room = server.post("/v1/rooms", json={"name": "private"}).json()["id"]
    other = server.post("/v1/rooms", json={"name": "other"}).json()["id"]
    foreign = server.post(f"/v1/rooms/{other}/tokens", json={"displayName": "F"}).json()["token"]
    path = f"/v1/rooms/{room}/events"

    for token, status, code in [(None, 401, "unauthorized"), ("forged", 401, "unauthorized"), (foreign, 403, "forbidden")]:
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(events_url(server, room, token), timeout=10)
        assert refused.value.status_code == status, (token, refused.value)
        # The same handshake by hand: the body is the API's error JSON, not an empty 400.
        resp = server.get(path + (f"?token={token}" if token else ""), auth=False, headers=HANDSHAKE)
        assert_error(resp, status, code)

    assert_error(server.get("/v1/rooms/nope/events", headers=HANDSHAKE), 404, "not_found")
    # Allowed, but not a WebSocket handshake: 426 says what to send.
    plain = server.get(path)
    assert_error(plain, 426, "upgrade_required")
    assert plain.headers.get("Upgrade") == "websocket"
    # No socket stayed subscribed for a refusal.
    assert re.search(r"^tessera_event_subscribers 0$", server.get("/metrics").text, re.MULTILINE)


def test_an_open_rooms_events_need_no_token_and_shutdown_closes_them(server: Server) -> None:
    room = server.post("/v1/rooms", json={"name": "open", "access": "open"}).json()["id"]
    socket = EventSocket(events_url(server, room))
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(events_url(server, room, "forged"), timeout=10)
    assert re.search(r"^tessera_event_subscribers 1$", server.get("/metrics").text, re.MULTILINE)
    server.stop()  # SIGTERM: exit 0 within 10 s although a socket is open
    assert socket.wait_closed(5) == 1001
    socket.close()
