"""The browser client `tessera serve` ships (issue 6), driven in Debian's headless Chromium
with fake camera and microphone (Chromium's fake camera is a moving, coloured test
pattern; its fake microphone beeps), from the pages the server itself serves:

- two participants join one room from the join page: each sees the mix playing at the
  room's size with a tile per participant, receives audio, and lists both names; one
  turns its camera off and its tile becomes the placeholder in the other's mix within a
  second; one leaves; a "watch only" viewer then receives the mix without sending;
- the admin page creates a room and an invite link that another browser joins with;
  the admin mutes, records (and downloads the recording) and removes the guest;
- refusals (bad token, full room, no such room, denied camera) are shown in words;
- a participant mutes itself on its session URL (PATCH with JSON), and the events
  socket's `?snapshot=true` starts with the room as it is.

Rooms are 640x360 at 15 fps to keep two Chromiums and the mixer light on two cores.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any, Callable

import pytest
import requests

from conftest import Server, assert_error, assert_json
from test_chromium import no_proxy_env, start_chromium  # noqa: F401 (no_proxy_env is a fixture)
from test_events import EventSocket, events_url
from test_media_sessions import wait_connected

WIDTH, HEIGHT = 640, 360
ROOM_VIDEO = {"width": WIDTH, "height": HEIGHT, "fps": 15, "bitrateKbps": 600}
# Compositor.placeholder (BT.601 Y=60 U=136 V=120) as a browser draws it.
PLACEHOLDER_RGB = (38, 55, 67)
WHIP_CLIENT = Path(__file__).resolve().parent / "clients" / "whip_client.py"

CONNECT_TIMEOUT_S = 30.0
MUTE_DEADLINE_S = 1.0

# Two tiles on 640x360 (LayoutGeometry.grid): two 320x360 cells side by side, each picture
# 16:9 in the middle third; the bands above and below are background.
LEFT_TILE = (40, 110, 280, 250)
RIGHT_TILE = (360, 110, 600, 250)
TOP_BAND = (0, 0, WIDTH, 70)

# Reads regions of the <video id=mix> frame: mean RGB and luma spread of each.
READ_REGIONS_JS = """
const [id, regions] = arguments;
const video = document.getElementById(id);
if (!video || !video.videoWidth) return null;
const canvas = document.createElement("canvas");
canvas.width = video.videoWidth;
canvas.height = video.videoHeight;
const g = canvas.getContext("2d", { willReadFrequently: true });
g.drawImage(video, 0, 0);
const out = {};
for (const [name, [x0, y0, x1, y1]] of Object.entries(regions)) {
  const data = g.getImageData(x0, y0, x1 - x0, y1 - y0).data;
  let r = 0, gr = 0, b = 0, l = 0, l2 = 0;
  const n = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    r += data[i]; gr += data[i + 1]; b += data[i + 2];
    const y = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    l += y; l2 += y * y;
  }
  const mean = l / n;
  out[name] = { rgb: [r / n, gr / n, b / n], luma: mean, spread: Math.sqrt(Math.max(0, l2 / n - mean * mean)) };
}
return out;
"""

# Watches the mix frame by frame (requestVideoFrameCallback) and notes the wall-clock time
# (Date.now(), the test's clock too) of the first frame whose region is the placeholder.
WATCH_PLACEHOLDER_JS = """
const [region, rgb, tolerance] = arguments;
const video = document.getElementById("mix");
const canvas = document.createElement("canvas");
canvas.width = video.videoWidth;
canvas.height = video.videoHeight;
const g = canvas.getContext("2d", { willReadFrequently: true });
const watch = { seenAt: null, frames: 0, last: null };
window.placeholderWatch = watch;
const [x0, y0, x1, y1] = region;
function check() {
  g.drawImage(video, 0, 0);
  const data = g.getImageData(x0, y0, x1 - x0, y1 - y0).data;
  let r = 0, gr = 0, b = 0;
  const n = data.length / 4;
  for (let i = 0; i < data.length; i += 4) { r += data[i]; gr += data[i + 1]; b += data[i + 2]; }
  const mean = [r / n, gr / n, b / n];
  watch.last = mean;
  watch.frames += 1;
  if (mean.every((v, i) => Math.abs(v - rgb[i]) <= tolerance)) {
    watch.seenAt = Date.now();
    return;
  }
  video.requestVideoFrameCallback(check);
}
video.requestVideoFrameCallback(check);
return true;
"""


# --------------------------------------------------------------------------- browsers


@pytest.fixture
def browsers(tmp_path: Path, no_proxy_env: None):  # noqa: F811
    """Starts headless Chromiums (each its own profile); quits them all at teardown."""
    made: list[Any] = []

    def start(name: str, fake_ui: str = "") -> Any:
        driver = start_chromium(tmp_path / f"profile-{name}", tmp_path / f"chromedriver-{name}.log", fake_ui)
        made.append(driver)
        return driver

    yield start
    for driver in made:
        try:
            driver.quit()
        except Exception:  # already gone
            pass


def page_state(driver: Any, name: str = "tessera") -> dict:
    try:
        return driver.execute_script(f"return window.{name} ? JSON.parse(JSON.stringify(window.{name})) : null;") or {}
    except Exception as e:  # the browser is gone
        return {"unreadable": f"{type(e).__name__}: {e}"}


def diagnostics(driver: Any, server: Server, name: str = "tessera") -> str:
    state = page_state(driver, name)
    try:
        console = "\n".join(f"{e.get('level')} {e.get('message')}" for e in driver.get_log("browser"))
    except Exception as e:
        console = f"<unavailable: {type(e).__name__}: {e}>"
    return (f"page state: {json.dumps(state, indent=1)[:6000]}\n\nbrowser console:\n{console[-4000:]}\n\n"
            f"tessera stderr tail:\n{server.stderr_tail(80)}")


def wait_page(driver: Any, server: Server, what: str, check: Callable[[dict], bool], timeout: float = 15.0,
              name: str = "tessera") -> dict:
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        state = page_state(driver, name)
        try:
            if check(state):
                return state
        except (KeyError, TypeError):
            pass
        time.sleep(0.2)
    pytest.fail(f"{what}: not reached within {timeout:.0f} s\n\n{diagnostics(driver, server, name)}", pytrace=False)


def wait_server(what: str, check: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout:.0f} s (last: {value!r})")


def fill(driver: Any, element_id: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def click(driver: Any, element_id: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, element_id).click()


def select(driver: Any, element_id: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, element_id)).select_by_value(value)


def text_of(driver: Any, element_id: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id).text


def join(driver: Any, server: Server, room: str, name: str, button: str = "join-button") -> dict:
    """Opens the join page of `room`, enters `name`, clicks Join (or Watch only) and
    waits for the connection and for the participant list to name us."""
    driver.get(f"{server.base_url}/?room={urllib.parse.quote(room)}")
    fill(driver, "name-input", name)
    click(driver, button)
    state = wait_page(driver, server, f"{name} connected and listed", lambda s: s["phase"] == "connected"
                      and any(p["you"] for p in s["participants"]), CONNECT_TIMEOUT_S)
    assert shown(driver) == ["call"], f"{name}: the page shows {shown(driver)}"
    return state


def shown(driver: Any) -> list[str]:
    """Which of the join page's three parts are on screen."""
    from selenium.webdriver.common.by import By

    return [part for part in ("lobby", "call", "after") if driver.find_element(By.ID, part).is_displayed()]


