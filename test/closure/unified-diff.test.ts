// The dry-run diff renderer: `diff -u` shaped, and applying it to the old text gives the new text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderUnifiedDiff, splitLinesKeepingBreaks } from '../../src/writeback/render-unified-diff.js';

/** Applies a unified diff produced by renderUnifiedDiff (test oracle). */
function applyUnifiedDiff(before: string, diff: string): string {
  if (diff === '') return before;
  const old = splitLinesKeepingBreaks(before);
  const out: string[] = [];
  let cursor = 0;
  const lines = diff.split('\n').slice(2, -1);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (header) {
      const count = header[2] === undefined ? 1 : Number(header[2]);
      const start = count === 0 ? Number(header[1]) : Number(header[1]) - 1;
      out.push(...old.slice(cursor, start));
      cursor = start;
      continue;
    }
    const noBreak = lines[i + 1] === '\\ No newline at end of file';
    const text = line.slice(1) + (noBreak ? '' : '\n');
    if (line.startsWith(' ')) {
      expect(old[cursor]).toBe(text);
      out.push(text);
      cursor++;
    } else if (line.startsWith('-')) {
      expect(old[cursor]).toBe(text);
      cursor++;
    } else if (line.startsWith('+')) out.push(text);
    if (noBreak) i++;
  }
  out.push(...old.slice(cursor));
  return out.join('');
}

describe('renderUnifiedDiff', () => {
  it('prints nothing for equal texts', () => {
    expect(renderUnifiedDiff('a.md', 'x\n', 'x\n')).toBe('');
  });

  it('prints one hunk with three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    expect(renderUnifiedDiff('w/x.md', before, after)).toBe(
      ['--- a/w/x.md', '+++ b/w/x.md', '@@ -2,7 +2,7 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h', ''].join('\n'),
    );
  });

  it('splits distant changes into hunks and merges near ones', () => {
    const before = `${Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n')}\n`;
    const after = before.replace('line 2\n', 'two\n').replace('line 25\n', 'twenty-five\n').replace('line 8\n', 'eight\n');
    const diff = renderUnifiedDiff('x.md', before, after);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain('@@ -1,12 +1,12 @@');
    expect(applyUnifiedDiff(before, diff)).toBe(after);
  });

  it('marks a last line without a line break, and an insertion at the start', () => {
    const diff = renderUnifiedDiff('x.md', 'a\nb', 'new\na\nb\nc\n');
    expect(diff).toContain('@@ -1,2 +1,4 @@');
    expect(diff).toContain('-b\n\\ No newline at end of file\n+b\n+c\n');
    expect(applyUnifiedDiff('a\nb', diff)).toBe('new\na\nb\nc\n');
    expect(renderUnifiedDiff('x.md', '', 'a\n')).toContain('@@ -0,0 +1 @@\n+a\n');
  });

  it('applying the diff to the old text always gives the new text', () => {
    const text = fc
      .array(fc.constantFrom('a\n', 'b\n', 'c\n', 'status: todo\n', '\n', 'x'), { maxLength: 40 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        expect(applyUnifiedDiff(before, renderUnifiedDiff('p.md', before, after))).toBe(after);
      }),
      { numRuns: 500 },
    );
  });
});
