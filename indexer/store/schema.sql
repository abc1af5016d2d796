-- The on-disk contract of an Episodic index. SQLite is the source of truth; the HNSW
-- file next to it is derived from the `vectors` table and repaired from it on open.
PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS manifest (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS videos (
  id           TEXT PRIMARY KEY,
  title        TEXT NOT NULL,
  channel      TEXT,
  url          TEXT,
  youtube_id   TEXT,
  published_at TEXT,            -- ISO date
  speakers     TEXT,            -- JSON array
  duration_ms  INTEGER,
  description  TEXT,
  thumbnail    TEXT,
  audio_url    TEXT,            -- a feed episode's enclosure (added in place to older indexes by db.ts)
  chapters     TEXT,            -- JSON [{title, startMs}]
  track        TEXT,            -- JSON {lang, kind} for YouTube captions
  source       TEXT,            -- file path or URL it came from
  format       TEXT,
  content_hash TEXT,            -- hash of the transcript text + segmentation version
  status       TEXT NOT NULL DEFAULT 'indexed',
  error        TEXT,
  cue_count    INTEGER NOT NULL DEFAULT 0,
  segment_count INTEGER NOT NULL DEFAULT 0,
  added_at     TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS videos_channel ON videos(channel);
CREATE INDEX IF NOT EXISTS videos_source ON videos(source);
-- Finds the same transcript added from another path (episode identity).
CREATE INDEX IF NOT EXISTS videos_content_hash ON videos(content_hash);

CREATE TABLE IF NOT EXISTS cues (
  video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  idx      INTEGER NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms   INTEGER NOT NULL,
  text     TEXT NOT NULL,
  speaker  TEXT,
  PRIMARY KEY (video_id, idx)
) WITHOUT ROWID;

-- AUTOINCREMENT: segment ids are HNSW labels and must never be reused.
CREATE TABLE IF NOT EXISTS segments (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  video_id  TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  start_ms  INTEGER NOT NULL,
  end_ms    INTEGER NOT NULL,
  first_cue INTEGER NOT NULL,
  last_cue  INTEGER NOT NULL,
  text      TEXT NOT NULL,
  speakers  TEXT,               -- JSON array
  vec_hash  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS segments_video ON segments(video_id, start_ms);

-- Vectors by hash of the embedded text, so unchanged text is never embedded twice.
CREATE TABLE IF NOT EXISTS vectors (
  hash TEXT PRIMARY KEY,
  vec  BLOB NOT NULL
) WITHOUT ROWID;

CREATE VIRTUAL TABLE IF NOT EXISTS segments_fts USING fts5(
  text,
  content = 'segments',
  content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
