// Checks that a write-back only inserted whole lines: the helpers recover the original text
// from the edited one without looking at the edits.
import { expect } from 'vitest';
import type { TextEdit } from '../../../src/model/text-edit.js';
import { isLineStart } from '../../../src/writeback/line-insert.js';

/** Splits a text into lines that keep their own line breaks. */
export function splitKeepingBreaks(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/**
 * Removes every line containing one of `markers` (the assigned UUIDs). When the removed line was
 * the last one and had no break, the break that was put before it is removed too.
 */
export function removeLinesContaining(text: string, markers: readonly string[]): string {
  const lines = splitKeepingBreaks(text);
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    const isMarked = markers.some((m) => line.includes(m));
    if (!isMarked) {
      kept.push(line);
      continue;
    }
    const isLast = i === lines.length - 1;
    if (isLast && !/[\r\n]$/.test(line) && kept.length > 0) kept[kept.length - 1] = kept[kept.length - 1]!.replace(/\r\n$|\r$|\n$/, '');
  }
  return kept.join('');
}

/** Every edit inserts whole lines: at a line start ending in a break, or at the end of an unterminated text starting with one. */
export function expectWholeLineInsertions(input: string, edits: readonly TextEdit[]): void {
  const endsWithBreak = /[\r\n]$/.test(input) || input === '';
  for (const edit of edits) {
    expect(edit.end, JSON.stringify(edit)).toBe(edit.start);
    if (isLineStart(input, edit.start)) {
      expect(edit.text, JSON.stringify(edit)).toMatch(/^[^\r\n]+(?:\r\n|\n)$/);
    } else {
      expect(edit.start, JSON.stringify(edit)).toBe(input.length);
      expect(endsWithBreak).toBe(false);
      expect(edit.text, JSON.stringify(edit)).toMatch(/^(?:\r\n|\n)[^\r\n]+$/);
    }
  }
}

/** A deterministic id source: 00000000-0000-4000-8000-000000000001, …2, … */
export function counterUuids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}
