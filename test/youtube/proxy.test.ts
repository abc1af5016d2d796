import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxiedFetch, proxyFromEnv, redactProxy } from '../../indexer/sources/proxy.ts';
import { loadConfig } from '../../core/config.ts';

let target: Server;
let proxy: Server;
let targetUrl: string;
let proxyUrl: string;
const seenByProxy: string[] = [];

const listen = (s: Server) =>
  new Promise<string>((resolve) =>
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      resolve(`http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`);
    }),
  );

beforeAll(async () => {
  target = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, path: req.url, body, ua: req.headers['user-agent'] })));
  });
  // A real forward proxy for plain-HTTP targets: requests arrive in absolute form and are relayed.
  proxy = createServer((req, res) => {
    seenByProxy.push(`${req.method} ${req.url}`);
    const url = new URL(req.url!);
    const upstream = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  // CONNECT tunnels, as used for https targets like www.youtube.com (and by undici for http too).
  proxy.on('connect', (req, client, head) => {
    seenByProxy.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
  });
  targetUrl = await listen(target);
  proxyUrl = await listen(proxy);
});

afterAll(async () => {
  await new Promise((r) => target.close(r));
  await new Promise((r) => (proxy.closeAllConnections(), proxy.close(r)));
});

describe('HTTPS_PROXY', () => {
  it('sends requests through the proxy, including Request objects as youtubei.js builds them', async () => {
    const f = proxiedFetch(proxyUrl);
    const plain = await (await f(`${targetUrl}/youtubei/v1/player?x=1`)).json();
    expect(plain).toMatchObject({ method: 'GET', path: '/youtubei/v1/player?x=1' });
    const req = new Request(`${targetUrl}/youtubei/v1/next`, { method: 'POST', headers: { 'user-agent': 'episodic-test' } });
    const posted = await (await f(req, { body: JSON.stringify({ videoId: 'abc' }) })).json();
    expect(posted).toMatchObject({ method: 'POST', path: '/youtubei/v1/next', body: '{"videoId":"abc"}', ua: 'episodic-test' });
    // Every request went through the proxy (absolute-form or a CONNECT tunnel to the target).
    const hostPort = targetUrl.replace('http://', '');
    expect(seenByProxy.length).toBeGreaterThan(0);
    for (const line of seenByProxy) expect(line).toMatch(new RegExp(`^(CONNECT ${hostPort}|GET ${targetUrl}|POST ${targetUrl})`));
  });

  it('reads the proxy from the environment into the configuration, and hides passwords', () => {
    expect(proxyFromEnv({ https_proxy: 'http://p:3128' })).toBe('http://p:3128');
    expect(proxyFromEnv({ HTTP_PROXY: 'http://a:1', HTTPS_PROXY: 'http://b:2' })).toBe('http://b:2');
    expect(proxyFromEnv({})).toBeUndefined();
    expect(loadConfig({ HTTPS_PROXY: proxyUrl }).httpsProxy).toBe(proxyUrl);
    expect(redactProxy('http://user:secret@proxy:3128')).toBe('http://user:***@proxy:3128');
  });
});
