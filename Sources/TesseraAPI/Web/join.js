// The join page: one RTCPeerConnection to the room over WHIP (camera and microphone up,
// the room's mixed stream down) or WHEP ("watch only": the mix down, nothing up), the
// participant list from the room's events socket, and a connection-quality line.
//
// Invite links: `/?room=<room id>&token=<room token>` (the admin page makes them; the
// token alone also works, its claims name the room). The token is moved out of the
// address bar into sessionStorage, so it does not show on a shared screen.
//
// `window.tessera` holds the page's state for tests and the console.

import {
  APIError, call, callJSON, el, eventsURL, formatBitrate, openEventSocket, showMessage, tokenClaims,
} from "./common.js";

const $ = (id) => document.getElementById(id);

const state = {
  phase: "lobby", // lobby | joining | connected | left
  mode: null, // publish | watch
  room: "",
  error: null,
  message: null,
  connectionState: "new",
  sessionUrl: null,
  participantId: null,
  audioMuted: false,
  videoMuted: false,
  participants: [],
  speakingSeen: [],
  stats: null,
  log: [],
};
window.tessera = state;

/** What we send: the camera and microphone tracks of the preview. */
let localStream = null;
let pc = null;
let events = null;
let statsTimer = null;
let levelTimer = null;
let credential = ""; // the room token, if any
/** Live participants by id, in join order. */
const people = new Map();

function log(text) {
  const line = `${(performance.now() / 1000).toFixed(3)} ${text}`;
  state.log.push(line);
  if (state.log.length > 200) state.log.shift();
  console.log(line);
}

function fail(text) {
  state.error = text;
  state.message = text;
  showMessage($("message"), text, "error");
  log(`error: ${text}`);
}

function inform(text) {
  state.message = text;
  showMessage($("message"), text, "info");
}

// --------------------------------------------------------------------------- room and invite

/** The room and token of what the user typed: a room id, or a pasted invite link. */
function parseTarget(text) {
  const trimmed = (text || "").trim();
  if (!/[/?=]/.test(trimmed)) return { room: trimmed, token: "" };
  try {
    return targetOf(new URL(trimmed, location.origin).searchParams);
  } catch (_) {
    return { room: trimmed, token: "" };
  }
}

/** `?room=…&token=…`; the token alone names its room in its claims. */
function targetOf(params) {
  const token = params.get("token") || "";
  const room = params.get("room") || (tokenClaims(token) || {}).room || "";
  return { room, token };
}

function rememberToken(room, token) {
  try {
    if (token) sessionStorage.setItem(`tessera.token.${room}`, token);
  } catch (_) {
    // Storage can be off; the token then lives only in this page.
  }
}

function rememberedToken(room) {
  try {
    return sessionStorage.getItem(`tessera.token.${room}`) || "";
  } catch (_) {
    return "";
  }
}

/** Shows what the invite says (name, role, expiry) and what it allows. */
function applyInvite(room, token) {
  credential = token;
  state.room = room;
  const claims = token ? tokenClaims(token) : null;
  const note = $("invite-note");
  $("name-field").hidden = Boolean(claims);
  $("join-button").hidden = false;
  if (!token) {
    note.hidden = true;
    return;
  }
  if (!claims) {
    note.hidden = true;
    fail("This invite link is damaged: its token cannot be read. Copy the whole link again.");
    return;
  }
  const expires = claims.exp ? new Date(claims.exp * 1000) : null;
  note.hidden = false;
  note.textContent = "";
  note.append("Invited as ", el("strong", {}, claims.name || "guest"),
    claims.role === "viewer" ? " to watch." : ".",
    expires ? ` The invite is valid until ${expires.toLocaleString()}.` : "");
  if (claims.room && room && claims.room !== room) {
    fail("This invite link is for another room than the one in the link.");
  } else if (expires && expires < new Date()) {
    fail(`This invite link expired on ${expires.toLocaleString()}. Ask the organiser for a new one.`);
  }
  if (claims.role === "viewer") $("join-button").hidden = true;
}

function readInviteFromAddress() {
  const params = new URLSearchParams(location.search);
  let { room, token } = targetOf(params);
  if (!token && room) token = rememberedToken(room);
  if (!room) return;
  rememberToken(room, token);
  // Keep the room in the address bar, not the token.
  if (params.has("token")) history.replaceState(null, "", `/?room=${encodeURIComponent(room)}`);
  $("room-input").value = room;
  applyInvite(room, token);
}

