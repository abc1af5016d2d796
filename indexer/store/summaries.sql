-- Generated summaries, in the same SQLite file as the index. Applied by SummaryCache on its
-- first write (idempotent), so opening an index to read never creates it. A summary is valid
-- for one transcript (its content hash), one model and one prompt version.
CREATE TABLE IF NOT EXISTS summaries (
  video_id       TEXT NOT NULL,
  content_hash   TEXT NOT NULL,
  model          TEXT NOT NULL,   -- the LLM's model id, or extractive:<embedder id>
  prompt_version TEXT NOT NULL,   -- prompt version plus the settings that shape the output
  created_at     TEXT NOT NULL,
  body           TEXT NOT NULL,   -- JSON of the EpisodeSummary
  PRIMARY KEY (video_id, content_hash, model, prompt_version)
) WITHOUT ROWID;
