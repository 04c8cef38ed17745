// Shared by the join page (join.js) and the admin page (admin.js): calls to the Tessera
// API, its errors, and DOM helpers. Plain ES modules, standard APIs only (Chromium and
// Firefox), no build step.

/** An error answered by the API: `{"error": {"code", "message"}}` with its status. */
export class APIError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = "APIError";
    this.status = status;
    this.code = code;
  }
}

/**
 * Calls the API on this origin. `credential` (room token or admin key) goes into
 * `Authorization: Bearer`; `json` is sent as the JSON body. Resolves to the response
 * for a 2xx; rejects with an APIError otherwise, or a TypeError when the server
 * cannot be reached.
 */
export async function call(method, path, { credential = "", json, body, contentType } = {}) {
  const headers = {};
  if (credential) headers.Authorization = `Bearer ${credential}`;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (contentType) {
    headers["Content-Type"] = contentType;
  }
  const response = await fetch(path, { method, headers, body, cache: "no-store" });
  if (!response.ok) throw await errorOf(response);
  return response;
}

/** `call` for a JSON answer; resolves to the parsed body (null for an empty one). */
export async function callJSON(method, path, options) {
  const response = await call(method, path, options);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

async function errorOf(response) {
  let code = `http_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = await response.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
    }
  } catch (_) {
    // Not the API's JSON (a proxy's page): keep the status line.
  }
  return new APIError(response.status, code, message);
}

/** The claims of a room token (a JWT), read without checking it: the server does that. */
export function tokenClaims(token) {
  try {
    const part = token.split(".")[1];
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (_) {
    return null;
  }
}

/** The invite link of a room: the join page with the room id and its token. */
export function inviteLink(roomId, token) {
  const url = new URL("/", location.origin);
  url.searchParams.set("room", roomId);
  if (token) url.searchParams.set("token", token);
  return url.href;
}

/** ws:// or wss:// URL of the room's events socket (the credential goes in `?token=`: a
 *  browser cannot set headers on a WebSocket). */
/** Opens the events WebSocket at `url` and hands each message, parsed as JSON, to
 * `onEvent` (a message that is not JSON is ignored). Returns the socket. */
export function openEventSocket(url, onEvent) {
  const socket = new WebSocket(url);
  socket.addEventListener("message", (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch (_) {
      return;
    }
    onEvent(event);
  });
  return socket;
}

export function eventsURL(roomId, credential, { snapshot = true } = {}) {
  const url = new URL(`/v1/rooms/${encodeURIComponent(roomId)}/events`, location.origin);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  if (snapshot) url.searchParams.set("snapshot", "true");
  if (credential) url.searchParams.set("token", credential);
  return url.href;
}

/**
 * Creates an element: `el("li", {class: "x", onclick: f}, "text", child)`. Children are
 * strings (set as text, never parsed as HTML: display names come from users) or nodes.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else if (name in node && typeof value !== "string") node[name] = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Shows `text` in the page's message line (`kind`: "error" | "info"); empty hides it. */
export function showMessage(node, text, kind = "error") {
  node.textContent = text || "";
  node.hidden = !text;
  node.dataset.kind = kind;
}

export function formatBitrate(bitsPerSecond) {
  if (!Number.isFinite(bitsPerSecond)) return "–";
  if (bitsPerSecond >= 1e6) return `${(bitsPerSecond / 1e6).toFixed(1)} Mbit/s`;
  return `${Math.round(bitsPerSecond / 1e3)} kbit/s`;
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return "–";
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}

export function formatDuration(ms) {
  if (!Number.isFinite(ms)) return "–";
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
}

export function formatTime(iso) {
  if (!iso) return "–";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
