-- The persisted ingest queue (YouTube and podcast feeds), in the same SQLite file as the index. Applied by JobStore
-- on open (idempotent). Times are integer milliseconds since the epoch.

-- One ingest of a video, playlist, channel or feed. Per-status counts are derived from job_items.
CREATE TABLE IF NOT EXISTS jobs (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT NOT NULL,            -- what `source` names: video | playlist | channel | feed
  mode       TEXT NOT NULL,            -- add (fetch every listed video) | refresh (only new or retryable ones)
  source     TEXT NOT NULL,            -- canonical YouTube URL of the reference, or the feed URL
  status     TEXT NOT NULL,            -- queued | running | paused | done | failed
  message    TEXT,                     -- why it is paused or failed, for the user
  listed_at  INTEGER,                  -- set once the listing ran to the end; NULL means list (again) on resume
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_source ON jobs(source, status);

-- One video or episode of a job. `queued` until fetched; then `indexed` or the failure status.
CREATE TABLE IF NOT EXISTS job_items (
  job_id     INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  video_id   TEXT NOT NULL,
  position   INTEGER NOT NULL,         -- listing order, which is the processing order
  title      TEXT,
  status     TEXT NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  error      TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (job_id, video_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS job_items_queue ON job_items(job_id, status, position);

-- Playlists, channels and feeds added once, re-listed by `episodic refresh`.
CREATE TABLE IF NOT EXISTS follows (
  source         TEXT PRIMARY KEY,     -- canonical YouTube URL, or the feed URL
  kind           TEXT NOT NULL,        -- playlist | channel | feed
  created_at     INTEGER NOT NULL,
  last_listed_at INTEGER
);
