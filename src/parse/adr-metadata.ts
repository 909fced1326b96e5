// Line-level readers for ADRs written without frontmatter: `Key: value` lines under the title
// (MADR 2 bullets `* Status: accepted`, log4brains `- Date: 2020-09-25`, adr-tools `Date: 2024-01-02`,
// `**Status:** Accepted`), and the lines of a `## Status` section ("Accepted", "Superseded by
// [2. Use X](0002-use-x.md)", "Supersedes [1. …](0001-….md)"). Pure; offsets index the whole file.
import type { SourceLine } from './adr-markdown.js';

export type MetadataKey = 'status' | 'date' | 'decision-makers' | 'consulted' | 'informed' | 'supersedes' | 'superseded-by';

export interface MetadataLine {
  key: MetadataKey;
  /** The value text, trimmed (a trailing HTML comment such as `<!-- optional -->` removed). */
  value: string;
  valueStart: number;
  valueEnd: number;
}

/** Written key (lower case, single spaces, no `-`/`_`) → metadata key. */
const KEY_ALIASES: Record<string, MetadataKey> = {
  status: 'status',
  'adr status': 'status',
  'decision status': 'status',
  state: 'status',
  date: 'date',
  'decision date': 'date',
  'date decided': 'date',
  decided: 'date',
  'decided on': 'date',
  created: 'date',
  'created on': 'date',
  'last updated': 'date',
  deciders: 'decision-makers',
  'decision makers': 'decision-makers',
  'decided by': 'decision-makers',
  consulted: 'consulted',
  informed: 'informed',
  supersedes: 'supersedes',
  replaces: 'supersedes',
  'superseded by': 'superseded-by',
  'replaced by': 'superseded-by',
  // The same keys as MADR's French, Spanish, Portuguese, Italian, German and Chinese translations and
  // their users write them (`* statut : proposé`, `## Estado`, `日期：2026-07-31`).
  statut: 'status',
  état: 'status',
  estado: 'status',
  stato: 'status',
  状态: 'status',
  狀態: 'status',
  ステータス: 'status',
  fecha: 'date',
  datum: 'date',
  'date de décision': 'date',
  'fecha de decisión': 'date',
  日期: 'date',
  日付: 'date',
  décisionnaires: 'decision-makers',
  décideurs: 'decision-makers',
  decisores: 'decision-makers',
  'tomadores de decisión': 'decision-makers',
  entscheider: 'decision-makers',
  entscheidungsträger: 'decision-makers',
  consultés: 'consulted',
  consultados: 'consulted',
  konsultiert: 'consulted',
  informés: 'informed',
  informados: 'informed',
  informiert: 'informed',
  remplace: 'supersedes',
  reemplaza: 'supersedes',
  ersetzt: 'supersedes',
  'remplacé par': 'superseded-by',
  'reemplazado por': 'superseded-by',
  'ersetzt durch': 'superseded-by',
};

