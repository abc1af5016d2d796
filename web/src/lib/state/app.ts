import { getContext, setContext } from 'svelte';
import type { AskSession } from './ask.svelte.ts';
import type { JobQueue } from './jobs.svelte.ts';
import type { Library } from './library.svelte.ts';
import type { Router } from './router.svelte.ts';
import type { Theme } from './theme.svelte.ts';
import type { TopicSession } from './topic.svelte.ts';

/** The app-wide state, created once in App.svelte and shared with the views through context. */
export interface AppState {
  router: Router;
  theme: Theme;
  library: Library;
  ask: AskSession;
  topic: TopicSession;
  jobs: JobQueue;
}

const KEY = Symbol('episodic');

export const provideApp = (app: AppState): AppState => setContext(KEY, app);
export const useApp = (): AppState => getContext<AppState>(KEY);
