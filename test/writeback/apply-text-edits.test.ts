import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TextEdit } from '../../src/model/text-edit.js';
import { applyTextEdits, sortTextEdits } from '../../src/writeback/apply-text-edits.js';

/** Reference: apply edits from the last to the first, one at a time (the generator makes starts unique). */
function applyReference(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** Random text plus random non-overlapping edits, at distinct offsets, (insertions and replacements) in random order. */
const textWithEdits = fc
  .string({ unit: fc.constantFrom('a', 'b', '\n', '\r', '\t', ' ', 'é', '😀', '\ufeff', '-', '#'), maxLength: 60 })
  .chain((text) =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: text.length }), { maxLength: 12 })
      .chain((cuts) => {
        const points = [...cuts].sort((a, b) => a - b);
        // Pair up consecutive points into [start, end) ranges; a lone point is an insertion.
        const edits = fc.tuple(
          ...points.map((p) => fc.record({ start: fc.constant(p), text: fc.string({ maxLength: 5 }), replace: fc.boolean() })),
        );
        return edits.map((raw) => {
          const out: TextEdit[] = [];
          for (let i = 0; i < raw.length; i++) {
            const r = raw[i]!;
            const next = raw[i + 1];
            if (r.replace && next) {
              out.push({ start: r.start, end: next.start, text: r.text });
              i++; // the next point is this edit's end
            } else out.push({ start: r.start, end: r.start, text: r.text });
          }
          return out;
        });
      })
      .chain((edits) => fc.shuffledSubarray(edits, { minLength: edits.length, maxLength: edits.length }))
      .map((edits) => ({ text, edits })),
  );

describe('applyTextEdits', () => {
  it('returns the text unchanged when there are no edits', () => {
    expect(applyTextEdits('a\r\nb', [])).toBe('a\r\nb');
  });

  it('splices insertions and replacements in offset order whatever the input order', () => {
    const text = 'hello world';
    const edits: TextEdit[] = [
      { start: 6, end: 11, text: 'there' },
      { start: 0, end: 0, text: '>> ' },
      { start: 5, end: 5, text: ',' },
    ];
    expect(applyTextEdits(text, edits)).toBe('>> hello, there');
  });

  it('keeps several insertions at one offset in the order given', () => {
    expect(
      applyTextEdits('ab', [
        { start: 1, end: 1, text: 'X' },
        { start: 1, end: 1, text: 'Y' },
      ]),
    ).toBe('aXYb');
  });

  it('puts an insertion at a replacement start before it and one at its end after it', () => {
    expect(
      applyTextEdits('abcd', [
        { start: 1, end: 3, text: 'R' },
        { start: 3, end: 3, text: ']' },
        { start: 1, end: 1, text: '[' },
      ]),
    ).toBe('a[R]d');
  });

  it('refuses overlapping replacements (a programming error)', () => {
    expect(() =>
      applyTextEdits('abcdef', [
        { start: 1, end: 4, text: 'x' },
        { start: 3, end: 5, text: 'y' },
      ]),
    ).toThrow(/overlaps/);
  });

  it('refuses an insertion strictly inside a replacement', () => {
    expect(() =>
      applyTextEdits('abcdef', [
        { start: 1, end: 4, text: 'x' },
        { start: 2, end: 2, text: 'y' },
      ]),
    ).toThrow(/overlaps/);
  });

  it('refuses two replacements starting at one offset', () => {
    expect(() =>
      applyTextEdits('abcdef', [
        { start: 1, end: 2, text: 'x' },
        { start: 1, end: 3, text: 'y' },
      ]),
    ).toThrow(/overlaps/);
  });

  it('refuses offsets outside the text', () => {
    expect(() => applyTextEdits('abc', [{ start: 2, end: 4, text: '' }])).toThrow(RangeError);
    expect(() => applyTextEdits('abc', [{ start: -1, end: 0, text: '' }])).toThrow(RangeError);
    expect(() => applyTextEdits('abc', [{ start: 2, end: 1, text: '' }])).toThrow(RangeError);
    expect(() => applyTextEdits('abc', [{ start: 0.5, end: 1, text: '' }])).toThrow(RangeError);
  });

  it('does not mutate the edits array', () => {
    const edits: TextEdit[] = [
      { start: 2, end: 2, text: 'b' },
      { start: 0, end: 0, text: 'a' },
    ];
    const copy = structuredClone(edits);
    applyTextEdits('xyz', edits);
    expect(edits).toEqual(copy);
  });

  it('property: equals the one-at-a-time reference for random non-overlapping edits', () => {
    fc.assert(
      fc.property(textWithEdits, ({ text, edits }) => {
        expect(applyTextEdits(text, edits)).toBe(applyReference(text, edits));
      }),
      { numRuns: 500 },
    );
  });

  it('property: every character outside the edited ranges is kept, in order', () => {
    fc.assert(
      fc.property(textWithEdits, ({ text, edits }) => {
        const out = applyTextEdits(text, edits);
        // Walk the sorted edits: the gaps between them must appear verbatim at the shifted offsets.
        let cursorIn = 0;
        let cursorOut = 0;
        for (const edit of sortTextEdits(edits)) {
          const gap = text.slice(cursorIn, edit.start);
          expect(out.slice(cursorOut, cursorOut + gap.length)).toBe(gap);
          cursorOut += gap.length;
          expect(out.slice(cursorOut, cursorOut + edit.text.length)).toBe(edit.text);
          cursorOut += edit.text.length;
          cursorIn = edit.end;
        }
        expect(out.slice(cursorOut)).toBe(text.slice(cursorIn));
        expect(out.length).toBe(text.length + edits.reduce((n, e) => n + e.text.length - (e.end - e.start), 0));
      }),
      { numRuns: 500 },
    );
  });
});
