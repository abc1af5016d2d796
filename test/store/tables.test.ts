/**
 * The store owns every table: the list in tables.ts (what a salvage copies, in order) names
 * exactly the tables the three schema files create, and the job and summary tables are reached
 * through the Store, created on first use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableLayouts } from '../../indexer/store/salvage-copy.ts';
import { Store } from '../../indexer/store/store.ts';
import { TABLES } from '../../indexer/store/tables.ts';

describe('the tables of an index', () => {
  it('are the ones tables.ts lists, each from its own schema file, the job and summary tables only once used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'episodic-tables-'));
    const store = Store.open(dir);
    try {
      const names = () => tableLayouts(store.db.sqlite).map((t) => t.name).sort();
      expect(names()).toEqual(TABLES.filter((t) => t.schema === 'index').map((t) => t.name).sort());
      expect(store.summaries.count()).toBe(0); // reading does not create the summary table
      expect(store.jobs.recent(5)).toEqual([]);
      expect(names()).toEqual(TABLES.filter((t) => t.schema !== 'summaries').map((t) => t.name).sort());
      expect(store.summaries.put({ videoId: 'v', contentHash: 'h', model: 'm', promptVersion: 'p' }, { tldr: 'x' })).toBe(true);
      expect(store.summaries.count('v')).toBe(1);
      expect(names()).toEqual(TABLES.map((t) => t.name).sort());
      // A WITHOUT ROWID table can be copied past a damaged page only with keys to seek by.
      for (const layout of tableLayouts(store.db.sqlite)) {
        if (layout.withoutRowid) expect(TABLES.find((t) => t.name === layout.name)?.seekKeys, layout.name).toBeDefined();
      }
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
