// Inserting whole lines into a text at line boundaries. Pure. Never touches the filesystem.
// `\r\n`, `\n` and a lone `\r` all end a line (as in src/model/position.ts). An insertion after
// a last line that has no final line break puts the break BEFORE the new line, so the original
// bytes stay a prefix of the result and the file keeps having no final line break.
import type { TextEdit } from '../model/text-edit.js';

export type Eol = '\n' | '\r\n';

/** Length (0, 1 or 2) of the line break starting at `offset`. */
export function lineBreakLengthAt(text: string, offset: number): number {
  const c = text.charCodeAt(offset);
  if (c === 13) return text.charCodeAt(offset + 1) === 10 ? 2 : 1;
  return c === 10 ? 1 : 0;
}

/** True when `offset` is the first character of a line (or the end of a text ending in a break). */
export function isLineStart(text: string, offset: number): boolean {
  if (offset === 0) return true;
  const prev = text.charCodeAt(offset - 1);
  if (prev === 10) return true;
  // Between `\r` and `\n` is inside a line break, not at a line start.
  return prev === 13 && text.charCodeAt(offset) !== 10;
}

/** Offset of the line break ending the line that contains `offset` (text.length when none). */
export function lineEndAt(text: string, offset: number): number {
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      // Landing between `\r` and `\n`: the break started one character earlier.
      if (c === 10 && i > 0 && text.charCodeAt(i - 1) === 13 && i === offset) return i - 1;
      return i;
    }
  }
  return text.length;
}

/** Offset where the line containing `offset` starts. */
export function lineStartAt(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && !isLineStart(text, i)) i--;
  return i;
}

/** The first line break used in the text, or `fallback` when it has none. */
export function detectEol(text: string, fallback: Eol = '\n'): Eol {
  const i = text.search(/\r\n|\n/);
  if (i < 0) return fallback;
  return text.charCodeAt(i) === 13 ? '\r\n' : '\n';
}

/**
 * Inserts `line` (no line break inside) as a whole line after the line containing `offset`.
 * The new line ends with that line's own break; when that line is the last one and has no
 * break, `eol` is put before the new line instead.
 */
export function planLineInsertAfter(text: string, offset: number, line: string, eol: Eol): TextEdit {
  const end = lineEndAt(text, offset);
  const breakLength = lineBreakLengthAt(text, end);
  if (breakLength === 0) return { start: text.length, end: text.length, text: eol + line };
  const at = end + breakLength;
  return { start: at, end: at, text: line + text.slice(end, at) };
}

/**
 * Inserts `line` as a whole line at `offset` when it is a line start, else at the next line
 * start (past the end of the line containing it); at the end of a text without a final break,
 * the break goes before the new line.
 */
export function planLineInsertAt(text: string, offset: number, line: string, eol: Eol): TextEdit {
  if (offset > text.length || offset < 0) {
    throw new RangeError(`planLineInsertAt: offset ${offset} is outside the text (length ${text.length})`);
  }
  if (isLineStart(text, offset)) return { start: offset, end: offset, text: line + eol };
  return planLineInsertAfter(text, offset, line, eol);
}
