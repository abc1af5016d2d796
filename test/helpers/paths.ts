import { fileURLToPath } from 'node:url';

/** The read-only shared data folder that sits beside the repository (`../shared/data`). */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
export const LEXICAP = `${SHARED_DATA}lexicap/`;
export const lexicapFile = (n: number) => `${LEXICAP}vtt_large/episode_${String(n).padStart(3, '0')}_large.vtt`;
