// The admin page: rooms, invite links, live participants (mute, kick), recordings and
// meetings, through the admin REST API with the key the user enters. The key is kept in
// this tab's sessionStorage only.
//
// `window.tesseraAdmin` holds the page's state for tests and the console.

import {
  APIError, call, callJSON, el, eventsURL, formatBytes, openEventSocket, formatDuration, formatTime, inviteLink, showMessage,
} from "./common.js";

const $ = (id) => document.getElementById(id);
const KEY_STORAGE = "tessera.adminKey";

const state = {
  signedIn: false,
  error: null,
  rooms: [],
  roomId: null,
  room: null,
  participants: [],
  invite: null,
  recording: null,
  recordings: [],
  meetings: [],
  lastDownload: null,
};
window.tesseraAdmin = state;

let key = "";
let events = null;
let refreshTimer = null;

function fail(text) {
  state.error = text;
  showMessage($("message"), text, "error");
}

function clearMessage() {
  state.error = null;
  showMessage($("message"), "");
}

/** The words for an API refusal on this page. */
function describe(error, what) {
  if (!(error instanceof APIError)) return `Could not ${what}: the server cannot be reached (${error.message || error}).`;
  if (error.status === 401) return "The admin key is not accepted. Sign in again with the key the server printed.";
  return `Could not ${what}: ${error.message}`;
}

function api(method, path, options = {}) {
  return callJSON(method, path, { ...options, credential: key });
}

/** Runs an action of the page, showing a refusal in words (401: back to the sign-in). */
async function attempt(what, action) {
  try {
    const result = await action();
    return result;
  } catch (error) {
    fail(describe(error, what));
    if (error instanceof APIError && error.status === 401) signOut(false);
    return undefined;
  }
}

// --------------------------------------------------------------------------- sign in

async function signIn(candidate) {
  key = candidate;
  try {
    const body = await api("GET", "/v1/rooms");
    try {
      sessionStorage.setItem(KEY_STORAGE, key);
    } catch (_) {
      // Not kept across reloads, then.
    }
    state.signedIn = true;
    clearMessage();
    $("signin-form").hidden = true;
    $("console").hidden = false;
    $("signout-button").hidden = false;
    renderRooms(body.rooms);
  } catch (error) {
    key = "";
    fail(error instanceof APIError && error.status === 401 ? "That admin key is not right." : describe(error, "sign in"));
  }
}

function signOut(clearError = true) {
  key = "";
  try {
    sessionStorage.removeItem(KEY_STORAGE);
  } catch (_) {
    // Nothing kept.
  }
  selectRoom(null);
  state.signedIn = false;
  $("console").hidden = true;
  $("signin-form").hidden = false;
  $("signout-button").hidden = true;
  $("key-input").value = "";
  if (clearError) clearMessage();
}

// --------------------------------------------------------------------------- rooms

async function loadRooms() {
  const body = await attempt("list the rooms", () => api("GET", "/v1/rooms"));
  if (body) renderRooms(body.rooms);
}

function renderRooms(rooms) {
  state.rooms = rooms;
  const rows = rooms.map((room) => el("tr", {
    class: `selectable${room.id === state.roomId ? " selected" : ""}`,
    "data-room-id": room.id,
    onclick: () => selectRoom(room.id),
  },
  el("td", {}, room.name, el("br"), el("span", { class: "mono muted-text" }, room.id.slice(0, 8))),
  el("td", {}, room.access),
  el("td", {}, room.layout),
  el("td", {}, `${room.video.width}×${room.video.height}`)));
  $("rooms").replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "4", class: "empty" }, "No rooms yet."))]));
}

async function createRoom() {
  const number = (id) => Number.parseInt($(id).value, 10);
  const body = {
    name: $("room-name").value.trim(),
    access: $("room-access").value,
    layout: $("room-layout").value,
    maxParticipants: number("room-max"),
    autoRecord: $("room-autorecord").checked,
    video: { width: number("room-width"), height: number("room-height"), fps: number("room-fps") },
  };
  const room = await attempt("create the room", () => api("POST", "/v1/rooms", { json: body }));
  if (!room) return;
  clearMessage();
  $("room-name").value = "";
  await loadRooms();
  selectRoom(room.id);
}

async function deleteRoom() {
  const room = state.room;
  if (!room || !window.confirm(`Delete room “${room.name}”? Everyone in it is disconnected.`)) return;
  const done = await attempt("delete the room", () => api("DELETE", `/v1/rooms/${room.id}`));
  if (done === undefined) return;
  selectRoom(null);
  loadRooms();
}

// --------------------------------------------------------------------------- one room

function selectRoom(roomId) {
  if (events) {
    const socket = events;
    events = null;
    socket.close(1000);
  }
  state.roomId = roomId;
  state.room = null;
  state.invite = null;
  for (const row of document.querySelectorAll("#rooms tr[data-room-id]")) {
    row.classList.toggle("selected", row.dataset.roomId === roomId);
  }
  const shown = Boolean(roomId);
  $("no-room").hidden = shown;
  for (const id of ["room-detail", "invite-form", "live-section", "meetings-section", "recordings-section"]) $(id).hidden = !shown;
  $("invite-result").hidden = true;
  if (!roomId) return;
  refreshRoom();
  loadHistory();
  watchRoom(roomId);
}

