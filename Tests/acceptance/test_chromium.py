"""Headless Chromium (Debian's chromium + chromedriver, fake camera/microphone) publishes to
Tessera over WHIP from a test page on another origin (so CORS is exercised too): the
connection reaches "connected", Chromium sends media the server decrypts, the participant
is listed under its ?name=, and a DELETE on the session URL makes a clean leave."""

from __future__ import annotations

import functools
import json
import os
import re
import threading
import time
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import Server

WEB_DIR = Path(__file__).resolve().parent / "web"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

CONNECT_TIMEOUT_S = 30.0
MEDIA_TIMEOUT_S = 20.0
LEAVE_TIMEOUT_S = 10.0
MIN_DECRYPTED_RTP = 50
PARTICIPANT_NAME = "Chromium Grace"


# --------------------------------------------------------------------------- helpers


def metric(server: Server, name: str, labels: str = "") -> float:
    text = server.get("/metrics").text
    match = re.search(rf"^{re.escape(name + labels)} ([0-9.e+]+)$", text, re.MULTILINE)
    assert match, f"{name}{labels} not in /metrics"
    return float(match.group(1))


def decrypted_rtp(server: Server) -> float:
    return metric(server, "tessera_packets_decrypted_total", '{class="rtp"}')


def require_browser() -> None:
    """Chromium, chromedriver and selenium are test dependencies: missing ones fail the test."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.isfile(p) and os.access(p, os.X_OK))]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not installed: the Chromium acceptance test needs Debian's "
            f"`chromium` and `chromium-driver` packages (`make test` installs them through "
            f"TEST_APT_PACKAGES; by hand: apt-get install -y chromium chromium-driver).",
            pytrace=False,
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail(
            "the selenium package is missing: pip install -r Tests/acceptance/requirements.txt",
            pytrace=False,
        )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@pytest.fixture
def web_origin():
    """Serves Tests/acceptance/web on 127.0.0.1:<free port>: another origin than Tessera's."""
    handler = functools.partial(_QuietHandler, directory=str(WEB_DIR))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name="web-origin", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def start_chromium(profile_dir: Path, log_path: Path, fake_ui: str = "") -> Any:
    """A headless Chromium with fake media devices (camera: a moving test pattern;
    microphone: a beep), driven through Debian's chromedriver. The caller quits it.
    Camera and microphone requests are granted; `fake_ui="deny"` refuses them instead.
    Proxy variables must already be out of the environment (`no_proxy_env`)."""
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--use-fake-ui-for-media-stream" + (f"={fake_ui}" if fake_ui else ""),
        "--use-fake-device-for-media-stream",
        "--autoplay-policy=no-user-gesture-required",
        "--no-proxy-server",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={profile_dir}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=CHROMEDRIVER, log_output=str(log_path))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_script_timeout(15)
    return driver


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything here is on 127.0.0.1: keep a developer's proxy settings away from both
    Selenium's connection to chromedriver and the browser."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def chromium(tmp_path: Path, no_proxy_env: None):
    """A headless Chromium with fake media devices, driven through Debian's chromedriver."""
    driver = start_chromium(tmp_path / "chromium-profile", tmp_path / "chromedriver.log")
    try:
        yield driver
    finally:
        try:
            driver.quit()
        except Exception:  # already quit by the test
            pass


def page_state(driver: Any) -> dict:
    try:
        return driver.execute_script("return window.tessera ? JSON.parse(JSON.stringify(window.tessera)) : null;") or {}
    except Exception as e:  # the browser is gone
        return {"unreadable": f"{type(e).__name__}: {e}"}


def diagnostics(driver: Any, server: Server) -> str:
    """Everything needed to see where Chromium and Tessera disagree."""
    state = page_state(driver)
    try:
        console = "\n".join(
            f"{entry.get('level')} {entry.get('message')}" for entry in driver.get_log("browser")
        )
    except Exception as e:
        console = f"<unavailable: {type(e).__name__}: {e}>"
    parts = [
        f"page state (without SDP): {json.dumps({k: v for k, v in state.items() if k not in ('offer', 'answer')}, indent=1)}",
        f"offer Chromium sent:\n{state.get('offer')}",
        f"answer Tessera returned:\n{state.get('answer')}",
        f"browser console:\n{console}",
        f"tessera stderr tail:\n{server.stderr_tail(200)}",
    ]
    return "\n\n".join(parts)


