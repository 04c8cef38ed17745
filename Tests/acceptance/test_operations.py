"""Operations: health, readiness, metrics, shutdown, migrate, the admin CLI and
settings precedence (API.md, Starting the server, Operations)."""

from __future__ import annotations

import json
import re
import stat

import pytest

from conftest import (
    Server,
    assert_error,
    assert_json,
    db_dump,
    free_tcp_port,
    run_cli,
    tcp_port_open,
)

# --------------------------------------------------------------------------- health / metrics


def test_healthz_needs_no_auth(server):
    resp = server.get("/healthz", auth=False)
    assert resp.status_code == 200, f"/healthz: {resp.status_code} {resp.text}"


def test_readyz(server):
    body = assert_json(server.get("/readyz", auth=False), 200)
    assert body == {"status": "ready"}


def metric_value(text: str, name: str) -> float | None:
    pattern = re.compile(rf"^{re.escape(name)}(\{{[^}}]*\}})?\s+(\S+)", re.MULTILINE)
    values = [float(m.group(2)) for m in pattern.finditer(text)]
    return sum(values) if values else None


def test_metrics(server):
    resp = server.get("/metrics", auth=False)
    assert resp.status_code == 200, f"/metrics: {resp.status_code} {resp.text[:300]}"
    assert resp.headers.get("Content-Type", "").startswith("text/plain"), resp.headers.get("Content-Type")
    text = resp.text
    assert "tessera_rooms" in text
    assert "tessera_http_errors_total" in text
    assert metric_value(text, "tessera_rooms") == 0

    assert_json(server.post("/v1/rooms", json={"name": "metered"}), 201)
    auth_before = metric_value(text, "tessera_auth_failures_total") or 0.0
    errors_before = metric_value(text, "tessera_http_errors_total")
    assert errors_before is not None

    assert_error(server.get("/v1/rooms", auth=False), 401, "unauthorized")

    after = server.get("/metrics", auth=False).text
    auth_after = metric_value(after, "tessera_auth_failures_total")
    assert auth_after is not None, "tessera_auth_failures_total is missing from /metrics after a 401"
    assert auth_after == auth_before + 1, f"tessera_auth_failures_total {auth_before} -> {auth_after}"
    assert metric_value(after, "tessera_http_errors_total") == errors_before + 1
    assert metric_value(after, "tessera_rooms") == 1


def test_sigterm_exits_zero(server):
    assert_json(server.post("/v1/rooms", json={"name": "r"}), 201)
    server.stop()  # asserts exit code 0 within 10 s
    assert not tcp_port_open(server.port), "the HTTP port still accepts connections after exit"


# --------------------------------------------------------------------------- migrate


def test_migrate_fresh_then_up_to_date(tmp_path):
    data = tmp_path / "data"
    first = run_cli("migrate", "--data-dir", str(data), cwd=tmp_path)
    assert first.returncode == 0, f"migrate exited {first.returncode}: {first.stderr}"
    assert "applied 0001_initial.sql" in first.stdout, f"stdout: {first.stdout!r}"
    assert (data / "tessera.sqlite").exists()
    second = run_cli("migrate", "--data-dir", str(data), cwd=tmp_path)
    assert second.returncode == 0, f"second migrate exited {second.returncode}: {second.stderr}"
    assert "up to date" in second.stdout, f"stdout: {second.stdout!r}"
    assert "applied" not in second.stdout


# --------------------------------------------------------------------------- admin CLI


def cli_json(*args, cwd):
    result = run_cli(*args, cwd=cwd)
    assert result.returncode == 0, f"tessera {' '.join(args)} exited {result.returncode}: {result.stderr}"
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"tessera {' '.join(args)} did not print JSON: {result.stdout!r}")


def test_cli_rooms_create_list_delete(tmp_path, start_server):
    data = tmp_path / "data"
    room = cli_json("rooms", "create", "--data-dir", str(data), "--name", "cli-room", cwd=tmp_path)
    assert set(room) == {"id", "name", "layout", "access", "maxParticipants", "autoRecord", "video", "createdAt"}
    assert room["name"] == "cli-room"
    assert room["layout"] == "grid" and room["access"] == "token" and room["maxParticipants"] == 16
    assert room["autoRecord"] is False
    assert room["video"] == {"width": 1280, "height": 720, "fps": 30, "bitrateKbps": 1500}

    listed = cli_json("rooms", "list", "--data-dir", str(data), cwd=tmp_path)
    assert set(listed) == {"rooms"}
    assert room in listed["rooms"]

    # the server sees what the CLI wrote
    srv = start_server(data)
    assert assert_json(srv.get("/v1/rooms"), 200) == {"rooms": [room]}
    srv.stop()

    deleted = run_cli("rooms", "delete", "--data-dir", str(data), room["id"], cwd=tmp_path)
    assert deleted.returncode == 0, f"rooms delete exited {deleted.returncode}: {deleted.stderr}"
    listed = cli_json("rooms", "list", "--data-dir", str(data), cwd=tmp_path)
    assert all(r["id"] != room["id"] for r in listed["rooms"])
    assert listed == {"rooms": []}

    again = run_cli("rooms", "delete", "--data-dir", str(data), room["id"], cwd=tmp_path)
    assert again.returncode != 0, "deleting a deleted room should fail"


