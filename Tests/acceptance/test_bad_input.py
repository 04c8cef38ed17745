"""Rejected requests: exact status, exact error shape, and an unchanged database
(API.md, Errors: "A rejected request changes nothing in the database")."""

from __future__ import annotations

import json

import pytest

from conftest import assert_error, assert_json, db_dump


@pytest.fixture
def seeded(server):
    """A server holding one room and one user, so 'unchanged' has something to compare."""
    room = assert_json(server.post("/v1/rooms", json={"name": "existing"}), 201)
    user = assert_json(server.post("/v1/users", json={"name": "existing-user"}), 201)
    return server, room, user


class Unchanged:
    """Context manager: the database dump is identical before and after the block."""

    def __init__(self, server):
        self.server = server

    def __enter__(self):
        self.before = db_dump(self.server.db_path)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            after = db_dump(self.server.db_path)
            assert after == self.before, "the rejected request changed the database"
        return False


def raw_post(server, path, data, content_type="application/json", **kwargs):
    return server.post(path, data=data, headers={"Content-Type": content_type}, **kwargs)


# --------------------------------------------------------------------------- 400


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'{"name":', id="truncated-json"),
        pytest.param(b"not json at all", id="garbage"),
        pytest.param(b"", id="empty-body"),
    ],
)
def test_malformed_json_is_400(seeded, data):
    server, _, _ = seeded
    with Unchanged(server):
        assert_error(raw_post(server, "/v1/rooms", data), 400, "bad_request")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'[{"name":"standup"}]', id="array"),
        pytest.param(b'"standup"', id="string"),
        pytest.param(b"42", id="number"),
    ],
)
def test_non_object_json_is_400(seeded, data):
    server, _, _ = seeded
    with Unchanged(server):
        assert_error(raw_post(server, "/v1/rooms", data), 400, "bad_request")


def test_malformed_json_on_patch_and_users_is_400(seeded):
    server, room, _ = seeded
    with Unchanged(server):
        assert_error(
            server.patch(f"/v1/rooms/{room['id']}", data=b'{"name":', headers={"Content-Type": "application/json"}),
            400,
            "bad_request",
        )
        assert_error(raw_post(server, "/v1/users", b'{"name":'), 400, "bad_request")
        assert_error(raw_post(server, "/v1/users", b'["alice"]'), 400, "bad_request")


# --------------------------------------------------------------------------- 422 on POST /v1/rooms


INVALID_ROOMS = [
    pytest.param({"name": 5}, None, id="name-number"),
    pytest.param({"name": "x", "maxParticipants": "many"}, None, id="maxParticipants-string"),
    pytest.param({"name": "x", "autoRecord": "yes"}, None, id="autoRecord-string"),
    pytest.param({}, None, id="missing-name"),
    pytest.param({"name": ""}, None, id="empty-name"),
    pytest.param({"name": "x", "video": {"width": 5000}}, None, id="width-5000"),
    pytest.param({"name": "x", "video": {"height": 50}}, None, id="height-50"),
    pytest.param({"name": "x", "video": {"fps": 0}}, None, id="fps-0"),
    pytest.param({"name": "x", "video": {"fps": 61}}, None, id="fps-61"),
    pytest.param({"name": "x", "video": {"width": 1281}}, None, id="width-odd-1281"),
    pytest.param({"name": "x", "maxParticipants": 0}, None, id="maxParticipants-0"),
    pytest.param({"name": "x", "maxParticipants": 65}, None, id="maxParticipants-65"),
    pytest.param({"name": "x", "layout": "mosaic"}, "grid", id="layout-mosaic"),
    pytest.param({"name": "x", "access": "public"}, None, id="access-public"),
    pytest.param({"name": "x", "colour": "red"}, None, id="unknown-field"),
    pytest.param({"name": "x", "video": {"depth": 8}}, None, id="unknown-video-field"),
    pytest.param({"name": "x", "video": "hd"}, None, id="video-string"),
]


@pytest.mark.parametrize("body, mention", INVALID_ROOMS)
def test_invalid_room_is_422(seeded, body, mention):
    server, _, _ = seeded
    with Unchanged(server):
        err = assert_error(server.post("/v1/rooms", json=body), 422, "invalid_field")
    if mention:
        assert mention in err["message"], f"message {err['message']!r} should mention {mention!r}"
    rooms = assert_json(server.get("/v1/rooms"), 200)["rooms"]
    assert [r["name"] for r in rooms] == ["existing"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"name": 5}, id="name-number"),
        pytest.param({"maxParticipants": 0}, id="maxParticipants-0"),
        pytest.param({"video": {"width": 5000}}, id="width-5000"),
        pytest.param({"video": {"fps": 61}}, id="fps-61"),
        pytest.param({"layout": "mosaic"}, id="layout-mosaic"),
        pytest.param({"colour": "red"}, id="unknown-field"),
        pytest.param({"name": "ok", "video": {"width": 1281}}, id="valid-name-with-odd-width"),
    ],
)
def test_invalid_room_patch_is_422(seeded, body):
    server, room, _ = seeded
    with Unchanged(server):
        assert_error(server.patch(f"/v1/rooms/{room['id']}", json=body), 422, "invalid_field")
    assert assert_json(server.get(f"/v1/rooms/{room['id']}"), 200)["name"] == "existing"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({}, id="missing-name"),
        pytest.param({"name": 5}, id="name-number"),
        pytest.param({"name": "alice", "displayName": 7}, id="displayName-number"),
        pytest.param({"name": "alice", "email": "a@example.org"}, id="unknown-field"),
    ],
)
def test_invalid_user_is_422(seeded, body):
    server, _, _ = seeded
    with Unchanged(server):
        assert_error(server.post("/v1/users", json=body), 422, "invalid_field")


