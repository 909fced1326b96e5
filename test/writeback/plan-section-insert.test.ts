import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTextEdits } from '../../src/writeback/apply-text-edits.js';
import { planSectionInsert } from '../../src/writeback/plan-section-insert.js';

const SECTION = '## Closure Review — 2026-03-02\n\n**Outcome:** done.\n';

function insert(text: string, offset: number, eol: '\n' | '\r\n' = '\n', section = SECTION): string {
  return applyTextEdits(text, [planSectionInsert(text, offset, section, eol)]);
}

describe('planSectionInsert', () => {
  it('appends after a final line break with one blank line between', () => {
    expect(insert('# T\n\nText.\n', 11)).toBe(`# T\n\nText.\n\n${SECTION}`);
  });

  it('ends an unterminated last line first', () => {
    expect(insert('# T\n\nText.', 10)).toBe(`# T\n\nText.\n\n${SECTION}`);
  });

  it('adds no blank line when there is one already, and never removes blank lines', () => {
    expect(insert('Text.\n\n', 7)).toBe(`Text.\n\n${SECTION}`);
    expect(insert('Text.\n\n\n', 8)).toBe(`Text.\n\n\n${SECTION}`);
    expect(insert('Text.\n   \n', 10)).toBe(`Text.\n   \n${SECTION}`);
    expect(insert('Text.\n  ', 8)).toBe(`Text.\n  \n${SECTION}`);
  });

  it("converts the section's line breaks to the file's", () => {
    expect(insert('Text.\r\n', 7, '\r\n')).toBe(`Text.\r\n\r\n${SECTION.replace(/\n/g, '\r\n')}`);
  });

  it('inserts before following content with a blank line after it too', () => {
    const text = '## A\n\nText.\n## B\n';
    expect(insert(text, text.indexOf('## B'))).toBe(`## A\n\nText.\n\n${SECTION}\n## B\n`);
    const spaced = '## A\n\nText.\n\n## B\n';
    expect(insert(spaced, spaced.indexOf('## B'))).toBe(`## A\n\nText.\n\n${SECTION}\n## B\n`);
  });

  it('moves an offset inside a line to the next line boundary', () => {
    expect(insert('Text.\nMore.\n', 2)).toBe(`Text.\n\n${SECTION}\nMore.\n`);
  });

  it('needs no separator at the start of a text or of an empty one', () => {
    expect(insert('', 0)).toBe(SECTION);
    expect(insert('Rest\n', 0)).toBe(`${SECTION}\nRest\n`);
  });

  it("drops the section's own leading and trailing blank lines and adds its final break", () => {
    expect(insert('Text.\n', 6, '\n', '\n\n## X\nbody\n\n\n')).toBe('Text.\n\n## X\nbody\n');
    expect(insert('Text.\n', 6, '\n', '## X')).toBe('Text.\n\n## X\n');
  });

  it('refuses an empty section and an offset outside the text', () => {
    expect(() => planSectionInsert('a', 0, '\n \n', '\n')).toThrow(RangeError);
    expect(() => planSectionInsert('a', 2, '## X', '\n')).toThrow(RangeError);
  });

  it('property: only inserts — the original text is the result minus the inserted block', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r\n', '#', '\t'), maxLength: 40 }),
        fc.nat(),
        fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
        (text, n, eol) => {
          const offset = n % (text.length + 1);
          const edit = planSectionInsert(text, offset, '## S\nx\n', eol);
          expect(edit.end).toBe(edit.start);
          const out = applyTextEdits(text, [edit]);
          expect(out.slice(0, edit.start) + out.slice(edit.start + edit.text.length)).toBe(text);
          expect(edit.text).toContain(`## S${eol}x${eol}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