// --------------------------------------------------------------------------- camera preview

/** The words for a getUserMedia failure. */
function describeMediaError(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Camera and microphone access was denied. Allow it in your browser's site settings and reload, "
        + "or choose “Watch only”.";
    case "NotFoundError":
      return "No camera or microphone was found. You can still join (others see a placeholder) or watch only.";
    case "NotReadableError":
    case "AbortError":
      return "Your camera or microphone is in use by another application, or failed to start.";
    case "OverconstrainedError":
      return "Your camera cannot provide a picture the page can use.";
    default:
      return `The camera or microphone could not be opened (${error && error.message ? error.message : error}).`;
  }
}

// A tile of the mix is a fraction of the room's picture: 640x360 is plenty for it and keeps
// the upload near half a megabit.
const VIDEO_CONSTRAINTS = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24, max: 30 } };
const AUDIO_CONSTRAINTS = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

async function startPreview() {
  if (localStream) return localStream;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    fail("This page cannot use the camera here: browsers allow it only on https:// or http://localhost. "
      + "You can still watch.");
    return null;
  }
  $("preview-note").textContent = "Starting camera…";
  let stream = null;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: AUDIO_CONSTRAINTS, video: VIDEO_CONSTRAINTS });
  } catch (error) {
    log(`getUserMedia(audio+video): ${error.name}`);
    if (error.name === "NotAllowedError" || error.name === "SecurityError") {
      $("preview-note").textContent = "Camera blocked";
      fail(describeMediaError(error));
      return null;
    }
    // Maybe only one of the two exists or works.
    for (const constraints of [{ audio: AUDIO_CONSTRAINTS }, { video: VIDEO_CONSTRAINTS }]) {
      try {
        stream = await navigator.mediaDevices.getUserMedia(constraints);
        break;
      } catch (_) {
        // Try the next.
      }
    }
    if (!stream) {
      $("preview-note").textContent = "No camera";
      fail(describeMediaError(error));
      return null;
    }
    inform(stream.getVideoTracks().length
      ? "No microphone: you can join with the camera only."
      : "No camera: you can join with the microphone only (others see a placeholder).");
  }
  localStream = stream;
  $("preview").srcObject = stream;
  $("preview-note").textContent = stream.getVideoTracks().length ? "" : "Microphone only";
  $("preview-button").hidden = true;
  log(`getUserMedia: ${stream.getTracks().map((t) => `${t.kind}:${t.label}`).join(", ")}`);
  showMicLevel(stream);
  return stream;
}

/** A level meter for the microphone in the lobby, so a user sees it works. */
function showMicLevel(stream) {
  const track = stream.getAudioTracks()[0];
  if (!track || typeof AudioContext === "undefined") return;
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  levelTimer = setInterval(() => {
    if (state.phase !== "lobby") {
      clearInterval(levelTimer);
      levelTimer = null;
      context.close();
      return;
    }
    analyser.getFloatTimeDomainData(samples);
    let peak = 0;
    for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
    $("mic-level").value = Math.min(1, peak * 2);
  }, 100);
}

function stopLocalMedia() {
  if (localStream) for (const track of localStream.getTracks()) track.stop();
  localStream = null;
  $("preview").srcObject = null;
  $("preview-button").hidden = false;
  $("preview-note").textContent = "Camera preview";
}

// --------------------------------------------------------------------------- joining

/** The words for a refused WHIP/WHEP offer. */
function describeJoinError(error, mode) {
  if (!(error instanceof APIError)) {
    return `The server cannot be reached (${error && error.message ? error.message : error}). Check your connection.`;
  }
  switch (error.code) {
    case "room_full":
      return "The room is full. Try again when someone leaves, or choose “Watch only”.";
    case "unauthorized":
      return credential
        ? "The invite link is not valid or has expired. Ask the organiser for a new one."
        : "This room needs an invite link. Ask the organiser for one.";
    case "forbidden":
      return /viewer/.test(error.message)
        ? "Your invite lets you watch, not join with camera and microphone: choose “Watch only”."
        : "This invite link is for another room.";
    case "not_found":
      return `There is no room “${state.room}” on this server. Check the room id or the link.`;
    case "shutting_down":
      return "The server is restarting. Try again in a minute.";
    case "media_unavailable":
      return "The server cannot take calls right now (its media port is not running).";
    case "bad_sdp":
    case "unacceptable_sdp":
      return `The server cannot use what this browser offered (${error.message}).`;
    case "invalid_field":
      return `Check your name: ${error.message}.`;
    default:
      return `Could not ${mode === "watch" ? "watch" : "join"} (${error.status}: ${error.message}).`;
  }
}

