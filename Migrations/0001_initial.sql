-- 0001: rooms, users, meetings, attendances, recordings.
-- Shipped migrations are never edited; add a new numbered file instead.
-- Timestamps are ISO 8601 UTC text with milliseconds, so they sort as text.

CREATE TABLE rooms (
    id                 TEXT PRIMARY KEY NOT NULL,
    name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    layout             TEXT NOT NULL CHECK (layout IN ('grid', 'speaker')),
    access             TEXT NOT NULL CHECK (access IN ('token', 'open')),
    max_participants   INTEGER NOT NULL CHECK (max_participants BETWEEN 1 AND 64),
    auto_record        INTEGER NOT NULL DEFAULT 0 CHECK (auto_record IN (0, 1)),
    video_width        INTEGER NOT NULL CHECK (video_width BETWEEN 160 AND 1920),
    video_height       INTEGER NOT NULL CHECK (video_height BETWEEN 90 AND 1080),
    video_fps          INTEGER NOT NULL CHECK (video_fps BETWEEN 1 AND 60),
    video_bitrate_kbps INTEGER NOT NULL CHECK (video_bitrate_kbps BETWEEN 100 AND 20000),
    created_at         TEXT NOT NULL,
    -- A deleted room keeps its row so that its meetings and recordings keep their history.
    deleted_at         TEXT
);
CREATE INDEX rooms_live_by_created ON rooms (created_at) WHERE deleted_at IS NULL;

CREATE TABLE users (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    created_at   TEXT NOT NULL
);

CREATE TABLE meetings (
    id               TEXT PRIMARY KEY NOT NULL,
    room_id          TEXT NOT NULL REFERENCES rooms (id),
    started_at       TEXT NOT NULL,
    ended_at         TEXT,
    -- Last moment the server knew the meeting was alive; closes it after a crash.
    last_activity_at TEXT NOT NULL
);
CREATE INDEX meetings_by_room ON meetings (room_id, started_at);
CREATE INDEX meetings_open ON meetings (ended_at) WHERE ended_at IS NULL;

CREATE TABLE attendances (
    participant_id TEXT PRIMARY KEY NOT NULL,
    meeting_id     TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id        TEXT REFERENCES users (id) ON DELETE SET NULL,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('publisher', 'viewer')),
    joined_at      TEXT NOT NULL,
    left_at        TEXT,
    leave_reason   TEXT CHECK (leave_reason IN ('left', 'kicked', 'timeout', 'room-deleted', 'shutdown')),
    CHECK ((left_at IS NULL) = (leave_reason IS NULL))
);
CREATE INDEX attendances_by_meeting ON attendances (meeting_id, joined_at);

CREATE TABLE recordings (
    id             TEXT PRIMARY KEY NOT NULL,
    room_id        TEXT NOT NULL REFERENCES rooms (id),
    meeting_id     TEXT REFERENCES meetings (id) ON DELETE SET NULL,
    status         TEXT NOT NULL CHECK (status IN ('recording', 'completed', 'interrupted', 'failed')),
    started_at     TEXT NOT NULL,
    ended_at       TEXT,
    duration_ms    INTEGER NOT NULL DEFAULT 0,
    size_bytes     INTEGER NOT NULL DEFAULT 0,
    format         TEXT NOT NULL DEFAULT 'webm',
    -- Path relative to the data dir, e.g. recordings/<room>/<id>.webm.
    file_path      TEXT NOT NULL,
    failure_reason TEXT
);
CREATE INDEX recordings_by_room ON recordings (room_id, started_at);
CREATE INDEX recordings_by_status ON recordings (status);
