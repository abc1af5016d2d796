/** Cited answers: validation, then the answer pipeline (sources → model or extractive → citations). */
import { answerQuestion, type Emit } from './answer/ask.ts';
import { AskRequest, type AskResponse } from './contract/api.ts';
import type { CoreDeps } from './deps.ts';
import { parseInput } from './errors.ts';

export interface AskOptions {
  /** Receives sources, answer text and citations as they are produced (for streaming). */
  onEvent?: Emit;
  /** Aborts the model call (the client went away). */
  signal?: AbortSignal;
}

/** Validates `input` as an AskRequest and answers it; every citation resolves to a stored cue. */
export async function ask(deps: CoreDeps, input: unknown, options: AskOptions = {}): Promise<AskResponse> {
  const req = parseInput(AskRequest, input);
  return answerQuestion(deps, req, options.onEvent ?? (() => {}), options.signal ?? new AbortController().signal);
}