/** The metadata key a written key names, if any (`Decision-makers`, `**Superseded by**`, `Date:`). */
export function readMetadataKey(written: string): MetadataKey | undefined {
  const key = written
    .replace(/[*_`]/g, '')
    .replace(/[:：]\s*$/, '')
    .replace(/[-_]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  return Object.hasOwn(KEY_ALIASES, key) ? KEY_ALIASES[key] : undefined;
}

// prefix (block quote markers, list marker, opening emphasis) · key (any script: `statut`, `日期`) · separator (closing
// emphasis, colon, French spacing `statut : x`) · value
const METADATA_LINE =
  /^(\s*(?:>[ \t]?)*\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*|__|\*|_)?\s*)(\p{L}[\p{L} _-]{0,24}?)((?:\*\*|__|\*|_)?\s*[:：]\s*(?:\*\*|__|\*|_)?[ \t]*)(.*?)\s*$/u;
// A second bold key later on the same line: `**Date**: 2025-11-30 **Status**: Proposed`.
const NEXT_BOLD_KEY = /\s+(?=(?:\*\*|__)\p{L}[\p{L} _-]{0,24}?(?:\*\*|__)?\s*[:：])/gu;
const QUOTED = /^"([^"]*)"$|^'([^']*)'$|^“([^”]*)”$/;
const TRAILING_COMMENT = /\s*<!--[\s\S]*?(?:-->|$)\s*$/;

/**
 * The `Key: value` pairs of one line: usually one, several when bold keys follow each other on the
 * line (`**Date**: 2025-11-30 **Status**: Proposed`). A later bold text that is not a known key stays
 * part of the value before it.
 */
export function readMetadataLines(line: SourceLine): MetadataLine[] {
  const first = readMetadataLine(line);
  if (!first) return [];
  const out = [first];
  for (const m of line.text.matchAll(NEXT_BOLD_KEY)) {
    const at = m.index + m[0].length;
    const next = readMetadataLine({ text: line.text.slice(at), start: line.start + at });
    if (!next || at <= first.valueStart - line.start) continue;
    const previous = out[out.length - 1]!;
    const cut = line.text.slice(previous.valueStart - line.start, m.index).replace(/\s+$/, '');
    out[out.length - 1] = { ...previous, value: cut, valueEnd: previous.valueStart + cut.length };
    out.push(next);
  }
  return out;
}

/** Reads a `Key: value` metadata line (optionally a list item, optionally with the key in bold). */
export function readMetadataLine(line: SourceLine): MetadataLine | undefined {
  const m = METADATA_LINE.exec(line.text);
  if (!m) return undefined;
  const key = readMetadataKey(m[2]!);
  if (!key) return undefined;
  let valueStart = line.start + m[1]!.length + m[2]!.length + m[3]!.length;
  let value = m[4]!.replace(TRAILING_COMMENT, '');
  // One pair of quotes around the whole value is not part of it (`**statut**: "accepté"`).
  const quoted = QUOTED.exec(value);
  if (quoted) {
    value = quoted[1] ?? quoted[2] ?? quoted[3]!;
    valueStart += 1;
  }
  return { key, value, valueStart, valueEnd: valueStart + value.length };
}

/** A written reference to another ADR: a Markdown link or a bare mention. */
export interface WrittenReference {
  text: string;
  /** The link target, when the reference is a link. */
  target?: string;
  start: number;
  end: number;
}

export type StatusLine =
  | { kind: 'blank' }
  | { kind: 'status'; written: string; start: number; end: number }
  | { kind: 'superseded-by'; references: WrittenReference[]; start: number; end: number }
  | { kind: 'supersedes'; references: WrittenReference[]; start: number; end: number }
  /** Other adr-tools relations ("Amends", "Amended by", …): kept in the section body, not modelled. */
  | { kind: 'relation'; start: number; end: number };

const SUPERSEDED_BY = /^(?:supersee?ded|superceded|replaced)(?:\s+by\b)?\s*:?\s*/i;
const SUPERSEDES = /^(?:supersedes|replaces)\b\s*:?\s*/i;
const OTHER_RELATION =
  /^(?:amends|amended(?:\s+by)?|clarifies|clarified\s+by|extends|extended\s+by|see\s+also|relates?\s+to|related\s+to)\b/i;

/** Classifies one line of an adr-tools `## Status` section, or a written status value. */
export function readStatusLine(line: SourceLine): StatusLine {
  // Drop a list marker, a `Status:` prefix and emphasis wrapped around the whole line.
  const lead = /^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:(?:\*\*|__)?(?:status|statut|estado|stato)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*)?/i.exec(
    line.text,
  )![0].length;
  let body = line.text.slice(lead).replace(TRAILING_COMMENT, '');
  const start = line.start + lead;
  const trimmedEnd = body.replace(/\s+$/, '').length;
  body = body.slice(0, trimmedEnd);
  if (body === '') return { kind: 'blank' };
  const end = start + body.length;
  const unwrapped = /^(?:\*\*|__|\*|_)(?=\S)/.exec(body);
  const inner = unwrapped ? body.slice(unwrapped[0].length) : body;
  const innerStart = start + (unwrapped ? unwrapped[0].length : 0);
  const by = SUPERSEDED_BY.exec(inner);
  if (by) return { kind: 'superseded-by', references: readReferences(inner.slice(by[0].length), innerStart + by[0].length), start, end };
  const sup = SUPERSEDES.exec(inner);
  if (sup) return { kind: 'supersedes', references: readReferences(inner.slice(sup[0].length), innerStart + sup[0].length), start, end };
  if (OTHER_RELATION.test(inner)) return { kind: 'relation', start, end };
  return { kind: 'status', written: body, start, end };
}

const LINK = /\[((?:[^\][]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;

/**
 * The references in the text after "Superseded by" / "Supersedes": every Markdown link, or when
 * there is none, the comma- or "and"-separated mentions ("ADR-002, ADR-003").
 */
export function readReferences(segment: string, offset: number): WrittenReference[] {
  const links: WrittenReference[] = [];
  for (const m of segment.matchAll(LINK)) {
    links.push({ text: m[1]!, target: m[2]!, start: offset + m.index, end: offset + m.index + m[0].length });
  }
  if (links.length > 0) return links;
  const out: WrittenReference[] = [];
  const part = /[^,;]+/g;
  for (const m of segment.matchAll(part)) {
    for (const piece of splitOnAnd(m[0], m.index)) {
      const cleaned = /^[\s*_`]*(.*?)[\s*_`.]*$/.exec(piece.text)!;
      if (cleaned[1] === '') continue;
      const lead = piece.text.indexOf(cleaned[1]!);
      out.push({ text: cleaned[1]!, start: offset + piece.start + lead, end: offset + piece.start + lead + cleaned[1]!.length });
    }
  }
  return out;
}

function splitOnAnd(text: string, start: number): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  const re = /\s+and\s+/gi;
  let from = 0;
  for (const m of text.matchAll(re)) {
    out.push({ text: text.slice(from, m.index), start: start + from });
    from = m.index + m[0].length;
  }
  out.push({ text: text.slice(from), start: start + from });
  return out;
}