def wait_for(driver: Any, server: Server, what: str, timeout: float, check: Callable[[dict], bool]) -> dict:
    """Polls the page state until `check(state)`; fails early on a page error or a failed
    connection, and with full diagnostics on timeout."""
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        state = page_state(driver)
        if check(state):
            return state
        if state.get("error") or state.get("connectionState") in ("failed", "closed"):
            break
        time.sleep(0.25)
    pytest.fail(
        f"{what}: not reached within {timeout:.0f} s (connectionState={state.get('connectionState')!r}, "
        f"error={state.get('error')!r})\n\n{diagnostics(driver, server)}",
        pytrace=False,
    )


# --------------------------------------------------------------------------- test


def test_chromium_publishes_over_whip(start_server: Callable[..., Server], web_origin: str, chromium: Any) -> None:
    server = start_server(env={"TESSERA_LOG_LEVEL": "debug"})
    resp = server.post("/v1/rooms", json={"name": "chromium", "access": "open"})
    assert resp.status_code == 201, resp.text
    room = resp.json()["id"]
    before = decrypted_rtp(server)

    query = urllib.parse.urlencode({"server": server.base_url, "room": room, "name": PARTICIPANT_NAME})
    chromium.get(f"{web_origin}/whip.html?{query}")

    # The WHIP handshake, ICE (Tessera is ICE-lite) and DTLS complete.
    state = wait_for(chromium, server, 'connectionState == "connected"', CONNECT_TIMEOUT_S,
                     lambda s: s.get("connectionState") == "connected")
    assert state["status"] == 201, state

    # Media flows: Chromium reports bytes sent on its outbound RTP streams and bytes received
    # on the transport (STUN, DTLS, RTCP from the server), and the server decrypts its RTP.
    deadline = time.monotonic() + MEDIA_TIMEOUT_S
    decrypted = 0.0
    while time.monotonic() < deadline:
        state = page_state(chromium)
        stats = state.get("stats") or {}
        decrypted = decrypted_rtp(server) - before
        if (
            stats.get("outboundBytesSent", 0) > 0
            and stats.get("transportBytesReceived", 0) > 0
            and decrypted > MIN_DECRYPTED_RTP
        ):
            break
        time.sleep(0.5)
    else:
        pytest.fail(
            f"media did not flow within {MEDIA_TIMEOUT_S:.0f} s: Chromium stats {state.get('stats')}, "
            f"server decrypted {decrypted:.0f} RTP packets (need > {MIN_DECRYPTED_RTP})\n\n"
            f"{diagnostics(chromium, server)}",
            pytrace=False,
        )
    stats = state["stats"]
    assert stats["outbound"].get("audio", {}).get("bytesSent", 0) > 0, stats
    assert stats["outbound"].get("video", {}).get("bytesSent", 0) > 0, stats
    assert state["connectionState"] == "connected", state

    people = server.get(f"/v1/rooms/{room}/participants").json()["participants"]
    assert [(p["displayName"], p["role"]) for p in people] == [(PARTICIPANT_NAME, "publisher")], people

    # Clean leave: DELETE on the session URL from the page (a cross-origin DELETE, so CORS
    # preflight again), then the browser goes away.
    delete_status = chromium.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.tesseraLeave().then(done, (e) => done('error: ' + e));"
    )
    assert delete_status == 200, f"DELETE on the session URL answered {delete_status!r}\n\n{diagnostics(chromium, server)}"
    chromium.quit()

    deadline = time.monotonic() + LEAVE_TIMEOUT_S
    while time.monotonic() < deadline and server.get(f"/v1/rooms/{room}/participants").json()["participants"]:
        time.sleep(0.2)
    people = server.get(f"/v1/rooms/{room}/participants").json()["participants"]
    assert people == [], f"participant still listed {LEAVE_TIMEOUT_S:.0f} s after leaving: {people}"

    meetings = server.get(f"/v1/meetings?room={room}").json()["meetings"]
    assert len(meetings) == 1, meetings
    assert meetings[0]["endedAt"] is not None, meetings[0]
    attendances = [(a["displayName"], a["leaveReason"]) for a in meetings[0]["attendances"]]
    assert attendances == [(PARTICIPANT_NAME, "left")], attendances
