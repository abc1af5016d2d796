/**
 * The server process of `npm run soak:load`: the real `episodic serve` (same config, same app,
 * same job manager) with YouTube replaced by the Lexicap stand-in, so an ingest can run inside
 * the server while clients load it. Arguments: DATA_DIR EPISODE_FILE…
 */
import { loadConfig } from '../core/config.ts';
import { startServer } from '../server/main.ts';
import { lexicapEpisodes, lexicapYouTube } from './lexicap.ts';

const [dataDir, ...files] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: soak-server.ts DATA_DIR EPISODE_FILE…');
const source = lexicapYouTube(lexicapEpisodes(files));
const config = loadConfig(process.env, { dataDir, host: '127.0.0.1', port: 0 });
const running = await startServer(config, { createSource: async () => source });
process.stderr.write(`${running.note}\nlistening on ${running.url}\n`);
const stop = async () => {
  await running.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
// The soak measures memory after a full collection (node --expose-gc), so garbage waiting to be
// collected does not read as growth; it reports the heap that is still in use.
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 1024 / 1024);
  process.stderr.write(`gc: heapUsed ${mb(heapUsed)} MB, external ${mb(external)} MB, arrayBuffers ${mb(arrayBuffers)} MB\n`);
});
process.once('SIGINT', stop);