def playback(driver: Any) -> dict:
    return driver.execute_script(
        "const v = document.getElementById('mix');"
        "return {frames: v.getVideoPlaybackQuality().totalVideoFrames, width: v.videoWidth, height: v.videoHeight,"
        " paused: v.paused, time: v.currentTime};")


def assert_mix_plays(driver: Any, server: Server, who: str) -> None:
    """Video frames decoded and shown, at the room's size, and audio packets and samples
    arriving: compared over two seconds."""
    wait_page(driver, server, f"{who}: audio and video stats", lambda s: s["stats"]["audio"] and s["stats"]["video"])
    before, stats_before = playback(driver), page_state(driver)["stats"]
    time.sleep(2)
    after, stats_after = playback(driver), page_state(driver)["stats"]
    print(f"{who}: frames {before['frames']} -> {after['frames']}, {after['width']}x{after['height']}, "
          f"audio packets {stats_before['audio']['packetsReceived']} -> {stats_after['audio']['packetsReceived']}, "
          f"rtt {stats_after.get('rttMs')} ms, loss {stats_after.get('lossPercent')} %")
    assert (after["width"], after["height"]) == (WIDTH, HEIGHT), f"{who}: mix is {after['width']}x{after['height']}"
    assert not after["paused"], f"{who}: the mix is paused"
    assert after["frames"] - before["frames"] >= 10, f"{who}: {after['frames'] - before['frames']} frames in 2 s"
    assert stats_after["audio"]["packetsReceived"] - stats_before["audio"]["packetsReceived"] >= 50, (who, stats_after)
    assert stats_after["audio"]["totalSamplesReceived"] > stats_before["audio"]["totalSamplesReceived"], (who, stats_after)
    assert stats_after["rttMs"] is not None and stats_after["lossPercent"] is not None, stats_after


