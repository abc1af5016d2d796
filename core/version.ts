/** The package version, shown by `--version`, `/api/health` and the MCP server. */
import { readFileSync } from 'node:fs';
import { packagePath } from '../indexer/package-root.ts';

export const VERSION = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
