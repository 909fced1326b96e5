// Normalising user-written vocabulary values (statuses, priorities) to canonical ones. Pure.
import type { Vocabulary } from './config.js';

export type Normalized = { ok: true; value: string } | { ok: false; allowed: string[] };

/** Maps a written value to its canonical form: exact value, case-insensitive value, or alias. */
export function normalizeVocabularyValue(vocabulary: Vocabulary, written: string): Normalized {
  const key = written.trim().toLowerCase();
  for (const value of vocabulary.values) if (value.toLowerCase() === key) return { ok: true, value };
  for (const [alias, value] of Object.entries(vocabulary.aliases)) {
    if (alias.toLowerCase() === key && vocabulary.values.includes(value)) return { ok: true, value };
  }
  return { ok: false, allowed: [...vocabulary.values] };
}