def regions(driver: Any, **named: tuple[int, int, int, int]) -> dict:
    found = driver.execute_script(READ_REGIONS_JS, "mix", named)
    assert found, "the mix has no picture"
    return found


def is_placeholder(region: dict, tolerance: float = 14) -> bool:
    return all(abs(v - p) <= tolerance for v, p in zip(region["rgb"], PLACEHOLDER_RGB)) and region["spread"] < 8


def is_picture(region: dict) -> bool:
    """A camera picture: not the near-black background, not the flat placeholder."""
    return region["luma"] > 30 and not is_placeholder(region)


def participants(server: Server, room: str) -> list[dict]:
    return assert_json(server.get(f"/v1/rooms/{room}/participants"), 200)["participants"]


# --------------------------------------------------------------------------- tests


def test_two_participants_join_from_the_page_mute_leave_and_a_viewer_watches(server: Server, browsers) -> None:
    room = server.post("/v1/rooms", json={"name": "web", "access": "open", "video": ROOM_VIDEO}).json()["id"]
    alice, bob = browsers("alice"), browsers("bob")
    join(alice, server, room, "Alice")
    join(bob, server, room, "Bob")

    people = participants(server, room)
    assert [(p["displayName"], p["role"]) for p in people] == [("Alice", "publisher"), ("Bob", "publisher")], people
    for driver, who in ((alice, "Alice"), (bob, "Bob")):
        state = wait_page(driver, server, f"{who} lists both", lambda s: len(s["participants"]) == 2)
        assert [p["displayName"] for p in state["participants"]] == ["Alice", "Bob"], state["participants"]
        listed = text_of(driver, "participants")
        assert "Alice" in listed and "Bob" in listed, listed
        assert_mix_plays(driver, server, who)

    # The picture: a grid of two camera tiles (Alice's first) on the dark background.
    for driver, who in ((alice, "Alice"), (bob, "Bob")):
        found = wait_server(f"{who}: two camera tiles", lambda: (
            lambda r: r if is_picture(r["left"]) and is_picture(r["right"]) else None)(
                regions(driver, left=LEFT_TILE, right=RIGHT_TILE, top=TOP_BAND)), timeout=10)
        print(f"{who}: tiles {found}")
        assert found["top"]["luma"] < 20, f"{who}: the band above the tiles is not background: {found['top']}"

    # Alice turns her camera off: her tile in Bob's mix becomes the placeholder within 1 s.
    assert not is_placeholder(regions(bob, left=LEFT_TILE)["left"])
    bob.execute_script(WATCH_PLACEHOLDER_JS, list(LEFT_TILE), list(PLACEHOLDER_RGB), 14)
    clicked_at = time.time()
    click(alice, "camera-button")
    watch = wait_page(bob, server, "Alice's tile turned placeholder in Bob's mix",
                      lambda s: s["seenAt"] is not None, timeout=10, name="placeholderWatch")
    latency = watch["seenAt"] / 1000 - clicked_at
    print(f"camera off -> placeholder in the other's mix: {latency * 1000:.0f} ms ({watch['frames']} frames watched)")
    assert latency <= MUTE_DEADLINE_S, f"placeholder after {latency:.2f} s (last colour {watch['last']})"
    assert wait_server("Alice videoMuted on the server", lambda: participants(server, room)[0]["videoMuted"])
    assert page_state(alice)["videoMuted"] is True
    wait_page(bob, server, "Bob's list shows Alice's camera off",
              lambda s: s["participants"][0]["videoMuted"] and not s["participants"][0]["audioMuted"])
    assert "camera off" in text_of(bob, "participants")

    # On again: her picture comes back.
    click(alice, "camera-button")
    wait_server("Alice's picture back in Bob's mix", lambda: is_picture(regions(bob, left=LEFT_TILE)["left"]), timeout=5)
    assert not participants(server, room)[0]["videoMuted"]

    # The fake microphones beep: the mixer's speaker detection reaches the lists.
    speakers = set(page_state(alice)["speakingSeen"]) | set(page_state(bob)["speakingSeen"])
    print(f"speaking seen for {len(speakers)} participant(s)")
    assert speakers, "no `speaking` event reached either page's participant list"

    # Bob leaves with the button: DELETE on his session, and Alice's list drops him.
    click(bob, "leave-button")
    wait_page(bob, server, "Bob left", lambda s: s["phase"] == "left")
    assert shown(bob) == ["after"], shown(bob)
    wait_page(alice, server, "Alice's list without Bob", lambda s: [p["displayName"] for p in s["participants"]] == ["Alice"])
    assert [p["displayName"] for p in participants(server, room)] == ["Alice"]

    # Bob's browser now watches only (WHEP): it receives the mix and sends nothing.
    join(bob, server, room, "Watcher", button="watch-button")
    senders = bob.execute_script("return window.tesseraPc.getSenders().filter((s) => s.track).length;")
    assert senders == 0, f"the viewer's connection sends {senders} track(s)"
    assert bob.execute_script("return window.tesseraPc.getTransceivers().map((t) => t.currentDirection);") == [
        "recvonly", "recvonly"]
    assert_mix_plays(bob, server, "Watcher")
    people = participants(server, room)
    assert [(p["displayName"], p["role"]) for p in people] == [("Alice", "publisher"), ("Watcher", "viewer")], people
    wait_page(alice, server, "Alice lists the viewer", lambda s: [(p["displayName"], p["role"]) for p in s["participants"]]
              == [("Alice", "publisher"), ("Watcher", "viewer")])
    # One camera tile (Alice): the viewer has none.
    assert is_picture(regions(bob, middle=(200, 110, 440, 250))["middle"])

    meetings = assert_json(server.get(f"/v1/meetings?room={room}"), 200)["meetings"]
    attendances = [(a["displayName"], a["leaveReason"]) for a in meetings[0]["attendances"]]
    assert ("Bob", "left") in attendances, attendances