async function join(mode) {
  if (state.phase === "joining" || state.phase === "connected") return;
  showMessage($("message"), "");
  state.error = null;
  const target = parseTarget($("room-input").value);
  if (!target.room) {
    fail("Enter a room id or paste an invite link.");
    return;
  }
  if (target.room !== state.room || (target.token && target.token !== credential)) {
    const token = target.token || rememberedToken(target.room);
    rememberToken(target.room, token);
    applyInvite(target.room, token);
  }
  const name = $("name-input").value.trim();
  if (name) {
    try {
      localStorage.setItem("tessera.name", name);
    } catch (_) {
      // Not remembered, then.
    }
  }

  state.mode = mode;
  state.phase = "joining";
  setBusy(true);
  try {
    // Without camera and microphone (denied, none) the call still works: the others see
    // a placeholder tile, and we see and hear them.
    if (mode === "publish" && !localStream) await startPreview();
    await connect(mode, name);
  } catch (error) {
    log(`join failed: ${error && error.stack ? error.stack : error}`);
    teardownPeer();
    state.phase = "lobby";
    fail(describeJoinError(error, mode));
  } finally {
    setBusy(false);
  }
}

function setBusy(busy) {
  for (const id of ["join-button", "watch-button"]) $(id).disabled = busy;
  $("join-button").textContent = busy && state.mode === "publish" ? "Joining…" : "Join";
}

async function connect(mode, name) {
  pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
  window.tesseraPc = pc;
  pc.addEventListener("connectionstatechange", onConnectionState);

  if (mode === "publish") {
    // sendrecv both ways: what we send goes into the mix, the mix comes back on the same
    // sections. Without a camera (or microphone) the section still receives.
    const audio = localStream ? localStream.getAudioTracks()[0] : null;
    const video = localStream ? localStream.getVideoTracks()[0] : null;
    const streams = localStream ? [localStream] : [];
    pc.addTransceiver(audio || "audio", { direction: "sendrecv", streams });
    pc.addTransceiver(video || "video", { direction: "sendrecv", streams });
  } else {
    pc.addTransceiver("audio", { direction: "recvonly" });
    pc.addTransceiver("video", { direction: "recvonly" });
  }
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);

  // Tessera is ICE-lite and its answer carries its candidate: the offer goes at once,
  // without waiting for our candidates.
  const query = new URLSearchParams();
  if (name && !credential) query.set("name", name);
  const path = `/v1/rooms/${encodeURIComponent(state.room)}/${mode === "publish" ? "whip" : "whep"}`
    + (query.toString() ? `?${query}` : "");
  log(`POST ${path}`);
  const response = await call("POST", path, { credential, body: pc.localDescription.sdp, contentType: "application/sdp" });
  const location = response.headers.get("Location");
  if (!location) throw new Error("the server's answer has no Location header");
  state.sessionUrl = new URL(location, window.location.origin).href;
  // The session URL ends in a secret key; our id in the room comes in its own header.
  state.participantId = response.headers.get("Tessera-Participant-Id");
  await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
  log(`session ${state.sessionUrl}`);
  // The mix: the room's audio and video, as received on our two sections.
  const video = $("mix");
  video.srcObject = new MediaStream(pc.getReceivers().map((receiver) => receiver.track));
  video.play().then(() => { $("play-button").hidden = true; }, () => { $("play-button").hidden = false; });

  enterCall(mode);
  openEvents();
  statsTimer = setInterval(pollStats, 1000);
}

function onConnectionState() {
  if (!pc) return;
  state.connectionState = pc.connectionState;
  log(`connectionState ${pc.connectionState}`);
  switch (pc.connectionState) {
    case "connected":
      state.phase = "connected";
      showMessage($("message"), "");
      break;
    case "disconnected":
      $("quality").textContent = "Connection interrupted; waiting for it to come back…";
      break;
    case "failed":
    case "closed":
      // A kick or a room deletion also ends the connection: give the events socket a
      // moment to say which, before blaming the network.
      setTimeout(() => {
        if (pc && (pc.connectionState === "failed" || pc.connectionState === "closed")) {
          end("The media connection to the server failed. Check that your network allows UDP, then join again.");
        }
      }, 1500);
      break;
    default:
      break;
  }
}

