"""Rooms: create, list, get, patch, delete (API.md, Rooms)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from conftest import assert_error, assert_json

ROOM_KEYS = {"id", "name", "layout", "access", "maxParticipants", "autoRecord", "video", "createdAt"}
DETAIL_KEYS = ROOM_KEYS | {"participants", "meetingId", "recording"}
VIDEO_KEYS = {"width", "height", "fps", "bitrateKbps"}
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def parse_time(text: str) -> datetime:
    assert isinstance(text, str) and ISO_UTC.match(text), f"{text!r} is not an ISO 8601 UTC timestamp"
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def create_room(server, body):
    return assert_json(server.post("/v1/rooms", json=body), 201)


def test_create_room_defaults(server):
    before = datetime.now(timezone.utc)
    room = create_room(server, {"name": "standup"})
    assert set(room) == ROOM_KEYS
    assert isinstance(room["id"], str) and room["id"]
    assert room["name"] == "standup"
    assert room["layout"] == "grid"
    assert room["access"] == "token"
    assert room["maxParticipants"] == 16
    assert room["autoRecord"] is False
    assert room["video"] == {"width": 1280, "height": 720, "fps": 30, "bitrateKbps": 1500}
    assert set(room["video"]) == VIDEO_KEYS
    created = parse_time(room["createdAt"])
    assert abs((created - before).total_seconds()) < 120


def test_create_room_echoes_every_field(server):
    body = {
        "name": "board meeting",
        "layout": "speaker",
        "access": "open",
        "maxParticipants": 4,
        "autoRecord": True,
        "video": {"width": 640, "height": 360, "fps": 15, "bitrateKbps": 800},
    }
    room = create_room(server, body)
    assert set(room) == ROOM_KEYS
    for key, value in body.items():
        assert room[key] == value, f"{key}: sent {value!r}, got {room[key]!r}"
    # and it is stored that way
    got = assert_json(server.get(f"/v1/rooms/{room['id']}"), 200)
    for key, value in body.items():
        assert got[key] == value, f"GET {key}: expected {value!r}, got {got[key]!r}"


def test_two_rooms_get_distinct_ids(server):
    a = create_room(server, {"name": "a"})
    b = create_room(server, {"name": "a"})
    assert a["id"] != b["id"]


def test_list_rooms_contains_created_room(server):
    empty = assert_json(server.get("/v1/rooms"), 200)
    assert empty == {"rooms": []}
    room = create_room(server, {"name": "standup"})
    other = create_room(server, {"name": "retro", "layout": "speaker"})
    listed = assert_json(server.get("/v1/rooms"), 200)
    assert set(listed) == {"rooms"}
    assert isinstance(listed["rooms"], list)
    by_id = {r["id"]: r for r in listed["rooms"]}
    assert len(listed["rooms"]) == 2
    assert by_id[room["id"]] == room
    assert by_id[other["id"]] == other
    for r in listed["rooms"]:
        assert set(r) == ROOM_KEYS


def test_get_room_detail(server):
    room = create_room(server, {"name": "standup"})
    detail = assert_json(server.get(f"/v1/rooms/{room['id']}"), 200)
    assert set(detail) == DETAIL_KEYS
    assert detail["participants"] == []
    assert detail["meetingId"] is None
    assert detail["recording"] is None
    assert {k: detail[k] for k in ROOM_KEYS} == room


def test_patch_room_fields(server):
    room = create_room(server, {"name": "standup"})
    rid = room["id"]
    changes = {
        "name": "daily standup",
        "layout": "speaker",
        "maxParticipants": 8,
        "autoRecord": True,
        "video": {"width": 1920, "height": 1080, "fps": 25, "bitrateKbps": 3000},
    }
    updated = assert_json(server.patch(f"/v1/rooms/{rid}", json=changes), 200)
    assert set(updated) == ROOM_KEYS
    expected = dict(room, **changes)
    assert updated == expected, f"PATCH answered {updated!r}, expected {expected!r}"
    got = assert_json(server.get(f"/v1/rooms/{rid}"), 200)
    assert {k: got[k] for k in ROOM_KEYS} == expected
    listed = assert_json(server.get("/v1/rooms"), 200)["rooms"]
    assert [r for r in listed if r["id"] == rid] == [expected]


def test_patch_single_field_keeps_others(server):
    room = create_room(server, {"name": "standup", "layout": "speaker", "maxParticipants": 5})
    updated = assert_json(server.patch(f"/v1/rooms/{room['id']}", json={"name": "renamed"}), 200)
    assert updated == dict(room, name="renamed")


def test_patch_partial_video_merges(server):
    room = create_room(server, {"name": "standup", "video": {"width": 960, "height": 540, "fps": 30, "bitrateKbps": 900}})
    updated = assert_json(server.patch(f"/v1/rooms/{room['id']}", json={"video": {"fps": 15}}), 200)
    assert updated["video"] == {"width": 960, "height": 540, "fps": 15, "bitrateKbps": 900}
    got = assert_json(server.get(f"/v1/rooms/{room['id']}"), 200)
    assert got["video"] == {"width": 960, "height": 540, "fps": 15, "bitrateKbps": 900}
    assert {k: got[k] for k in ROOM_KEYS if k != "video"} == {k: room[k] for k in ROOM_KEYS if k != "video"}


def test_patch_access_is_refused(server):
    room = create_room(server, {"name": "standup"})
    assert_error(server.patch(f"/v1/rooms/{room['id']}", json={"access": "open"}), 422, "invalid_field")
    got = assert_json(server.get(f"/v1/rooms/{room['id']}"), 200)
    assert got["access"] == "token"
    # refused as a whole: a valid field sent alongside is not applied either
    assert_error(server.patch(f"/v1/rooms/{room['id']}", json={"access": "open", "name": "x"}), 422, "invalid_field")
    got = assert_json(server.get(f"/v1/rooms/{room['id']}"), 200)
    assert got["name"] == "standup" and got["access"] == "token"


def test_delete_room(server):
    room = create_room(server, {"name": "standup"})
    keep = create_room(server, {"name": "keep"})
    resp = server.delete(f"/v1/rooms/{room['id']}")
    assert resp.status_code == 204, f"DELETE: {resp.status_code} {resp.text}"
    assert resp.content == b""
    assert_error(server.get(f"/v1/rooms/{room['id']}"), 404, "not_found")
    listed = assert_json(server.get("/v1/rooms"), 200)["rooms"]
    assert [r["id"] for r in listed] == [keep["id"]]
    assert_error(server.delete(f"/v1/rooms/{room['id']}"), 404, "not_found")
    assert_error(server.patch(f"/v1/rooms/{room['id']}", json={"name": "zombie"}), 404, "not_found")
