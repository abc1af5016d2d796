import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_WORKERS, loadConfig } from '../../core/config.ts';

describe('configuration from the environment', () => {
  it('treats empty variables as unset (OPENAI_BASE_URL= is how people unset it)', () => {
    const config = loadConfig({ OPENAI_BASE_URL: '', OPENAI_API_KEY: ' ', EPISODIC_LLM_MODEL: '', EPISODIC_PORT: '', EPISODIC_DATA: '' });
    expect(config.llm).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.dataDir.endsWith('/data')).toBe(true);
  });

  it('still rejects a set but malformed value', () => {
    expect(() => loadConfig({ OPENAI_BASE_URL: 'not a url' })).toThrow(/OPENAI_BASE_URL/);
  });

  it('sizes the query worker pool from the cores, overridable', () => {
    expect(loadConfig({}).queryWorkers).toBe(DEFAULT_QUERY_WORKERS);
    expect(DEFAULT_QUERY_WORKERS).toBeGreaterThanOrEqual(1);
    expect(loadConfig({ EPISODIC_QUERY_WORKERS: '3' }).queryWorkers).toBe(3);
    expect(() => loadConfig({ EPISODIC_QUERY_WORKERS: '0' })).toThrow(/EPISODIC_QUERY_WORKERS/);
  });
});