function enterCall(mode) {
  $("lobby").hidden = true;
  $("after").hidden = true;
  $("call").hidden = false;
  $("room-title").textContent = `Room ${state.room}`;
  const publishing = mode === "publish";
  const audio = localStream && localStream.getAudioTracks()[0];
  const video = localStream && localStream.getVideoTracks()[0];
  $("mic-button").hidden = !publishing;
  $("camera-button").hidden = !publishing;
  $("mic-button").disabled = !audio;
  $("camera-button").disabled = !video;
  if (publishing && !audio) $("mic-button").textContent = "No microphone";
  if (publishing && !video) $("camera-button").textContent = "No camera";
  state.audioMuted = false;
  state.videoMuted = false;
  renderToggles();
}

// --------------------------------------------------------------------------- mute

/** Mutes or unmutes our own microphone or camera: the track stops carrying sound or
 *  picture at once, and the server hears of it (PATCH on the session URL with JSON), so
 *  the mix drops our audio or shows our tile as a placeholder. */
async function setMuted(kind, muted) {
  const track = localStream && (kind === "audio" ? localStream.getAudioTracks()[0] : localStream.getVideoTracks()[0]);
  if (!track || !state.sessionUrl) return;
  const field = kind === "audio" ? "audioMuted" : "videoMuted";
  const before = state[field];
  track.enabled = !muted;
  state[field] = muted;
  renderToggles();
  try {
    const participant = await callJSON("PATCH", state.sessionUrl, { credential, json: { [field]: muted } });
    applyMuteFlags(participant.audioMuted, participant.videoMuted);
  } catch (error) {
    track.enabled = !before;
    state[field] = before;
    renderToggles();
    fail(`The server did not take the ${kind === "audio" ? "microphone" : "camera"} change: ${
      error instanceof APIError ? error.message : error}`);
  }
}

/** The flags the server holds for us (our own change, or an organiser's mute). */
function applyMuteFlags(audioMuted, videoMuted) {
  state.audioMuted = audioMuted;
  state.videoMuted = videoMuted;
  if (localStream) {
    for (const track of localStream.getAudioTracks()) track.enabled = !audioMuted;
    for (const track of localStream.getVideoTracks()) track.enabled = !videoMuted;
  }
  renderToggles();
}

function renderToggles() {
  const mic = $("mic-button");
  const camera = $("camera-button");
  if (!mic.disabled) mic.textContent = state.audioMuted ? "Unmute microphone" : "Mute microphone";
  if (!camera.disabled) camera.textContent = state.videoMuted ? "Turn camera on" : "Turn camera off";
  mic.setAttribute("aria-pressed", String(state.audioMuted));
  camera.setAttribute("aria-pressed", String(state.videoMuted));
}

// --------------------------------------------------------------------------- participants

/**
 * The room's events socket with `?snapshot=true`: the participants already there arrive
 * first as `participant-joined` (the participant list needs no admin key), then the live
 * events. Reconnects after an unexpected close, starting the list afresh.
 */
function openEvents() {
  people.clear();
  renderPeople();
  const socket = openEventSocket(eventsURL(state.room, credential), onEvent);
  events = socket;
  socket.addEventListener("close", (close) => {
    if (events !== socket) return;
    events = null;
    log(`events socket closed ${close.code}`);
    if (state.phase !== "joining" && state.phase !== "connected") return;
    if (close.code === 1000) {
      end("The room was closed.");
    } else if (close.code === 1001) {
      end("The server is shutting down. Try again in a minute.");
    } else {
      setTimeout(() => {
        if ((state.phase === "joining" || state.phase === "connected") && !events) openEvents();
      }, 2000);
    }
  });
}

