"""Live-socket acceptance tests for Tessera: shared helpers and fixtures.

The suite drives the built `tessera` binary (env TESSERA_BIN, default
<repo>/.build/debug/tessera; `make test` points it at the release build, the one
`make serve` runs) over real sockets on 127.0.0.1 only.
"""

from __future__ import annotations

import errno
import json
import os
import queue
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO / ".build" / "debug" / "tessera"

READY_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
HTTP_TIMEOUT_S = 10.0

# Every server started during the current test, so a failure report can show its logs.
_STARTED: list["Server"] = []


# --------------------------------------------------------------------------- binary


def tessera_bin() -> str:
    """Path of the binary under test; a missing binary fails the test (never skips)."""
    path = Path(os.environ.get("TESSERA_BIN") or DEFAULT_BIN)
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"tessera binary not found or not executable at {path}. Build it first "
            f"(swift build) or point TESSERA_BIN at it.",
            pytrace=False,
        )
    return str(path)


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test process environment without any TESSERA_* setting (except the log level),
    so a developer's shell cannot change what a test starts; then `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_") or k == "TESSERA_LOG_LEVEL"}
    env.pop("TESSERA_CONFIG", None)
    if extra:
        env.update(extra)
    return env


def spawn(popen, *args: Any, **kwargs: Any):
    """Runs `popen(*args, **kwargs)`, retrying for up to 90 s while the binary is being
    relinked by a build (ETXTBSY), so a concurrent `swift build` does not fail the suite."""
    deadline = time.monotonic() + 90
    while True:
        try:
            return popen(*args, **kwargs)
        except OSError as e:
            if e.errno != errno.ETXTBSY or time.monotonic() > deadline:
                raise
            time.sleep(1)


# --------------------------------------------------------------------------- ports


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tcp_port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


# --------------------------------------------------------------------------- database