def test_the_admin_page_creates_a_room_and_an_invite_a_browser_joins_with(server: Server, browsers) -> None:
    admin = browsers("admin")
    admin.get(f"{server.base_url}/admin")
    fill(admin, "key-input", "not-the-key")
    click(admin, "signin-button")
    wait_page(admin, server, "a wrong key refused", lambda s: "not right" in (s["error"] or ""), name="tesseraAdmin")
    fill(admin, "key-input", server.key)
    click(admin, "signin-button")
    wait_page(admin, server, "signed in", lambda s: s["signedIn"], name="tesseraAdmin")

    fill(admin, "room-name", "Standup")
    select(admin, "room-access", "token")
    fill(admin, "room-width", str(WIDTH))
    fill(admin, "room-height", str(HEIGHT))
    fill(admin, "room-fps", "15")
    click(admin, "create-room-button")
    state = wait_page(admin, server, "room created and selected", lambda s: s["room"]["name"] == "Standup",
                      name="tesseraAdmin")
    room = state["room"]["id"]
    created = assert_json(server.get(f"/v1/rooms/{room}"), 200)
    assert (created["access"], created["video"]["width"], created["video"]["height"]) == ("token", WIDTH, HEIGHT), created

    fill(admin, "invite-name", "Ida")
    click(admin, "invite-button")
    link = wait_page(admin, server, "invite link", lambda s: s["invite"]["link"], name="tesseraAdmin")["invite"]["link"]
    assert admin.execute_script("return document.getElementById('invite-link').value;") == link
    parsed = urllib.parse.urlparse(link)
    query = urllib.parse.parse_qs(parsed.query)
    assert parsed.path == "/" and query["room"] == [room] and query["token"][0].count(".") == 2, link

    # The guest opens the link: the token leaves the address bar, the page says who is invited.
    guest = browsers("guest")
    guest.get(link)
    wait_page(guest, server, "invite read", lambda s: s["room"] == room)
    assert "token=" not in guest.current_url, guest.current_url
    assert "Ida" in text_of(guest, "invite-note")
    click(guest, "join-button")
    wait_page(guest, server, "Ida connected", lambda s: s["phase"] == "connected" and any(p["you"] for p in s["participants"]),
              CONNECT_TIMEOUT_S)
    people = participants(server, room)
    assert [(p["displayName"], p["role"], p["userId"]) for p in people] == [("Ida", "publisher", None)], people
    pid = people[0]["id"]
    # The page knows its id from the answer's header; its session URL carries a secret key instead.
    mine = page_state(guest)
    assert mine["participantId"] == pid, mine
    assert not mine["sessionUrl"].endswith(pid) and len(mine["sessionUrl"].rsplit("/", 1)[-1]) >= 32, mine["sessionUrl"]

    # The admin page lists her live; its mute reaches the server and her page.
    wait_page(admin, server, "Ida listed on the admin page", lambda s: [p["displayName"] for p in s["participants"]] == ["Ida"],
              name="tesseraAdmin")
    admin.find_element("css selector", f'tr[data-participant-id="{pid}"] button[data-action="mute-video"]').click()
    wait_server("Ida videoMuted", lambda: participants(server, room)[0]["videoMuted"])
    wait_page(guest, server, "Ida's page hears of the mute", lambda s: s["videoMuted"] is True)
    assert guest.execute_script("return document.getElementById('camera-button').getAttribute('aria-pressed');") == "true"

    # Record a little, stop, and download the file through the page (fetch + blob).
    wait_page(admin, server, "record button ready", lambda s: s["room"]["meetingId"], name="tesseraAdmin")
    click(admin, "record-button")
    wait_page(admin, server, "recording", lambda s: s["recording"]["status"] == "recording", name="tesseraAdmin")
    time.sleep(2)
    click(admin, "record-button")
    state = wait_page(admin, server, "recording listed as completed",
                      lambda s: [r["status"] for r in s["recordings"]] == ["completed"], name="tesseraAdmin")
    rid = state["recordings"][0]["id"]
    admin.find_element("css selector", f'tr[data-recording-id="{rid}"] button[data-action="download"]').click()
    download = wait_page(admin, server, "recording downloaded", lambda s: s["lastDownload"], name="tesseraAdmin")["lastDownload"]
    size = assert_json(server.get(f"/v1/recordings/{rid}"), 200)["sizeBytes"]
    assert download == {"id": rid, "bytes": size, "type": "video/webm"}, (download, size)

    # Removing her ends her call, and her page says why.
    admin.find_element("css selector", f'tr[data-participant-id="{pid}"] button[data-action="kick"]').click()
    state = wait_page(guest, server, "Ida removed", lambda s: s["phase"] == "left")
    assert "removed you" in state["message"], state["message"]
    assert participants(server, room) == []
    meetings = assert_json(server.get(f"/v1/meetings?room={room}"), 200)["meetings"]
    assert [(a["displayName"], a["leaveReason"]) for a in meetings[0]["attendances"]] == [("Ida", "kicked")]


