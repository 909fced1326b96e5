// What one line of Markdown starts, read as micromark reads it: list item markers, ATX headings,
// thematic breaks, setext underlines, code fences and HTML comments. Each function looks at
// text[p, end) — p after the container prefixes (and, where the construct allows it, after up to
// three spaces of indentation), end before the line break. Pure. Part of the fast block path
// (markdown-fast-blocks.ts, ADR 0010): where a tab would make micromark count columns, it declines.
import { declineFastPath } from './markdown-fast-decline.js';

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DASH = 45;
const PLUS = 43;
const STAR = 42;
const UNDERSCORE = 95;
const EQUALS = 61;
const BACKTICK = 96;
const TILDE = 126;
const DOT = 46;
const PAREN = 41;

export function isSpaceOrTab(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** Offset of the first character in [p, end) that is not a space or tab (end when none). */
export function skipWhitespace(text: string, p: number, end: number): number {
  while (p < end && isSpaceOrTab(text.charCodeAt(p))) p++;
  return p;
}

/** Spaces at p (at most `max`); declines on a tab among them, as micromark counts its columns. */
export function countSpaces(text: string, p: number, end: number, max: number): number {
  let n = 0;
  while (n < max && p + n < end) {
    const c = text.charCodeAt(p + n);
    if (c === TAB) declineFastPath('tab in indentation');
    if (c !== SPACE) break;
    n++;
  }
  return n;
}

export interface ListMarker {
  ordered: boolean;
  /** The bullet (`-`, `+`, `*`) or, for an ordered item, its delimiter (`.`, `)`). */
  marker: number;
  /** The number an ordered item starts with. */
  value: number;
  /** Offset of the marker's first character, the offset after it, and where the item's content starts. */
  markerStart: number;
  markerEnd: number;
  contentStart: number;
}

/** The list a new item must continue: same bullet, or same delimiter. */
export interface ListKind {
  ordered: boolean;
  marker: number;
}

/**
 * The list item marker at p, or undefined. `kind` restricts it to a sibling of an open list;
 * `interrupt` (a paragraph is open) allows only a non-empty item, ordered ones starting at 1.
 * An item that starts empty or with indented code declines (micromark's rules for them are subtle).
 */
export function readListMarker(
  text: string,
  p: number,
  end: number,
  kind: ListKind | undefined,
  interrupt: boolean,
): ListMarker | undefined {
  const c = text.charCodeAt(p);
  let markerEnd: number;
  let ordered = false;
  let value = 0;
  let marker = c;
  if (c === DASH || c === PLUS || c === STAR) {
    if (kind && (kind.ordered || kind.marker !== c)) return undefined;
    if (c !== PLUS && isThematicBreak(text, p, end)) return undefined;
    markerEnd = p + 1;
  } else if (c >= 48 && c <= 57) {
    if (kind && !kind.ordered) return undefined;
    if (interrupt && c !== 49) return undefined;
    let q = p;
    while (q < end && q - p < 9 && isDigit(text.charCodeAt(q))) q++;
    if (interrupt && q - p > 1) return undefined;
    marker = text.charCodeAt(q);
    if (marker !== DOT && marker !== PAREN) return undefined;
    if (kind && kind.marker !== marker) return undefined;
    value = Number.parseInt(text.slice(p, q), 10);
    ordered = true;
    markerEnd = q + 1;
  } else return undefined;
  if (skipWhitespace(text, markerEnd, end) === end) {
    if (interrupt) return undefined;
    declineFastPath('list item starting with a blank line');
  }
  const spaces = countSpaces(text, markerEnd, end, 5);
  if (spaces === 0) return undefined;
  if (spaces === 5) declineFastPath('list item starting with indented code');
  return { ordered, marker, value, markerStart: p, markerEnd, contentStart: markerEnd + spaces };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `***`, `- - -`, `___`: three or more of one marker and only spaces or tabs besides. */
export function isThematicBreak(text: string, p: number, end: number): boolean {
  const marker = text.charCodeAt(p);
  if (marker !== STAR && marker !== DASH && marker !== UNDERSCORE) return false;
  let count = 0;
  for (let i = p; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === marker) count++;
    else if (!isSpaceOrTab(c)) return false;
  }
  return count >= 3;
}

export interface AtxHeading {
  depth: number;
  /** The heading's text, [contentStart, contentEnd) (empty when equal). */
  contentStart: number;
  contentEnd: number;
}

/** `## Title ##` at p: depth and the text between the sequences (micromark's resolveHeadingAtx). */
export function readAtxHeading(text: string, p: number, end: number): AtxHeading | undefined {
  let q = p;
  while (q < end && text.charCodeAt(q) === HASH) q++;
  const depth = q - p;
  if (depth === 0 || depth > 6 || (q < end && !isSpaceOrTab(text.charCodeAt(q)))) return undefined;
  const contentStart = skipWhitespace(text, q, end);
  let contentEnd = trimEnd(text, contentStart, end);
  if (contentEnd > contentStart && text.charCodeAt(contentEnd - 1) === HASH) {
    let run = contentEnd;
    while (run > contentStart && text.charCodeAt(run - 1) === HASH) run--;
    if (run === contentStart) contentEnd = contentStart;
    else if (isSpaceOrTab(text.charCodeAt(run - 1))) contentEnd = trimEnd(text, contentStart, run);
  }
  return { depth, contentStart, contentEnd };
}

/** The offset after the last character of [from, to) that is not a space or tab. */
export function trimEnd(text: string, from: number, to: number): number {
  while (to > from && isSpaceOrTab(text.charCodeAt(to - 1))) to--;
  return to;
}

/** `===` (1) or `---` (2) and trailing whitespace: a setext underline's depth, or undefined. */
export function readSetextUnderline(text: string, p: number, end: number): 1 | 2 | undefined {
  const marker = text.charCodeAt(p);
  if (marker !== EQUALS && marker !== DASH) return undefined;
  let q = p;
  while (q < end && text.charCodeAt(q) === marker) q++;
  return skipWhitespace(text, q, end) === end ? (marker === EQUALS ? 1 : 2) : undefined;
}

export interface FenceOpen {
  marker: number;
  size: number;
  /** The info string's first word and the rest ([start, end) ranges; start === end when absent). */
  langStart: number;
  langEnd: number;
  metaStart: number;
  metaEnd: number;
}

/** An opening code fence at p (three or more backticks or tildes), or undefined. */
export function readFenceOpen(text: string, p: number, end: number): FenceOpen | undefined {
  const marker = text.charCodeAt(p);
  if (marker !== BACKTICK && marker !== TILDE) return undefined;
  let q = p;
  while (q < end && text.charCodeAt(q) === marker) q++;
  const size = q - p;
  if (size < 3) return undefined;
  const langStart = skipWhitespace(text, q, end);
  let langEnd = langStart;
  while (langEnd < end && !isSpaceOrTab(text.charCodeAt(langEnd))) langEnd++;
  const metaStart = skipWhitespace(text, langEnd, end);
  // A backtick fence's info string may not hold a backtick: the line is then a paragraph.
  if (marker === BACKTICK && text.slice(langStart, end).includes('`')) return undefined;
  return { marker, size, langStart, langEnd, metaStart, metaEnd: metaStart === end ? metaStart : end };
}

/**
 * True when text[p, end) closes a fence of `marker` × `size`: up to three spaces, the sequence,
 * whitespace. At a line's start a tab indents by four columns (no close); inside a list item the
 * columns it reaches depend on the prefix, so it declines.
 */
export function isFenceClose(text: string, p: number, end: number, marker: number, size: number, atLineStart: boolean): boolean {
  let q = p;
  while (q < end && q - p < 4) {
    const c = text.charCodeAt(q);
    if (c === TAB) {
      if (atLineStart) return false;
      declineFastPath('tab in indentation');
    }
    if (c !== SPACE) break;
    q++;
  }
  if (q - p > 3) return false;
  const start = q;
  while (q < end && text.charCodeAt(q) === marker) q++;
  return q - start >= size && skipWhitespace(text, q, end) === end;
}

/** An HTML comment opening at p (`<!--`); micromark's other HTML blocks are not read by the fast path. */
export function isCommentOpen(text: string, p: number, end: number): boolean {
  return end - p >= 4 && text.startsWith('<!--', p);
}

/** True when text[from, end) holds the `-->` that ends an HTML comment block. */
export function hasCommentClose(text: string, from: number, end: number): boolean {
  for (let i = from; i + 2 < end; i++) {
    if (text.charCodeAt(i) === DASH && text.charCodeAt(i + 1) === DASH && text.charCodeAt(i + 2) === 62) return true;
  }
  return false;
}
