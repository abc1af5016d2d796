/**
 * The configuration moved to core/config.ts (the CLI, the HTTP server and the MCP server share it).
 * This path stays only for bench/soak-server.ts, which is edited elsewhere: import core/config.ts.
 */
export { loadConfig, type Config } from '../core/config.ts';
