"""`make serve` from a clean directory: installs, builds and serves on ./data of that directory.

The build configuration is TESSERA_MAKE_SERVE_CONFIG (debug when unset, for a quick local
run); `make test` sets release, `make serve`'s default, whose build it has just made."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
import requests

from conftest import REPO, clean_env, free_tcp_port, free_udp_port, tail

READY_TIMEOUT_S = 300.0


def test_make_serve(tmp_path):
    makefile = REPO / "Makefile"
    assert makefile.is_file(), f"{makefile} does not exist"
    port = free_tcp_port()
    env = clean_env({"TESSERA_HTTP_PORT": str(port), "TESSERA_MEDIA_PORT": str(free_udp_port())})
    out_path, err_path = tmp_path / "make.stdout.log", tmp_path / "make.stderr.log"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(
            ["make", "-f", str(makefile), "serve", f"CONFIG={os.environ.get('TESSERA_MAKE_SERVE_CONFIG', 'debug')}"],
            cwd=str(tmp_path), env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    session = requests.Session()
    session.trust_env = False
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        ready = False
        while time.monotonic() < deadline:
            code = proc.poll()
            if code is not None:
                pytest.fail(
                    f"`make serve` exited with {code} before /readyz answered\n"
                    f"stderr:\n{tail(err_path)}\nstdout:\n{tail(out_path)}",
                    pytrace=False,
                )
            try:
                if session.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    ready = True
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        assert ready, f"/readyz not 200 within {READY_TIMEOUT_S:.0f} s\nstderr:\n{tail(err_path)}"
        db = tmp_path / "data" / "tessera.sqlite"
        assert db.exists(), f"{db} does not exist: `make serve` should use ./data of the current directory"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        session.close()
