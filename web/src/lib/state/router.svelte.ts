import { carryThread, parseRoute, type Route } from '../route.ts';

/** The current route, kept in step with the address bar (history API; the server falls back to index.html). */
export class Router {
  #route = $state<Route>(parseRoute(location.pathname, location.search));
  /** How the current route was reached: Back/Forward should keep the browser's scroll position. */
  lastNavigation: 'push' | 'replace' | 'pop' = 'push';

  get route(): Route {
    return this.#route;
  }

  /** Listens to Back/Forward and to clicks on same-origin links; returns the clean-up. */
  start(): () => void {
    const onPop = () => {
      this.lastNavigation = 'pop';
      this.#route = parseRoute(location.pathname, location.search);
    };
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a');
      if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
      if (a.pathname.startsWith('/api/')) return;
      e.preventDefault();
      this.go(a.pathname + a.search);
    };
    addEventListener('popstate', onPop);
    document.addEventListener('click', onClick);
    return () => {
      removeEventListener('popstate', onPop);
      document.removeEventListener('click', onClick);
    };
  }

  /** Opens a URL of this app; `replace` rewrites the current history entry instead of adding one. */
  go(href: string, { replace = false } = {}): void {
    const url = carryThread(new URL(location.href), new URL(href, location.href));
    const current = location.pathname + location.search;
    const next = url.pathname + url.search;
    this.lastNavigation = replace || next === current ? 'replace' : 'push';
    if (this.lastNavigation === 'replace') history.replaceState(null, '', next);
    else history.pushState(null, '', next);
    // A fresh object even for the same URL: views react to "navigated again" (e.g. seek to the same second).
    this.#route = parseRoute(url.pathname, url.search);
  }
}