def db_dump(path: str | os.PathLike[str]) -> str:
    """Every schema object and row of the SQLite database as SQL text (read-only)."""
    conn = sqlite3.connect(f"file:{os.fspath(path)}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


# --------------------------------------------------------------------------- logs


def tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"<{path} does not exist>"
    return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------- server


class Server:
    """One `tessera serve` subprocess on 127.0.0.1.

    `flags` are the command-line settings (`--data-dir` is always passed); by default
    `--http-host 127.0.0.1 --http-port <free> --media-port <free udp>`. Set
    `http_port_flag=False` to leave `--http-port` out (and then say where the server
    is expected to listen with `expect_port`).
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        http_port: int | None = None,
        media_port: int | None = None,
        http_port_flag: bool = True,
        expect_port: int | None = None,
        extra_args: list[str] | None = None,
        env: dict[str, str] | None = None,
        log_dir: str | os.PathLike[str] | None = None,
        file_size_limit: int | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        # RLIMIT_FSIZE for the server: writes past it fail (EFBIG) like a full disk.
        self.file_size_limit = file_size_limit
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir = Path(log_dir) if log_dir else self.data_dir
        self.http_port = http_port or free_tcp_port()
        self.media_port = media_port or free_udp_port()
        self.http_port_flag = http_port_flag
        self.port = expect_port if expect_port is not None else self.http_port
        self.extra_args = list(extra_args or [])
        self.env = clean_env(env)
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.stdout_path: Path | None = None
        self.stderr_path: Path | None = None
        self.key: str | None = None
        self.session = requests.Session()
        self.session.trust_env = False  # never route 127.0.0.1 through a proxy

    # ---- lifecycle

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "tessera.sqlite"

    @property
    def admin_key_path(self) -> Path:
        return self.data_dir / "admin.key"

    def command(self) -> list[str]:
        cmd = [tessera_bin(), "serve", "--data-dir", str(self.data_dir), "--http-host", "127.0.0.1"]
        if self.http_port_flag:
            cmd += ["--http-port", str(self.http_port)]
        # Media candidates on loopback: tests talk only to 127.0.0.1.
        cmd += ["--media-port", str(self.media_port), "--public-ip", "127.0.0.1"]
        return cmd + self.extra_args

    def start(self) -> "Server":
        assert self.proc is None or self.proc.poll() is not None, "server already running"
        cmd = self.command()
        self.starts += 1
        self.stdout_path = self.log_dir / f"tessera-{self.port}-start{self.starts}.stdout.log"
        self.stderr_path = self.log_dir / f"tessera-{self.port}-start{self.starts}.stderr.log"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = spawn(
                subprocess.Popen, cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=self.env, cwd=str(self.data_dir),
                preexec_fn=self._limit_file_size if self.file_size_limit else None,
            )
        _STARTED.append(self)
        self._wait_ready(cmd)
        if self.admin_key_path.exists():
            self.key = self.admin_key_path.read_text().strip()
        return self

    def _limit_file_size(self) -> None:
        """In the child before exec: a file may not grow past `file_size_limit`, and the
        write that tries fails with EFBIG instead of killing the process (SIGXFSZ)."""
        import resource
        import signal

        assert self.file_size_limit is not None
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_size_limit, self.file_size_limit))

    def _wait_ready(self, cmd: list[str]) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        last = "no answer"
        while time.monotonic() < deadline:
            assert self.proc is not None
            code = self.proc.poll()
            if code is not None:
                pytest.fail(
                    f"tessera exited with code {code} before it was ready\ncommand: {' '.join(cmd)}\n"
                    f"stderr tail:\n{self.stderr_tail()}\nstdout tail:\n{self.stdout_tail()}",
                    pytrace=False,
                )
            try:
                r = self.session.get(self.base_url + "/readyz", timeout=1)
                if r.status_code == 200:
                    return
                last = f"HTTP {r.status_code} {r.text[:200]}"
            except requests.RequestException as e:
                last = type(e).__name__
            time.sleep(0.1)
        self.kill()
        pytest.fail(
            f"tessera was not ready on {self.base_url}/readyz within {READY_TIMEOUT_S:.0f} s (last: {last})\n"
            f"command: {' '.join(cmd)}\nstderr tail:\n{self.stderr_tail()}",
            pytrace=False,
        )

    def stop(self) -> int:
        """SIGTERM; asserts exit code 0 within 10 s. Returns the exit code."""
        assert self.proc is not None, "server was never started"
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(
                f"tessera did not exit within {STOP_TIMEOUT_S:.0f} s of SIGTERM\nstderr tail:\n{self.stderr_tail()}",
                pytrace=False,
            )
        assert code == 0, f"tessera exited with {code} after SIGTERM, expected 0\nstderr tail:\n{self.stderr_tail()}"
        return code

    def restart(self) -> "Server":
        self.stop()
        return self.start()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def close(self) -> None:
        """Teardown: SIGTERM, then SIGKILL if it hangs; never asserts."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()
        self.session.close()

    def stdout_text(self) -> str:
        return self.stdout_path.read_text(errors="replace") if self.stdout_path and self.stdout_path.exists() else ""

    def stderr_tail(self, lines: int = 60) -> str:
        return tail(self.stderr_path, lines) if self.stderr_path else "<not started>"

    def stdout_tail(self, lines: int = 30) -> str:
        return tail(self.stdout_path, lines) if self.stdout_path else "<not started>"

    # ---- HTTP

    def auth_headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key if key is not None else self.key}"}

    def request(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        h: dict[str, str] = {}
        if auth:
            h.update(self.auth_headers(key))
        if headers:
            h.update(headers)
        kwargs.setdefault("timeout", HTTP_TIMEOUT_S)
        return self.session.request(method, self.base_url + path, headers=h, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


# --------------------------------------------------------------------------- CLI


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: str | os.PathLike[str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Runs `tessera <args>` to completion with a clean environment."""
    return spawn(
        subprocess.run, [tessera_bin(), *args], capture_output=True, text=True, env=clean_env(env),
        cwd=str(cwd) if cwd else None, timeout=timeout, stdin=subprocess.DEVNULL,
    )


# --------------------------------------------------------------------------- assertions


def assert_json(resp: requests.Response, status: int) -> Any:
    assert resp.status_code == status, (
        f"{resp.request.method} {resp.request.path_url}: expected {status}, got {resp.status_code} {resp.text[:500]}"
    )
    ctype = resp.headers.get("Content-Type", "")
    assert ctype.startswith("application/json"), f"Content-Type is {ctype!r}, expected application/json"
    return resp.json()


def assert_error(resp: requests.Response, status: int, code: str | None = None) -> dict[str, str]:
    """The status and the exact error shape {"error": {"code": str, "message": non-empty str}}."""
    body = assert_json(resp, status)
    assert isinstance(body, dict) and set(body) == {"error"}, f"error body {body!r} is not exactly {{'error': ...}}"
    err = body["error"]
    assert isinstance(err, dict) and set(err) == {"code", "message"}, f"error object {err!r} needs exactly code, message"
    assert isinstance(err["code"], str) and err["code"], f"error code {err['code']!r}"
    assert isinstance(err["message"], str) and err["message"].strip(), f"error message {err['message']!r}"
    if code is not None:
        assert err["code"] == code, f"error code {err['code']!r}, expected {code!r} (message: {err['message']})"
    return err


# --------------------------------------------------------------------------- fixtures / hooks


@pytest.fixture
def server(tmp_path: Path):
    """A fresh server per test on a fresh data dir (tmp_path)."""
    srv = Server(tmp_path)
    srv.start()
    try:
        yield srv
    finally:
        srv.close()


@pytest.fixture
def start_server(tmp_path: Path):
    """Factory for extra servers (custom flags/env); every one is closed at teardown."""
    made: list[Server] = []

    def factory(data_dir: str | os.PathLike[str] | None = None, **kwargs: Any) -> Server:
        srv = Server(data_dir or tmp_path, **kwargs)
        made.append(srv)
        return srv.start()

    yield factory
    for srv in made:
        srv.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _STARTED.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for srv in _STARTED:
            report.sections.append(
                (f"tessera stderr tail (port {srv.port}, start {srv.starts})", srv.stderr_tail())
            )


# --------------------------------------------------------------------------- mix clients

MIX_CLIENT = Path(__file__).resolve().parent / "clients" / "mix_client.py"


class MixClient:
    """One mix_client.py subprocess. Its stdin stays open (closing it makes the client
    leave early: `leave`); stdout lines are read on a thread; stderr goes to a file."""

    def __init__(self, server: Server, room: str, name: str, *args: str) -> None:
        self.name = name
        self.stderr_file = tempfile.TemporaryFile(mode="w+")
        cmd = [sys.executable, str(MIX_CLIENT), "--server", server.base_url, "--room", room, "--name", name, *args]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr_file, text=True)
        self.lines: queue.Queue[dict | None] = queue.Queue()
        self.events: list[dict] = []
        self.result: dict | None = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("{"):
                self.lines.put(json.loads(line))
        self.lines.put(None)

    def _next(self, deadline: float) -> dict | None:
        try:
            return self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"{self.name}: no output in time\n{self.stderr_tail()}") from None

    def wait_connected(self, timeout: float = 20) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            line = self._next(deadline)
            if line is None or "status" in line:
                self.result = line
                raise AssertionError(f"{self.name} did not connect: {line}\n{self.stderr_tail()}")
            self.events.append(line)
            if line.get("event") == "connected":
                return line

    def leave(self) -> None:
        """Close stdin: the client measures, DELETEs its session and prints its result."""
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()

    def finish(self, timeout: float = 30) -> dict:
        """The final JSON line (waits for --seconds to run out, or for `leave`)."""
        deadline = time.monotonic() + timeout
        while self.result is None:
            line = self._next(deadline)
            if line is None:
                raise AssertionError(f"{self.name} exited ({self.proc.wait()}) without a result\n{self.stderr_tail()}")
            if "status" in line:
                self.result = line
            else:
                self.events.append(line)
        self.leave()
        self.proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        return self.result

    def stderr_tail(self, chars: int = 3000) -> str:
        self.stderr_file.seek(0)
        return f"{self.name} stderr:\n" + self.stderr_file.read()[-chars:]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def clients():
    """Starts MixClients; kills any left at teardown."""
    made: list[MixClient] = []

    def start(server: Server, room: str, name: str, *args: str) -> MixClient:
        client = MixClient(server, room, name, *args)
        made.append(client)
        return client

    yield start
    for client in made:
        client.kill()
