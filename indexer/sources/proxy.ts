// undici is loaded on the first proxied request, not at start: most commands never use a proxy.
type Undici = typeof import('undici');

/** Proxy variables, in the order they are honoured (the HTTPS ones first: YouTube is HTTPS). */
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

/** The proxy URL configured in the environment, if any. */
export function proxyFromEnv(env: Record<string, string | undefined>): string | undefined {
  for (const name of PROXY_VARS) {
    const v = env[name]?.trim();
    if (v) return v;
  }
  return undefined;
}

/** Hides the password of a proxy URL for messages. */
export function redactProxy(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/**
 * A fetch that sends every request through an HTTP(S) proxy. Node 20's built-in fetch ignores
 * proxy variables, so this uses undici's fetch with a ProxyAgent (CONNECT for https targets).
 */
export function proxiedFetch(proxyUrl: string): typeof fetch {
  let loaded: Promise<{ undiciFetch: Undici['fetch']; dispatcher: InstanceType<Undici['ProxyAgent']> }> | undefined;
  const proxied = async (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    loaded ??= import('undici').then(({ fetch: undiciFetch, ProxyAgent }) => ({ undiciFetch, dispatcher: new ProxyAgent(proxyUrl) }));
    const { undiciFetch, dispatcher } = await loaded;
    if (typeof input === 'string' || input instanceof URL) {
      return undiciFetch(input, { ...init, dispatcher } as never);
    }
    // A Request from Node's own fetch (youtubei.js builds those) is not undici-the-package's
    // Request class: pass its parts instead.
    const headers = new Headers(input.headers);
    new Headers(init.headers).forEach((v, k) => headers.set(k, v));
    const body = init.body ?? (input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.arrayBuffer());
    return undiciFetch(input.url, { method: init.method ?? input.method, headers, body, signal: init.signal ?? input.signal, redirect: init.redirect ?? input.redirect, dispatcher } as never);
  };
  return proxied as unknown as typeof fetch;
}
