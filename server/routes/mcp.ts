import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Router, type RequestHandler } from 'express';
import { createMcpServer, type McpDeps } from '../../mcp/server.ts';
import { callerOf, mutationRefusal } from './jobs.ts';

export interface McpRouteDeps extends McpDeps {
  /** EPISODIC_ADMIN_TOKEN: lets clients other than this machine use /mcp. Unset: loopback only. */
  adminToken?: string;
}

/**
 * The same rule as for mutations: a loopback client (not behind a proxy, and from a loopback page
 * if a browser sent it), or a valid admin token. MCP reads the whole library and can run model
 * calls, so it is not offered to the network by default.
 */
function requireLocalOrToken(adminToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    const refusal = mutationRefusal(callerOf(req), adminToken);
    if (!refusal) return next();
    const message = req.get('authorization') !== undefined
      ? refusal
      : adminToken
        ? 'MCP needs Authorization: Bearer <EPISODIC_ADMIN_TOKEN> from other machines'
        : 'MCP is only available from this machine (set EPISODIC_ADMIN_TOKEN on the server to allow others)';
    res.status(403).json({ error: message });
  };
}

const methodNotAllowed: RequestHandler = (_req, res) => {
  // Stateless: no server-initiated stream to GET, no session to DELETE.
  res.status(405).set('allow', 'POST').json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: POST JSON-RPC messages to /mcp' }, id: null });
};

/**
 * POST /mcp: the MCP server over Streamable HTTP, stateless (each request gets its own server
 * and transport over the shared core, as the SDK's stateless example does), answering in JSON.
 */
export function mcpRoutes(deps: McpRouteDeps): Router {
  const r = Router();
  const guard = requireLocalOrToken(deps.adminToken);
  r.post('/mcp', guard, async (req, res) => {
    const server = createMcpServer(deps);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  r.get('/mcp', guard, methodNotAllowed);
  r.delete('/mcp', guard, methodNotAllowed);
  return r;
}
