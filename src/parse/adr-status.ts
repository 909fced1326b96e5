// ADR status vocabulary: the five canonical statuses, their aliases, and how a written status
// line ("Accepted ✅", "**Proposed**", "Superseded by [2. Use X](0002-use-x.md)") maps to one.
// Pure. See docs/adr-format.md ("Status").
import type { AdrStatus } from '../model/adr.js';

export const ADR_STATUSES: readonly AdrStatus[] = ['proposed', 'accepted', 'rejected', 'deprecated', 'superseded'];

/** Alias (lower case, single spaces) → canonical status. */
export const ADR_STATUS_ALIASES: Readonly<Record<string, AdrStatus>> = {
  draft: 'proposed',
  drafted: 'proposed',
  proposal: 'proposed',
  propose: 'proposed',
  open: 'proposed',
  pending: 'proposed',
  review: 'proposed',
  'in review': 'proposed',
  'in-review': 'proposed',
  'under review': 'proposed',
  'under discussion': 'proposed',
  discussion: 'proposed',
  rfc: 'proposed',
  wip: 'proposed',
  'work in progress': 'proposed',
  'in progress': 'proposed',
  'in-progress': 'proposed',
  accept: 'accepted',
  approved: 'accepted',
  approve: 'accepted',
  adopted: 'accepted',
  agreed: 'accepted',
  decided: 'accepted',
  done: 'accepted',
  implemented: 'accepted',
  final: 'accepted',
  active: 'accepted',
  declined: 'rejected',
  refused: 'rejected',
  reject: 'rejected',
  withdrawn: 'rejected',
  abandoned: 'rejected',
  'not accepted': 'rejected',
  obsolete: 'deprecated',
  retired: 'deprecated',
  deprecate: 'deprecated',
  replaced: 'superseded',
  supersede: 'superseded',
};

export type StatusMatch = { ok: true; status: AdrStatus } | { ok: false; allowed: AdrStatus[] };

/**
 * Normalises a written status: case-insensitive, ignoring emphasis marks, emoji and punctuation
 * around it, a leading date, and anything after the first word when the whole text is not an alias
 * ("Accepted on 2024-01-02" → accepted; "Superseded by ADR-0005" → superseded).
 */
export function normalizeAdrStatus(written: string): StatusMatch {
  const plain = simplifyStatusText(written);
  const exact = matchStatusWord(plain);
  if (exact) return { ok: true, status: exact };
  if (/^(?:superseded|replaced)\b/.test(plain)) return { ok: true, status: 'superseded' };
  const words = plain.split(' ');
  const byWord = words.length > 1 ? matchStatusWord(words[0]!) : undefined;
  // "proposed | rejected | accepted" (an unfilled template) names several statuses: not a status.
  const named = new Set(words.map(matchStatusWord).filter((s) => s !== undefined));
  if (byWord && named.size === 1) return { ok: true, status: byWord };
  return { ok: false, allowed: [...ADR_STATUSES] };
}

function matchStatusWord(word: string): AdrStatus | undefined {
  if ((ADR_STATUSES as readonly string[]).includes(word)) return word as AdrStatus;
  return Object.hasOwn(ADR_STATUS_ALIASES, word) ? ADR_STATUS_ALIASES[word] : undefined;
}

/** Lower-cases and strips Markdown marks, emoji, brackets, a `Status:` prefix and a leading date. */
export function simplifyStatusText(written: string): string {
  return written
    .toLowerCase()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_~`]/g, '')
    .replace(/^\s*status\s*:\s*/, '')
    .replace(/^\s*\d{4}-\d{2}-\d{2}\s*[:\-–—]?\s*/, '')
    .replace(/[^\p{L}\p{N}\s-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