def test_cli_users_create_list(tmp_path):
    data = tmp_path / "data"
    user = cli_json("users", "create", "--data-dir", str(data), "--name", "bob", cwd=tmp_path)
    assert set(user) == {"id", "name", "displayName", "createdAt"}
    assert user["name"] == "bob" and user["displayName"] == "bob"
    listed = cli_json("users", "list", "--data-dir", str(data), cwd=tmp_path)
    assert listed == {"users": [user]}
    dup = run_cli("users", "create", "--data-dir", str(data), "--name", "bob", cwd=tmp_path)
    assert dup.returncode != 0, "a duplicate user name should fail"
    assert cli_json("users", "list", "--data-dir", str(data), cwd=tmp_path) == {"users": [user]}


def test_cli_invalid_room_writes_nothing(tmp_path):
    data = tmp_path / "data"
    existing = cli_json("rooms", "create", "--data-dir", str(data), "--name", "existing", cwd=tmp_path)
    before = db_dump(data / "tessera.sqlite")
    result = run_cli("rooms", "create", "--data-dir", str(data), "--name", "x", "--width", "5000", cwd=tmp_path)
    assert result.returncode != 0, f"invalid width accepted: {result.stdout}"
    assert "video.width" in result.stderr + result.stdout, f"message does not name video.width: {result.stderr!r}"
    assert db_dump(data / "tessera.sqlite") == before
    assert cli_json("rooms", "list", "--data-dir", str(data), cwd=tmp_path) == {"rooms": [existing]}


def test_cli_invalid_room_on_fresh_dir_creates_no_room(tmp_path):
    data = tmp_path / "data"
    result = run_cli("rooms", "create", "--data-dir", str(data), "--name", "x", "--width", "5000", cwd=tmp_path)
    assert result.returncode != 0
    assert "video.width" in result.stderr + result.stdout
    listed = cli_json("rooms", "list", "--data-dir", str(data), cwd=tmp_path)
    assert listed == {"rooms": []}


# --------------------------------------------------------------------------- settings precedence


def test_flag_beats_env(tmp_path):
    p1, p2 = free_tcp_port(), free_tcp_port()
    srv = Server(tmp_path / "data", http_port=p2, env={"TESSERA_HTTP_PORT": str(p1)}, log_dir=tmp_path)
    try:
        srv.start()
        assert srv.port == p2
        assert srv.get("/readyz", auth=False).status_code == 200
        assert not tcp_port_open(p1), f"something listens on the env port {p1}; the flag {p2} should win"
        srv.stop()
    finally:
        srv.close()


def test_env_only(tmp_path):
    p1 = free_tcp_port()
    srv = Server(
        tmp_path / "data", http_port_flag=False, expect_port=p1, env={"TESSERA_HTTP_PORT": str(p1)}, log_dir=tmp_path
    )
    try:
        srv.start()
        assert assert_json(srv.get("/readyz", auth=False), 200) == {"status": "ready"}
        srv.stop()
    finally:
        srv.close()


def test_config_file_only(tmp_path):
    p3 = free_tcp_port()
    config = tmp_path / "tessera.json"
    config.write_text(json.dumps({"httpPort": p3}))
    srv = Server(
        tmp_path / "data", http_port_flag=False, expect_port=p3, extra_args=["--config", str(config)], log_dir=tmp_path
    )
    try:
        srv.start()
        assert assert_json(srv.get("/readyz", auth=False), 200) == {"status": "ready"}
        srv.stop()
    finally:
        srv.close()


def test_env_beats_config_file(tmp_path):
    p1, p3 = free_tcp_port(), free_tcp_port()
    config = tmp_path / "tessera.json"
    config.write_text(json.dumps({"httpPort": p3}))
    srv = Server(
        tmp_path / "data",
        http_port_flag=False,
        expect_port=p1,
        env={"TESSERA_HTTP_PORT": str(p1)},
        extra_args=["--config", str(config)],
        log_dir=tmp_path,
    )
    try:
        srv.start()
        assert srv.get("/readyz", auth=False).status_code == 200
        assert not tcp_port_open(p3), f"something listens on the config-file port {p3}; the env {p1} should win"
        srv.stop()
    finally:
        srv.close()


# --------------------------------------------------------------------------- admin key


def test_admin_key_file_mode_and_printed_once(server):
    path = server.admin_key_path
    assert path.exists(), "admin.key was not created"
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode == 0o600, f"admin.key has mode {oct(mode)}, expected 0o600"
    key = path.read_text().strip()
    assert len(key) >= 16
    assert server.get("/v1/rooms").status_code == 200

    server.stop()  # flushes stdout
    first_out = server.stdout_text()
    assert key in first_out, f"the generated key is not printed on first start; stdout: {first_out!r}"
    assert first_out.count(key) == 1, "the key is printed more than once"

    server.start()
    server.stop()
    second_out = server.stdout_text()
    assert key not in second_out, "the admin key is printed again on the second start"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == key