/** The room, its live participants and its recording state, from `GET /v1/rooms/{id}`. */
async function refreshRoom() {
  const roomId = state.roomId;
  if (!roomId) return;
  const room = await attempt("load the room", () => api("GET", `/v1/rooms/${roomId}`));
  if (!room || roomId !== state.roomId) return;
  state.room = room;
  state.participants = room.participants;
  state.recording = room.recording;
  $("room-heading").textContent = room.name;
  $("room-summary").textContent = `${room.access === "open" ? "Open room" : "Invite links only"} · ${room.layout} · `
    + `${room.video.width}×${room.video.height} at ${room.video.fps} fps · up to ${room.maxParticipants} participants`
    + `${room.autoRecord ? " · recorded automatically" : ""} · id ${room.id}`;
  $("room-join-link").href = inviteLink(room.id, "");
  renderParticipants(room.participants);
  renderRecordingState(room.recording, Boolean(room.meetingId));
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshRoom();
  }, 150);
}

/** Follows the room's events socket (admin key as `?token=`) and refreshes on each event. */
function watchRoom(roomId) {
  const socket = openEventSocket(eventsURL(roomId, key, { snapshot: false }), (event) => {
    if (event.type === "speaking") {
      const row = document.querySelector(`#participants tr[data-participant-id="${CSS.escape(event.participantId)}"]`);
      if (row) row.classList.toggle("speaking", event.speaking);
      const person = state.participants.find((p) => p.id === event.participantId);
      if (person) person.speaking = event.speaking;
      return;
    }
    scheduleRefresh();
    if (event.type === "recording-stopped" || event.type === "meeting-ended" || event.type === "participant-joined") loadHistory();
  });
  events = socket;
  socket.addEventListener("close", () => {
    if (events !== socket) return;
    events = null;
    // Deleted meanwhile, or the server restarted: try again while the room is selected.
    setTimeout(() => {
      if (state.roomId === roomId && !events && state.signedIn) watchRoom(roomId);
    }, 3000);
  });
}

function renderParticipants(participants) {
  $("live-count").textContent = participants.length ? `(${participants.length})` : "";
  const rows = participants.map((p) => {
    const publisher = p.role === "publisher";
    return el("tr", { "data-participant-id": p.id, class: p.speaking ? "speaking" : "" },
      el("td", {}, el("span", { class: "speaking-dot", title: "speaking" })),
      el("td", { class: "name" }, p.displayName),
      el("td", {}, publisher ? "camera + mic" : "watching"),
      el("td", {}, formatTime(p.joinedAt)),
      el("td", { class: "actions-cell" },
        publisher ? el("button", {
          type: "button", class: "small", "data-action": "mute-audio", "aria-pressed": String(p.audioMuted),
          onclick: () => mute(p.id, { audioMuted: !p.audioMuted }),
        }, p.audioMuted ? "Unmute mic" : "Mute mic") : null,
        publisher ? el("button", {
          type: "button", class: "small", "data-action": "mute-video", "aria-pressed": String(p.videoMuted),
          onclick: () => mute(p.id, { videoMuted: !p.videoMuted }),
        }, p.videoMuted ? "Camera on" : "Camera off") : null,
        el("button", {
          type: "button", class: "small danger", "data-action": "kick", onclick: () => kick(p),
        }, "Remove")));
  });
  $("participants").replaceChildren(...(rows.length
    ? rows : [el("tr", {}, el("td", { colspan: "5", class: "empty" }, "Nobody is in the room."))]));
}

async function mute(participantId, flags) {
  const roomId = state.roomId;
  const done = await attempt("change the mute", () => api("PATCH", `/v1/rooms/${roomId}/participants/${participantId}`, { json: flags }));
  if (done) refreshRoom();
}

async function kick(participant) {
  const roomId = state.roomId;
  const done = await attempt(`remove ${participant.displayName}`,
    () => api("DELETE", `/v1/rooms/${roomId}/participants/${participant.id}`));
  if (done !== undefined) refreshRoom();
}

// --------------------------------------------------------------------------- invites

async function createInvite() {
  const room = state.room;
  if (!room) return;
  const body = {
    displayName: $("invite-name").value.trim(),
    role: $("invite-role").value,
    ttlSeconds: Number.parseInt($("invite-ttl").value, 10),
  };
  const minted = await attempt("create the invite", () => api("POST", `/v1/rooms/${room.id}/tokens`, { json: body }));
  if (!minted) return;
  clearMessage();
  const link = inviteLink(room.id, minted.token);
  state.invite = { link, expiresAt: minted.expiresAt, displayName: body.displayName, role: body.role };
  $("invite-link").value = link;
  $("invite-expiry").textContent = `For ${body.displayName} (${body.role === "viewer" ? "watch only" : "camera and microphone"}), `
    + `valid until ${formatTime(minted.expiresAt)}. Anyone with the link can use it until then.`;
  $("invite-result").hidden = false;
  $("invite-link").select();
}

