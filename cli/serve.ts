import { startServer } from '../server/main.ts';
import { exposureWarning, type Config } from '../core/config.ts';

/** `episodic serve` / `npm start`: runs until SIGINT or SIGTERM. */
export async function runServe(config: Config): Promise<number> {
  const running = await startServer(config);
  const warning = exposureWarning(config);
  if (warning) process.stderr.write(`${warning}\n`);
  process.stderr.write(`${running.note}\nEpisodic is listening on ${running.url} (index: ${config.dataDir})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  return 0;
}
