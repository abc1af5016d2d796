export type ThemeName = 'light' | 'dark';

const KEY = 'episodic.theme';

/** Light/dark theme: follows the system until the user picks one, then remembers the choice. */
export class Theme {
  #chosen = $state<ThemeName | null>(null);
  #systemDark = $state(false);

  constructor() {
    const stored = safeGet(KEY);
    this.#chosen = stored === 'light' || stored === 'dark' ? stored : null;
    const mq = matchMedia('(prefers-color-scheme: dark)');
    this.#systemDark = mq.matches;
    mq.addEventListener('change', (e) => (this.#systemDark = e.matches));
  }

  get current(): ThemeName {
    return this.#chosen ?? (this.#systemDark ? 'dark' : 'light');
  }

  toggle(): void {
    this.#chosen = this.current === 'dark' ? 'light' : 'dark';
    safeSet(KEY, this.#chosen);
  }

  /** Puts the theme on <html> so the CSS variables switch. */
  apply(): void {
    document.documentElement.dataset.theme = this.current;
  }
}

// Storage can be disabled (private windows, sandboxed frames): the theme then lasts one visit.
function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function safeSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // ignore
  }
}
