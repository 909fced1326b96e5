// Offset ↔ line/column conversion for one text. Pure.
import type { Position, Span } from './diagnostic.js';

export interface LineIndex {
  /** Position of a 0-based offset (clamped to the text). */
  positionAt(offset: number): Position;
  /** Span between two 0-based offsets. */
  spanOf(start: number, end: number): Span;
  /** 0-based offset where the 1-based line starts. */
  lineStart(line: number): number;
  readonly lineCount: number;
}

/** Builds a line index; `\r\n`, `\n` and lone `\r` all end a line. */
export function createLineIndex(text: string): LineIndex {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  const positionAt = (offset: number): Position => {
    const o = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo]! + 1, offset: o };
  };
  return {
    positionAt,
    spanOf: (start, end) => ({ start: positionAt(start), end: positionAt(end) }),
    lineStart: (line) => starts[Math.max(0, Math.min(line - 1, starts.length - 1))]!,
    lineCount: starts.length,
  };
}