function onEvent(event) {
  switch (event.type) {
    case "participant-joined":
      people.set(event.participantId, {
        id: event.participantId,
        displayName: event.displayName,
        role: event.role,
        speaking: false,
        audioMuted: false,
        videoMuted: false,
      });
      break;
    case "participant-left":
      people.delete(event.participantId);
      if (event.participantId === state.participantId) {
        const why = {
          kicked: "An organiser removed you from the meeting.",
          "room-deleted": "The room was closed.",
          timeout: "Your connection to the server was lost.",
          shutdown: "The server is shutting down. Try again in a minute.",
        }[event.reason];
        if (why) end(why);
      }
      break;
    case "speaking": {
      const person = people.get(event.participantId);
      if (person) person.speaking = event.speaking;
      if (event.speaking && !state.speakingSeen.includes(event.participantId)) state.speakingSeen.push(event.participantId);
      break;
    }
    case "participant-muted": {
      const person = people.get(event.participantId);
      if (person) {
        person.audioMuted = event.audioMuted;
        person.videoMuted = event.videoMuted;
      }
      if (event.participantId === state.participantId && state.mode === "publish") {
        if ((event.audioMuted && !state.audioMuted) || (event.videoMuted && !state.videoMuted)) {
          inform("An organiser muted you. You can unmute yourself with the buttons below.");
        }
        applyMuteFlags(event.audioMuted, event.videoMuted);
      }
      break;
    }
    default:
      return;
  }
  renderPeople();
}

function renderPeople() {
  const list = $("participants");
  const all = [...people.values()];
  state.participants = all.map((p) => ({ ...p, you: p.id === state.participantId }));
  list.replaceChildren(...all.map((p) => {
    const badges = [];
    if (p.role === "viewer") badges.push("watching");
    if (p.audioMuted) badges.push("mic off");
    if (p.videoMuted) badges.push("camera off");
    return el("li", { class: p.speaking ? "speaking" : "", "data-participant-id": p.id },
      el("span", { class: "speaking-dot", title: p.speaking ? "speaking" : "" }),
      el("span", { class: "name" }, p.displayName, p.id === state.participantId ? " (you)" : ""),
      badges.length ? el("span", { class: "badges" }, badges.join(" · ")) : null);
  }));
  const publishers = all.filter((p) => p.role !== "viewer").length;
  $("participant-count").textContent = all.length ? `(${publishers}${all.length > publishers ? ` + ${all.length - publishers} watching` : ""})` : "";
}

// --------------------------------------------------------------------------- quality

let previous = null;

/** Bitrate both ways, packet loss and round-trip time over the last second (getStats). */
async function pollStats() {
  if (!pc) return;
  let report;
  try {
    report = await pc.getStats();
  } catch (_) {
    return;
  }
  const now = performance.now();
  const sample = {
    at: now, bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsLost: 0, rtt: null, remoteRtt: null,
    audio: null, video: null,
  };
  let selectedPair = null;
  const pairs = [];
  report.forEach((r) => {
    if (r.type === "inbound-rtp") {
      sample.bytesIn += r.bytesReceived || 0;
      sample.packetsIn += r.packetsReceived || 0;
      sample.packetsLost += Math.max(0, r.packetsLost || 0);
      if (r.kind === "audio") {
        sample.audio = { packetsReceived: r.packetsReceived || 0, totalSamplesReceived: r.totalSamplesReceived || 0 };
      } else if (r.kind === "video") {
        sample.video = {
          packetsReceived: r.packetsReceived || 0, framesDecoded: r.framesDecoded || 0,
          frameWidth: r.frameWidth || 0, frameHeight: r.frameHeight || 0, framesPerSecond: r.framesPerSecond || 0,
        };
      }
    } else if (r.type === "outbound-rtp") {
      sample.bytesOut += r.bytesSent || 0;
    } else if (r.type === "transport" && r.selectedCandidatePairId) {
      selectedPair = report.get(r.selectedCandidatePairId);
    } else if (r.type === "candidate-pair") {
      pairs.push(r);
    } else if (r.type === "remote-inbound-rtp" && typeof r.roundTripTime === "number") {
      sample.remoteRtt = r.roundTripTime;
    }
  });
  // Chromium names the selected pair on the transport; Firefox marks it `selected`.
  selectedPair = selectedPair || pairs.find((p) => p.selected) || pairs.find((p) => p.nominated && p.state === "succeeded");
  if (selectedPair && typeof selectedPair.currentRoundTripTime === "number") sample.rtt = selectedPair.currentRoundTripTime;
  const rtt = sample.rtt ?? sample.remoteRtt;

  const line = [];
  const summary = { audio: sample.audio, video: sample.video, rttMs: rtt === null ? null : rtt * 1000 };
  if (previous) {
    const seconds = (now - previous.at) / 1000;
    const received = sample.packetsIn - previous.packetsIn;
    const lost = sample.packetsLost - previous.packetsLost;
    summary.bitrateIn = ((sample.bytesIn - previous.bytesIn) * 8) / seconds;
    summary.bitrateOut = ((sample.bytesOut - previous.bytesOut) * 8) / seconds;
    summary.lossPercent = received + lost > 0 ? (100 * Math.max(0, lost)) / (received + lost) : 0;
    line.push(`↓ ${formatBitrate(summary.bitrateIn)}`);
    if (state.mode === "publish") line.push(`↑ ${formatBitrate(summary.bitrateOut)}`);
    line.push(`loss ${summary.lossPercent.toFixed(1)} %`);
    line.push(rtt === null ? "round trip –" : `round trip ${Math.round(rtt * 1000)} ms`);
    summary.grade = summary.lossPercent < 2 && (rtt === null || rtt < 0.15) ? "good"
      : summary.lossPercent < 8 && (rtt === null || rtt < 0.4) ? "fair" : "poor";
    if (sample.video && sample.video.frameWidth) {
      line.push(`${sample.video.frameWidth}×${sample.video.frameHeight} @ ${Math.round(sample.video.framesPerSecond)} fps`);
    }
  }
  previous = sample;
  state.stats = summary;
  if (line.length && pc.connectionState !== "disconnected") {
    const quality = $("quality");
    quality.textContent = line.join(" · ");
    quality.dataset.grade = summary.grade;
  }
}

