"""State survives a graceful restart on the same data dir (API.md, Starting the server)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from conftest import assert_json


def hs256_valid(token: str, secret: str) -> bool:
    """True when `token` is signed with HMAC-SHA256 under the UTF-8 bytes of `secret`."""
    signing_input, _, signature = token.rpartition(".")
    expected = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    got = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    return hmac.compare_digest(expected, got)


def test_restart_keeps_rooms_users_and_secrets(server):
    rooms = [
        assert_json(server.post("/v1/rooms", json={"name": "standup"}), 201),
        assert_json(
            server.post(
                "/v1/rooms",
                json={
                    "name": "town hall",
                    "layout": "speaker",
                    "access": "open",
                    "maxParticipants": 64,
                    "autoRecord": True,
                    "video": {"width": 1920, "height": 1080, "fps": 60, "bitrateKbps": 6000},
                },
            ),
            201,
        ),
    ]
    patched = assert_json(server.patch(f"/v1/rooms/{rooms[0]['id']}", json={"video": {"fps": 24}}), 200)
    rooms[0] = patched
    deleted = assert_json(server.post("/v1/rooms", json={"name": "gone"}), 201)
    assert server.delete(f"/v1/rooms/{deleted['id']}").status_code == 204
    users = [
        assert_json(server.post("/v1/users", json={"name": "alice", "displayName": "Alice"}), 201),
        assert_json(server.post("/v1/users", json={"name": "bob"}), 201),
    ]
    token = assert_json(server.post(f"/v1/rooms/{rooms[0]['id']}/tokens", json={"userId": users[0]["id"]}), 201)["token"]

    rooms_before = assert_json(server.get("/v1/rooms"), 200)
    users_before = assert_json(server.get("/v1/users"), 200)
    details_before = {r["id"]: assert_json(server.get(f"/v1/rooms/{r['id']}"), 200) for r in rooms}
    key_before = server.admin_key_path.read_text()
    secret_path = server.data_dir / "token.secret"
    assert secret_path.exists(), "token.secret was not created in the data dir"
    secret_before = secret_path.read_text()
    assert hs256_valid(token, secret_before.strip()), "the minted token is not signed with token.secret"

    server.stop()  # asserts exit 0
    old_key = server.key
    server.start()

    # the same key file, and the old key still opens the API
    assert server.admin_key_path.read_text() == key_before
    assert server.key == old_key
    assert server.get("/v1/rooms", key=old_key).status_code == 200
    # the same signing secret: the pre-restart token still verifies, and new tokens use it too
    assert secret_path.read_text() == secret_before
    assert hs256_valid(token, secret_path.read_text().strip())
    new_token = assert_json(
        server.post(f"/v1/rooms/{rooms[1]['id']}/tokens", json={"displayName": "Guest"}), 201
    )["token"]
    assert hs256_valid(new_token, secret_before.strip()), "a token minted after restart uses another secret"

    # field for field
    assert assert_json(server.get("/v1/rooms"), 200) == rooms_before
    assert assert_json(server.get("/v1/users"), 200) == users_before
    for room in rooms:
        assert assert_json(server.get(f"/v1/rooms/{room['id']}"), 200) == details_before[room["id"]]
    for user in users:
        assert assert_json(server.get(f"/v1/users/{user['id']}"), 200) == user
    assert {r["id"]: r for r in rooms_before["rooms"]} == {r["id"]: r for r in rooms}
    assert server.get(f"/v1/rooms/{deleted['id']}").status_code == 404


def test_writes_after_restart_accumulate(server):
    first = assert_json(server.post("/v1/rooms", json={"name": "one"}), 201)
    server.restart()
    second = assert_json(server.post("/v1/rooms", json={"name": "two"}), 201)
    server.restart()
    listed = assert_json(server.get("/v1/rooms"), 200)["rooms"]
    assert sorted(r["id"] for r in listed) == sorted([first["id"], second["id"]])
