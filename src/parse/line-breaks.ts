// Line arithmetic on raw text: `\r\n`, `\n` and a lone `\r` all end a line. Pure.

/** The file's line ending: that of its first line break (`\n` when it has none). */
export function detectEol(text: string, from = 0): '\n' | '\r\n' {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return '\n';
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? '\r\n' : '\n';
  }
  return '\n';
}

/** Offset of the end of the line holding `offset` (before its line break). */
export function findLineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
    i++;
  }
  return i;
}

/** Offset after the line break that starts at `offset` (unchanged when there is none). */
export function skipLineBreak(text: string, offset: number): number {
  const c = text.charCodeAt(offset);
  if (c === 13) return text.charCodeAt(offset + 1) === 10 ? offset + 2 : offset + 1;
  if (c === 10) return offset + 1;
  return offset;
}

/** Offset where the line after the one holding `offset` starts (text.length on the last line). */
export function findNextLineStart(text: string, offset: number): number {
  return skipLineBreak(text, findLineEnd(text, offset));
}

/** Narrows [start, end) to drop whole blank lines at both ends (indentation of kept lines stays). */
export function trimBlankLines(text: string, start: number, end: number): { start: number; end: number } {
  let first = start;
  while (first < end && isSpace(text.charCodeAt(first))) first++;
  if (first === end) return { start: end, end };
  let last = end;
  while (last > first && isSpace(text.charCodeAt(last - 1))) last--;
  // Back up to the start of the first non-blank line, move to the end of the last one.
  let s = first;
  while (s > start && !isLineBreak(text.charCodeAt(s - 1))) s--;
  let e = last;
  while (e < end && !isLineBreak(text.charCodeAt(e))) e++;
  return { start: s, end: e };
}

/** True for space, tab, line breaks, form feed and vertical tab. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}
