// The text of a paragraph, heading or table cell as micromark's block pass reads it (inline constructs
// off, character escapes and references on): one `text` node per run of lines, split by hard breaks
// (two or more trailing spaces). Pure. Part of the fast block path (markdown-fast-blocks.ts, ADR 0010).
// Character references are decoded with micromark's own tables (decode-named-character-reference,
// micromark-util-decode-numeric-character-reference), so `&amp;` and `&#x1F;` read as micromark reads them.
import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import type { Break, Text } from 'mdast';
import { decodeNumericCharacterReference } from 'micromark-util-decode-numeric-character-reference';
import type { Point } from 'unist';

/** One line of an inline run: [start, end) is its content (leading whitespace excluded, trailing kept). */
export interface TextLine {
  start: number;
  end: number;
  /** Offset after the line's line break (the next line's start). */
  next: number;
  /** The line's number (1-based) and the offset of its first character (column 1). */
  line: number;
  origin: number;
}

const BACKSLASH = 92;
const AMPERSAND = 38;
const SPACE = 32;
const TAB = 9;

/** The `text` and `break` nodes of a run of lines, with micromark's positions and values. */
export function buildTextNodes(text: string, lines: readonly TextLine[]): Array<Text | Break> {
  const nodes: Array<Text | Break> = [];
  let value = '';
  let start: Point | undefined;
  const last = lines.length - 1;
  for (let i = 0; i <= last; i++) {
    const l = lines[i]!;
    let e = l.end;
    let tabs = false;
    while (e > l.start) {
      const c = text.charCodeAt(e - 1);
      if (c === TAB) tabs = true;
      else if (c !== SPACE) break;
      e--;
    }
    start ??= point(l.line, l.origin, l.start);
    value += decodeText(text, l.start, e);
    if (i === last) {
      nodes.push({ type: 'text', value, position: { start, end: point(l.line, l.origin, e) } });
      break;
    }
    if (l.end - e >= 2 && !tabs) {
      // A hard break: two or more trailing spaces (no tab) before a line break.
      nodes.push({ type: 'text', value, position: { start, end: point(l.line, l.origin, e) } });
      nodes.push({ type: 'break', position: { start: point(l.line, l.origin, e), end: point(l.line + 1, l.next, l.next) } });
      value = '';
      start = undefined;
    } else value += text.slice(l.end, l.next);
  }
  return nodes;
}

/** text[from, to) with character escapes and references resolved. */
export function decodeText(text: string, from: number, to: number): string {
  let out = '';
  let copied = from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      if (i + 1 < to && isAsciiPunctuation(text.charCodeAt(i + 1))) {
        out += text.slice(copied, i);
        copied = i + 1;
        i++;
      }
    } else if (c === AMPERSAND) {
      const reference = readReference(text, i + 1, to);
      if (reference) {
        out += text.slice(copied, i) + reference.value;
        copied = reference.end;
        i = reference.end - 1;
      }
    }
  }
  return copied === from ? text.slice(from, to) : out + text.slice(copied, to);
}

/**
 * The character reference after an `&` at from - 1 (micromark's characterReference): `name;` (a known
 * name of at most 31 letters and digits), `#123;` (at most 7 digits) or `#x1F;` (at most 6 hex digits).
 */
function readReference(text: string, from: number, to: number): { value: string; end: number } | undefined {
  let i = from;
  let max = 31;
  let base = 0;
  if (text.charCodeAt(i) === 35) {
    i++;
    const x = text.charCodeAt(i);
    if (x === 120 || x === 88) {
      i++;
      base = 16;
      max = 6;
    } else {
      base = 10;
      max = 7;
    }
  }
  const start = i;
  const test = base === 16 ? isHexDigit : base === 10 ? isDigit : isAsciiAlphanumeric;
  while (i < to && i - start < max && test(text.charCodeAt(i))) i++;
  if (i === start || i >= to || text.charCodeAt(i) !== 59) return undefined;
  const name = text.slice(start, i);
  if (base !== 0) return { value: decodeNumericCharacterReference(name, base), end: i + 1 };
  const value = decodeNamedCharacterReference(name);
  return value === false ? undefined : { value, end: i + 1 };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

export function isAsciiPunctuation(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** A point on line `line`, whose column 1 is at offset `origin`. */
export function point(line: number, origin: number, offset: number): Point {
  return { line, column: offset - origin + 1, offset };
}
