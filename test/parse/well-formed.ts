import { expect } from 'vitest';
import type { Cue } from '../../indexer/domain.ts';
import { contractViolations } from './contract.ts';

export { contractViolations };

export function expectWellFormed(cues: Cue[]): void {
  expect(contractViolations(cues)).toEqual([]);
}
