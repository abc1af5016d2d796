/**
 * Every table of an index, in one list: which schema file defines it and what a salvage needs to
 * know to copy it. The SQL lives in the three schema files beside this one (schema.sql for the
 * index itself, jobs.sql for the ingest queue, summaries.sql for the summary cache); each is
 * applied by the class that owns those tables (IndexDb, JobStore, SummaryCache).
 */
import type Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root.ts';

export type SchemaName = 'index' | 'jobs' | 'summaries';

const SCHEMA_FILES: Record<SchemaName, string> = {
  index: 'indexer/store/schema.sql',
  jobs: 'indexer/store/jobs.sql',
  summaries: 'indexer/store/summaries.sql',
};

const loaded = new Map<SchemaName, string>();

/** Creates the tables of one schema file if they are missing (every statement is idempotent). */
export function applySchema(sqlite: Database.Database, schema: SchemaName): void {
  let sql = loaded.get(schema);
  if (sql === undefined) {
    sql = readFileSync(packagePath(SCHEMA_FILES[schema]), 'utf8');
    loaded.set(schema, sql);
  }
  sqlite.exec(sql);
}

export interface TableInfo {
  name: string;
  schema: SchemaName;
  /**
   * For a WITHOUT ROWID table: a query, over tables copied before it, for keys known to exist in
   * it, where a salvage's scan can resume past a damaged page (a video's cues begin at its id).
   */
  seekKeys?: string;
}

/**
 * The ordinary tables (FTS shadow tables aside), in the order a salvage copies them: rowid tables
 * first, so WITHOUT ROWID tables can seek by keys read from them.
 */
export const TABLES: readonly TableInfo[] = [
  { name: 'manifest', schema: 'index' },
  { name: 'videos', schema: 'index' },
  { name: 'segments', schema: 'index' },
  { name: 'jobs', schema: 'jobs' },
  { name: 'follows', schema: 'jobs' },
  { name: 'cues', schema: 'index', seekKeys: 'SELECT id FROM videos' },
  { name: 'vectors', schema: 'index', seekKeys: 'SELECT DISTINCT vec_hash FROM segments' },
  { name: 'job_items', schema: 'jobs', seekKeys: 'SELECT id FROM jobs' },
  { name: 'summaries', schema: 'summaries', seekKeys: 'SELECT id FROM videos' },
];

/** The entry for a table name, or undefined for a table this version does not know. */
export const tableInfo = (name: string): TableInfo | undefined => TABLES.find((t) => t.name === name);