def test_refusals_are_shown_in_words(server: Server, browsers) -> None:
    full = server.post("/v1/rooms", json={"name": "tiny", "access": "open", "maxParticipants": 1, "video": ROOM_VIDEO}).json()["id"]
    locked = server.post("/v1/rooms", json={"name": "locked", "video": ROOM_VIDEO}).json()["id"]
    occupant = subprocess.Popen(
        [sys.executable, str(WHIP_CLIENT), "--server", server.base_url, "--room", full, "--name", "First", "--seconds", "30"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_server("the occupant joined", lambda: participants(server, full))
        browser = browsers("refused")

        def refused(url: str, button: str = "join-button") -> str:
            browser.get(url)
            wait_page(browser, server, "page ready", lambda s: s["phase"] == "lobby")
            click(browser, button)
            return wait_page(browser, server, f"refusal on {url}", lambda s: s["error"])["error"]

        assert "room is full" in refused(f"{server.base_url}/?room={full}")
        assert "needs an invite link" in refused(f"{server.base_url}/?room={locked}")
        # A token whose signature does not verify (its claims still read fine).
        minted = server.post(f"/v1/rooms/{locked}/tokens", json={"displayName": "M"}).json()["token"]
        forged = minted[:-6] + ("AAAAAA" if not minted.endswith("AAAAAA") else "BBBBBB")
        assert "not valid or has expired" in refused(f"{server.base_url}/?room={locked}&token={forged}")
        assert "no room" in refused(f"{server.base_url}/?room=does-not-exist")
        viewer = server.post(f"/v1/rooms/{locked}/tokens", json={"displayName": "V", "role": "viewer"}).json()["token"]
        browser.get(f"{server.base_url}/?room={locked}&token={viewer}")
        wait_page(browser, server, "viewer invite read", lambda s: s["room"] == locked)
        assert not browser.find_element("id", "join-button").is_displayed(), "a viewer invite offers Join"
        assert "to watch" in text_of(browser, "invite-note")

        browser.quit()

        # A denied camera (the user says no): the page says so, and still lets them watch.
        denied = browsers("denied", fake_ui="deny")
        denied.get(f"{server.base_url}/?room={full}")
        error = wait_page(denied, server, "denied camera", lambda s: s["error"])["error"]
        assert "access was denied" in error and "Watch only" in error, error
        assert "access was denied" in text_of(denied, "message")
    finally:
        occupant.kill()
        occupant.wait()


def test_a_participant_mutes_itself_on_its_session_url(server: Server) -> None:
    room = server.post("/v1/rooms", json={"name": "self", "video": ROOM_VIDEO}).json()["id"]
    token = server.post(f"/v1/rooms/{room}/tokens", json={"displayName": "Ada"}).json()["token"]
    watcher = server.post(f"/v1/rooms/{room}/tokens", json={"displayName": "W", "role": "viewer"}).json()["token"]
    other = server.post("/v1/rooms", json={"name": "other"}).json()["id"]
    foreign = server.post(f"/v1/rooms/{other}/tokens", json={"displayName": "F"}).json()["token"]
    client = subprocess.Popen(
        [sys.executable, str(WHIP_CLIENT), "--server", server.base_url, "--room", room, "--token", token, "--seconds", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        connected = wait_connected(client)
        pid = wait_server("Ada joined", lambda: participants(server, room))[0]["id"]
        assert connected.get("participantId") == pid, connected
        session = connected["location"]
        live = EventSocket(events_url(server, room, watcher))

        def patch(body: Any, credential: str | None = token, content_type: str = "application/json") -> requests.Response:
            data = body if isinstance(body, str) else json.dumps(body)
            headers = {"Content-Type": content_type}
            if credential:
                headers["Authorization"] = f"Bearer {credential}"
            return server.patch(session, auth=False, headers=headers, data=data)

        me = assert_json(patch({"videoMuted": True}), 200)
        assert (me["id"], me["audioMuted"], me["videoMuted"]) == (pid, False, True), me
        assert participants(server, room)[0]["videoMuted"] is True
        event = live.until(lambda e: any(x["type"] == "participant-muted" for x in e), 5, "participant-muted")[-1]
        assert {k: event[k] for k in ("type", "participantId", "audioMuted", "videoMuted")} == {
            "type": "participant-muted", "participantId": pid, "audioMuted": False, "videoMuted": True}

        assert_error(patch({"audioMuted": True}, credential=None), 401)
        assert_error(patch({"audioMuted": True}, credential=foreign), 403)
        assert_error(patch({"audioMuted": 1}), 422)
        assert_error(patch({"muted": True}), 422)
        assert_error(patch("a=end-of-candidates\r\n", content_type="text/plain"), 415)
        assert_error(server.patch(f"/v1/rooms/{room}/sessions/nope", auth=False, json={"audioMuted": True},
                                  headers={"Authorization": f"Bearer {token}"}), 404)
        # Trickle ICE on the same URL still works.
        trickle = patch("a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\n", content_type="application/trickle-ice-sdpfrag")
        assert trickle.status_code == 204, trickle.text
        assert participants(server, room)[0]["audioMuted"] is False

        # A socket opened now starts with the room as it is: Ada joined, camera off.
        snapshot = EventSocket(events_url(server, room, watcher) + "&snapshot=true")
        first = snapshot.until(lambda e: len(e) >= 2, 5, "the snapshot")
        assert [e["type"] for e in first[:2]] == ["participant-joined", "participant-muted"], first
        assert (first[0]["participantId"], first[0]["displayName"], first[0]["at"]) == (pid, "Ada", participants(server, room)[0]["joinedAt"])
        assert (first[1]["audioMuted"], first[1]["videoMuted"]) == (False, True)
        # Then live events, the same as every other socket's.
        assert_json(patch({"videoMuted": False}), 200)
        after = snapshot.until(lambda e: len(e) >= 3, 5, "the live mute")[2]
        assert (after["type"], after["videoMuted"]) == ("participant-muted", False), after
        snapshot.close()
        live.close()
    finally:
        client.kill()
        client.wait()


def test_static_files_have_their_types_and_no_cache(server: Server) -> None:
    for path, kind in [("/", "text/html"), ("/admin", "text/html"), ("/web/tessera.css", "text/css"),
                       ("/web/join.js", "text/javascript"), ("/web/admin.js", "text/javascript"),
                       ("/web/common.js", "text/javascript")]:
        resp = server.get(path, auth=False)
        assert resp.status_code == 200, (path, resp.status_code)
        assert resp.headers["Content-Type"].startswith(kind), (path, resp.headers["Content-Type"])
        assert resp.headers["Cache-Control"] == "no-cache", path
        again = server.get(path, auth=False, headers={"If-None-Match": resp.headers["ETag"]})
        assert again.status_code == 304 and again.content == b"", path
    page = server.get("/", auth=False)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert '<script type="module" src="/web/join.js">' in page.text
    for missing in ("/web/nope.js", "/web/..%2FPackage.swift", "/web/", "/index.html", "/admin/x"):
        assert_error(server.get(missing, auth=False), 404, "not_found")
