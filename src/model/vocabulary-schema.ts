// A zod schema for one vocabulary value (a status, a priority) as callers write it: any spelling the
// vocabulary accepts, normalised to its canonical value; anything else an issue that lists the
// allowed values. The description carries the allowed values into JSON Schema (the MCP tool listing).
// Pure.
import { z } from 'zod';
import type { AdrStatusVocabulary, Vocabulary } from './config.js';
import { normalizeAdrStatus } from './adr-status.js';
import { normalizeVocabularyValue } from './vocabulary.js';

/** One value of `vocabulary`, normalised; `label` names it in messages ("task status"). */
export function vocabularyValueSchema(vocabulary: Vocabulary, label: string) {
  return normalisedValue(label, vocabulary.values, (written) => {
    const found = normalizeVocabularyValue(vocabulary, written);
    return found.ok ? found.value : undefined;
  });
}

/** One ADR status of the configured vocabulary (docs/adr-format.md, "Status"), normalised. */
export function adrStatusSchema(vocabulary: AdrStatusVocabulary) {
  // The same reading as a status line in an ADR file ("Approved ✅", "**Accepted**").
  return normalisedValue('ADR status', vocabulary.values, (written) => {
    const found = normalizeAdrStatus(written, vocabulary);
    return found.ok ? found.status : undefined;
  });
}

function normalisedValue(label: string, allowed: readonly string[], normalise: (written: string) => string | undefined) {
  return z
    .string()
    .describe(`A ${label}: ${allowed.join(', ')} (aliases accepted)`)
    .transform((written, ctx) => {
      const value = normalise(written);
      if (value !== undefined) return value;
      ctx.addIssue({ code: 'custom', message: `Unknown ${label} "${written}"; use one of ${allowed.join(', ')}` });
      return z.NEVER;
    });
}