async function copyInvite() {
  const link = $("invite-link").value;
  try {
    await navigator.clipboard.writeText(link);
    $("copy-invite").textContent = "Copied";
  } catch (_) {
    // No clipboard permission (or not a secure context): the link is selected for Ctrl+C.
    $("invite-link").select();
    $("copy-invite").textContent = "Press Ctrl+C";
  }
  setTimeout(() => { $("copy-invite").textContent = "Copy"; }, 2000);
}

// --------------------------------------------------------------------------- recordings and meetings

function renderRecordingState(recording, live) {
  const pill = $("recording-state");
  const running = recording && recording.status === "recording";
  pill.textContent = running ? "● Recording" : live ? "Meeting live" : "No meeting";
  pill.classList.toggle("live", Boolean(running));
  const button = $("record-button");
  button.textContent = running ? "Stop recording" : "Start recording";
  button.dataset.recordingId = running ? recording.id : "";
  button.disabled = !running && !live && !(state.room && state.room.autoRecord);
}

async function toggleRecording() {
  const room = state.room;
  if (!room) return;
  const running = $("record-button").dataset.recordingId;
  const result = running
    ? await attempt("stop the recording", () => api("POST", `/v1/recordings/${running}/stop`))
    : await attempt("start the recording", () => api("POST", `/v1/rooms/${room.id}/recordings`));
  if (result) {
    await refreshRoom();
    loadHistory();
  }
}

async function loadHistory() {
  const roomId = state.roomId;
  if (!roomId) return;
  const [meetings, recordings] = await Promise.all([
    attempt("list the meetings", () => api("GET", `/v1/meetings?room=${encodeURIComponent(roomId)}`)),
    attempt("list the recordings", () => api("GET", `/v1/recordings?room=${encodeURIComponent(roomId)}`)),
  ]);
  if (roomId !== state.roomId) return;
  if (meetings) renderMeetings(meetings.meetings);
  if (recordings) renderRecordings(recordings.recordings);
}

function renderMeetings(meetings) {
  state.meetings = meetings;
  const rows = meetings.map((m) => el("tr", {},
    el("td", {}, formatTime(m.startedAt)),
    el("td", {}, m.endedAt ? formatTime(m.endedAt) : el("span", { class: "pill live" }, "live")),
    el("td", {}, [...new Set(m.attendances.map((a) => a.displayName))].join(", "))));
  $("meetings").replaceChildren(...(rows.length
    ? rows : [el("tr", {}, el("td", { colspan: "3", class: "empty" }, "No meetings yet."))]));
}

function renderRecordings(recordings) {
  state.recordings = recordings;
  const rows = recordings.map((r) => el("tr", { "data-recording-id": r.id },
    el("td", {}, formatTime(r.startedAt)),
    el("td", {}, formatDuration(r.durationMs)),
    el("td", {}, formatBytes(r.sizeBytes)),
    el("td", {}, r.status),
    el("td", { class: "actions-cell" },
      el("button", { type: "button", class: "small", "data-action": "download", onclick: () => download(r) }, "Download"),
      r.status === "recording" ? null
        : el("button", { type: "button", class: "small danger", "data-action": "delete", onclick: () => deleteRecording(r) }, "Delete"))));
  $("recordings").replaceChildren(...(rows.length
    ? rows : [el("tr", {}, el("td", { colspan: "5", class: "empty" }, "No recordings yet."))]));
}

/**
 * Downloads a recording's WebM. The file route needs the admin key in a header, which a
 * plain link cannot send: fetch it, then save the blob through a temporary link.
 */
async function download(recording) {
  const response = await attempt("download the recording",
    () => call("GET", `/v1/recordings/${recording.id}/file`, { credential: key }));
  if (!response) return;
  const blob = await response.blob();
  state.lastDownload = { id: recording.id, bytes: blob.size, type: blob.type };
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: `${recording.roomId}-${recording.id}.webm`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function deleteRecording(recording) {
  if (!window.confirm("Delete this recording and its file?")) return;
  const done = await attempt("delete the recording", () => api("DELETE", `/v1/recordings/${recording.id}`));
  if (done !== undefined) loadHistory();
}

// --------------------------------------------------------------------------- wiring

function main() {
  $("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    signIn($("key-input").value.trim());
  });
  $("signout-button").addEventListener("click", () => signOut());
  $("refresh-rooms").addEventListener("click", loadRooms);
  $("create-room-form").addEventListener("submit", (event) => {
    event.preventDefault();
    createRoom();
  });
  $("delete-room-button").addEventListener("click", deleteRoom);
  $("invite-form").addEventListener("submit", (event) => {
    event.preventDefault();
    createInvite();
  });
  $("copy-invite").addEventListener("click", copyInvite);
  $("record-button").addEventListener("click", toggleRecording);
  $("refresh-history").addEventListener("click", loadHistory);
  let saved = "";
  try {
    saved = sessionStorage.getItem(KEY_STORAGE) || "";
  } catch (_) {
    // No storage: sign in each time.
  }
  if (saved) signIn(saved);
}

main();
