// ADR status words → canonical statuses, through the configurable vocabulary
// (`vocabularies.adrStatus`: values and aliases). A written status line ("Accepted ✅", "**Proposed**",
// "On hold", "Superseded by [2. Use X](0002-use-x.md)") maps to one canonical status, or to none
// when it is not a status the vocabulary knows (the caller keeps the written text either way).
// Pure. See docs/adr-format.md ("Status").
import { DEFAULT_CONFIG, SUPERSEDED_ADR_STATUS, type AdrStatusVocabulary } from './config.js';

/** The default canonical statuses. */
export const ADR_STATUSES: readonly string[] = DEFAULT_CONFIG.vocabularies.adrStatus.values;

/** The default aliases (alias → canonical status). */
export const ADR_STATUS_ALIASES: Readonly<Record<string, string>> = DEFAULT_CONFIG.vocabularies.adrStatus.aliases;

export type StatusMatch = { ok: true; status: string } | { ok: false; allowed: string[] };

/** Longest alias, in words, tried as the opening words of a status ("work in progress since …"). */
const MAX_ALIAS_WORDS = 4;

const lookups = new WeakMap<AdrStatusVocabulary, Map<string, string>>();

/** Simplified word(s) → canonical status, for one vocabulary (built once). */
function lookupFor(vocabulary: AdrStatusVocabulary): Map<string, string> {
  let map = lookups.get(vocabulary);
  if (!map) {
    map = new Map();
    for (const [alias, value] of Object.entries(vocabulary.aliases)) {
      if (vocabulary.values.includes(value)) map.set(simplifyStatusText(alias), value);
    }
    // Values win over aliases spelt the same.
    for (const value of vocabulary.values) map.set(simplifyStatusText(value), value);
    map.delete('');
    lookups.set(vocabulary, map);
  }
  return map;
}

/**
 * Normalises a written status: case-insensitive, ignoring emphasis marks, emoji, HTML comments and
 * punctuation around it, a `Status:` prefix and a leading date; when the whole text is not a status,
 * its opening words are tried ("Accepted on 2024-01-02", "On hold until Q3"), unless the text names
 * several statuses, as an unfilled template (`proposed | rejected | accepted`) does.
 */
export function normalizeAdrStatus(written: string, vocabulary: AdrStatusVocabulary = DEFAULT_CONFIG.vocabularies.adrStatus): StatusMatch {
  const lookup = lookupFor(vocabulary);
  const refuse = (): StatusMatch => ({ ok: false, allowed: [...vocabulary.values] });
  const plain = simplifyStatusText(written);
  const exact = lookup.get(plain);
  if (exact) return { ok: true, status: exact };
  const words = plain.split(' ').filter((w) => w !== '');
  if (words.length === 0) return refuse();
  if (/^(?:superseded|superseeded|superceded|replaced)$/.test(words[0]!) && vocabulary.values.includes(SUPERSEDED_ADR_STATUS)) {
    return namesOtherStatuses(words.slice(1), SUPERSEDED_ADR_STATUS, vocabulary) ? refuse() : { ok: true, status: SUPERSEDED_ADR_STATUS };
  }
  for (let n = Math.min(MAX_ALIAS_WORDS, words.length - 1); n >= 1; n--) {
    const status = lookup.get(words.slice(0, n).join(' '));
    if (status) return namesOtherStatuses(words.slice(n), status, vocabulary) ? refuse() : { ok: true, status };
  }
  return refuse();
}

/** Whether the rest of a status line names another canonical status ("proposed | rejected"). */
function namesOtherStatuses(rest: readonly string[], status: string, vocabulary: AdrStatusVocabulary): boolean {
  const canonical = new Set(vocabulary.values.map(simplifyStatusText));
  return rest.some((word) => canonical.has(word) && word !== simplifyStatusText(status));
}

/** Lower-cases and strips Markdown marks, HTML comments, emoji, brackets, a `Status:` prefix and a leading date. */
export function simplifyStatusText(written: string): string {
  return written
    .toLowerCase()
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_~`]/g, '')
    .replace(/^\s*(?:status|statut|estado|stato)\s*[:：]\s*/, '')
    .replace(/^\s*\d{4}-\d{2}-\d{2}\s*[:\-–—]?\s*/, '')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