def test_duplicate_user_changes_nothing(seeded):
    server, _, user = seeded
    with Unchanged(server):
        assert_error(server.post("/v1/users", json={"name": user["name"]}), 409, "conflict")


# --------------------------------------------------------------------------- 413 / 415


def test_one_megabyte_body_is_413(seeded):
    server, _, _ = seeded
    data = json.dumps({"name": "x" * (1024 * 1024)}).encode()
    with Unchanged(server):
        assert_error(raw_post(server, "/v1/rooms", data), 413, "too_large")


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded"])
def test_wrong_content_type_is_415(seeded, ctype):
    server, room, _ = seeded
    with Unchanged(server):
        assert_error(raw_post(server, "/v1/rooms", b'{"name":"x"}', content_type=ctype), 415)
        assert_error(
            server.patch(f"/v1/rooms/{room['id']}", data=b'{"name":"x"}', headers={"Content-Type": ctype}), 415
        )


# --------------------------------------------------------------------------- 404


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "/v1/rooms/nope", None),
        ("PATCH", "/v1/rooms/nope", {"name": "x"}),
        ("DELETE", "/v1/rooms/nope", None),
        ("GET", "/v1/rooms/nope/participants", None),
        ("POST", "/v1/rooms/nope/tokens", {"displayName": "Guest"}),
        ("GET", "/v1/users/nope", None),
        ("DELETE", "/v1/users/nope", None),
        ("GET", "/v1/meetings/nope", None),
        ("GET", "/v1/recordings/nope", None),
        ("DELETE", "/v1/recordings/nope", None),
    ],
)
def test_unknown_ids_are_404(seeded, method, path, body):
    server, _, _ = seeded
    with Unchanged(server):
        assert_error(server.request(method, path, json=body), 404, "not_found")


def test_unknown_participant_is_404(seeded):
    server, room, _ = seeded
    with Unchanged(server):
        assert_error(
            server.patch(f"/v1/rooms/{room['id']}/participants/nope", json={"audioMuted": True}), 404, "not_found"
        )
        assert_error(server.delete(f"/v1/rooms/{room['id']}/participants/nope"), 404, "not_found")


def test_unknown_route_is_404_json(seeded):
    server, _, _ = seeded
    with Unchanged(server):
        assert_error(server.get("/v1/nothing"), 404, "not_found")
        assert_error(server.post("/v1/nothing", json={}), 404, "not_found")


# --------------------------------------------------------------------------- 401


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-authorization"),
        pytest.param({"Authorization": "Bearer wrong-key-0123456789abcdef"}, id="wrong-key"),
        pytest.param({"Authorization": "Bearer "}, id="bearer-empty-key"),
        pytest.param({"Authorization": "Bearer"}, id="bearer-no-key"),
        pytest.param({"Authorization": "Basic YWRtaW46YWRtaW4="}, id="basic-scheme"),
    ],
)
def test_bad_credentials_are_401(seeded, headers):
    server, room, user = seeded
    with Unchanged(server):
        assert_error(server.get("/v1/rooms", auth=False, headers=headers), 401, "unauthorized")
        assert_error(server.post("/v1/rooms", auth=False, headers=headers, json={"name": "sneaky"}), 401, "unauthorized")
        assert_error(
            server.patch(f"/v1/rooms/{room['id']}", auth=False, headers=headers, json={"name": "sneaky"}),
            401,
            "unauthorized",
        )
        assert_error(server.delete(f"/v1/rooms/{room['id']}", auth=False, headers=headers), 401, "unauthorized")
        assert_error(server.delete(f"/v1/users/{user['id']}", auth=False, headers=headers), 401, "unauthorized")
        assert_error(
            server.post(f"/v1/rooms/{room['id']}/tokens", auth=False, headers=headers, json={"displayName": "G"}),
            401,
            "unauthorized",
        )


def test_key_with_extra_characters_is_401(seeded):
    server, _, _ = seeded
    with Unchanged(server):
        assert_error(server.get("/v1/rooms", key=server.key + "x"), 401, "unauthorized")
        assert_error(server.get("/v1/rooms", key=server.key[:-1]), 401, "unauthorized")