// --------------------------------------------------------------------------- leaving

function teardownPeer() {
  if (statsTimer !== null) clearInterval(statsTimer);
  statsTimer = null;
  previous = null;
  if (pc) pc.close();
  pc = null;
  const socket = events;
  events = null;
  if (socket) socket.close(1000);
  $("mix").srcObject = null;
}

/** Leaves of our own accord: DELETE on the session URL ends the session at once. */
async function leave() {
  const url = state.sessionUrl;
  state.sessionUrl = null;
  if (url) {
    try {
      await call("DELETE", url, { credential });
    } catch (error) {
      log(`DELETE ${url}: ${error}`);
    }
  }
  end("You left the meeting.", "info");
}

/** The end of the call, whatever ended it. */
function end(text, kind = "error") {
  if (state.phase === "left") return;
  state.phase = "left";
  teardownPeer();
  stopLocalMedia();
  people.clear();
  renderPeople();
  $("call").hidden = true;
  $("lobby").hidden = true;
  $("after").hidden = false;
  $("after-text").textContent = text;
  $("room-title").textContent = "";
  if (kind === "error") fail(text);
  else inform("");
}

function rejoin() {
  $("after").hidden = true;
  $("lobby").hidden = false;
  showMessage($("message"), "");
  state.phase = "lobby";
  state.error = null;
  state.sessionUrl = null;
  state.participantId = null;
  if (state.mode === "publish") startPreview();
}

// --------------------------------------------------------------------------- wiring

function main() {
  try {
    $("name-input").value = localStorage.getItem("tessera.name") || "";
  } catch (_) {
    // No storage: no remembered name.
  }
  readInviteFromAddress();
  $("join-form").addEventListener("submit", (event) => {
    event.preventDefault();
    join("publish");
  });
  $("watch-button").addEventListener("click", () => join("watch"));
  $("preview-button").addEventListener("click", () => {
    showMessage($("message"), "");
    state.error = null;
    startPreview();
  });
  $("room-input").addEventListener("change", () => {
    const target = parseTarget($("room-input").value);
    if (target.token || target.room !== state.room) applyInvite(target.room, target.token || rememberedToken(target.room));
  });
  $("mic-button").addEventListener("click", () => setMuted("audio", !state.audioMuted));
  $("camera-button").addEventListener("click", () => setMuted("video", !state.videoMuted));
  $("leave-button").addEventListener("click", leave);
  $("rejoin-button").addEventListener("click", rejoin);
  $("play-button").addEventListener("click", () => {
    $("mix").play().then(() => { $("play-button").hidden = true; }, () => {});
  });
  // Closing the tab leaves at once instead of after the server's 30 s consent timeout.
  window.addEventListener("pagehide", () => {
    if (state.sessionUrl) {
      fetch(state.sessionUrl, {
        method: "DELETE", keepalive: true, headers: credential ? { Authorization: `Bearer ${credential}` } : {},
      }).catch(() => {});
    }
  });
  // A viewer invite never needs the camera.
  const claims = credential ? tokenClaims(credential) : null;
  if (!claims || claims.role !== "viewer") startPreview();
}

main();
