"""Users and room tokens (API.md, Users, Tokens, Auth)."""

from __future__ import annotations

import base64
import json
import time
from datetime import datetime

import pytest

from conftest import assert_error, assert_json

USER_KEYS = {"id", "name", "displayName", "createdAt"}


def b64url_json(part: str) -> dict:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode()))


def decode_jwt(token: str) -> tuple[dict, dict]:
    parts = token.split(".")
    assert len(parts) == 3, f"{token!r} is not a JWS compact token"
    return b64url_json(parts[0]), b64url_json(parts[1])


def create_user(server, body):
    return assert_json(server.post("/v1/users", json=body), 201)


# --------------------------------------------------------------------------- users


def test_create_user(server):
    user = create_user(server, {"name": "alice", "displayName": "Alice"})
    assert set(user) == USER_KEYS
    assert isinstance(user["id"], str) and user["id"]
    assert user["name"] == "alice"
    assert user["displayName"] == "Alice"
    assert isinstance(user["createdAt"], str) and user["createdAt"].endswith("Z")


def test_display_name_defaults_to_name(server):
    user = create_user(server, {"name": "bob"})
    assert set(user) == USER_KEYS
    assert user["displayName"] == "bob"


def test_duplicate_user_name_conflicts(server):
    first = create_user(server, {"name": "alice", "displayName": "Alice"})
    assert_error(server.post("/v1/users", json={"name": "alice", "displayName": "Other"}), 409, "conflict")
    users = assert_json(server.get("/v1/users"), 200)["users"]
    assert users == [first]


def test_list_get_delete_user(server):
    alice = create_user(server, {"name": "alice", "displayName": "Alice"})
    bob = create_user(server, {"name": "bob"})
    listed = assert_json(server.get("/v1/users"), 200)
    assert set(listed) == {"users"}
    assert sorted(listed["users"], key=lambda u: u["name"]) == [alice, bob]
    assert assert_json(server.get(f"/v1/users/{alice['id']}"), 200) == alice
    resp = server.delete(f"/v1/users/{alice['id']}")
    assert resp.status_code == 204, f"DELETE user: {resp.status_code} {resp.text}"
    assert resp.content == b""
    assert_error(server.get(f"/v1/users/{alice['id']}"), 404, "not_found")
    assert assert_json(server.get("/v1/users"), 200)["users"] == [bob]
    assert_error(server.delete(f"/v1/users/{alice['id']}"), 404, "not_found")


# --------------------------------------------------------------------------- tokens


@pytest.fixture
def room_and_alice(server):
    room = assert_json(server.post("/v1/rooms", json={"name": "standup"}), 201)
    alice = create_user(server, {"name": "alice", "displayName": "Alice"})
    return room, alice


def test_token_for_user(server, room_and_alice):
    room, alice = room_and_alice
    now = time.time()
    body = assert_json(server.post(f"/v1/rooms/{room['id']}/tokens", json={"userId": alice["id"]}), 201)
    assert set(body) == {"token", "expiresAt"}
    header, claims = decode_jwt(body["token"])
    assert header.get("alg") == "HS256", f"JWT header {header!r}"
    assert claims["sub"] == alice["id"]
    assert claims["name"] == "Alice"
    assert claims["room"] == room["id"]
    assert claims["role"] == "publisher"
    assert isinstance(claims["exp"], (int, float))
    assert abs(claims["exp"] - (now + 3600)) <= 60, f"exp {claims['exp']} is not now+3600 ({now + 3600:.0f})"
    expires_at = datetime.fromisoformat(body["expiresAt"].replace("Z", "+00:00")).timestamp()
    assert abs(expires_at - claims["exp"]) <= 1, f"expiresAt {body['expiresAt']} does not match exp {claims['exp']}"


def test_token_for_guest_viewer(server, room_and_alice):
    room, _ = room_and_alice
    now = time.time()
    body = assert_json(
        server.post(
            f"/v1/rooms/{room['id']}/tokens", json={"displayName": "Guest", "role": "viewer", "ttlSeconds": 120}
        ),
        201,
    )
    assert set(body) == {"token", "expiresAt"}
    header, claims = decode_jwt(body["token"])
    assert header.get("alg") == "HS256"
    assert isinstance(claims["sub"], str) and claims["sub"].startswith("guest:"), f"sub {claims['sub']!r}"
    assert len(claims["sub"]) > len("guest:")
    assert claims["name"] == "Guest"
    assert claims["room"] == room["id"]
    assert claims["role"] == "viewer"
    assert abs(claims["exp"] - (now + 120)) <= 60


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({}, id="neither-userId-nor-displayName"),
        pytest.param({"role": "viewer"}, id="role-only"),
        pytest.param({"userId": "no-such-user"}, id="unknown-userId"),
        pytest.param({"displayName": "Guest", "ttlSeconds": 10}, id="ttl-10"),
        pytest.param({"displayName": "Guest", "role": "admin"}, id="role-admin"),
    ],
)
def test_token_invalid_fields(server, room_and_alice, body):
    room, _ = room_and_alice
    assert_error(server.post(f"/v1/rooms/{room['id']}/tokens", json=body), 422, "invalid_field")


def test_token_unknown_room(server, room_and_alice):
    _, alice = room_and_alice
    assert_error(server.post("/v1/rooms/no-such-room/tokens", json={"userId": alice["id"]}), 404, "not_found")
