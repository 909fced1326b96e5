// Properties: parseAdr and checkAdrLinks never throw, whatever the input, and every span they
// report lies inside the text with line/column agreeing with its offset.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/model/diagnostic.js';
import { createLineIndex } from '../../src/model/position.js';
import { checkAdrLinks, parseAdr } from '../../src/parse/adr.js';
import { readAdrSlug } from '../../src/parse/adr-reference.js';

const FRAGMENTS = [
  '---\n',
  '---\r\n',
  '\uFEFF',
  '# 1. Title\n',
  '# ADR-7: T\n',
  'Title\n=====\n',
  '## Status\n',
  '## Context\n',
  '### Sub\n',
  'Accepted\n',
  'accepted ✅\n',
  'Superseded by [2. X](0002-x.md)\n',
  'Supersedes ADR-3, 4. Y\n',
  'Superseded by\n',
  '* Status: ',
  'status: ',
  'id: ',
  'ADR-0',
  'supersedes: [',
  'superseded_by: ',
  'date: ',
  'Date: 2024-02-30\n',
  '2024-01-02',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '`',
  '```\n',
  '<!--',
  '-->',
  '> ',
  '[',
  ']',
  '(',
  ')',
  ':',
  '"',
  "'",
  '{',
  '}',
  '\t',
  '- ',
  '+++\n',
  'title = "ADR-3: T"\n',
  '## Status: Accepted\n',
  '### Status\n',
  '## Links\n',
  '## Metadata\n',
  '## Date\n',
  '| Status | Date |\n',
  '|---|---|\n',
  '| **Status** | On hold |\n',
  '- Date: {DATE}\n',
  '* Deciders: [list]\n',
  'Date: 07/11/2016\n',
  'December 1, 2021',
  '20200925-x.md',
  '](20200925-slug.md)',
  'Supersedes: —\n',
  'id: adrs-adr001\n',
];

const markdownish = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 40 })
  .map((parts) => parts.join(''));
const paths = fc.oneof(fc.constantFrom('adr/0001-x.md', 'ADR-002.md', 'adr-0003.md', 'x.md', ''), fc.string({ maxLength: 20 }));

function expectSpanInside(span: Span, text: string): void {
  const lines = createLineIndex(text);
  for (const p of [span.start, span.end]) {
    expect(p.offset).toBeGreaterThanOrEqual(0);
    expect(p.offset).toBeLessThanOrEqual(text.length);
    expect(lines.positionAt(p.offset)).toEqual(p);
  }
  expect(span.end.offset).toBeGreaterThanOrEqual(span.start.offset);
}

describe('parseAdr properties', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), paths, (text, path) => {
        const result = parseAdr(path, text);
        expect(Array.isArray(result.diagnostics)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on Markdown-like input, and every span is inside the text', () => {
    fc.assert(
      fc.property(markdownish, paths, (text, path) => {
        const result = parseAdr(path, text);
        for (const d of result.diagnostics) {
          expectSpanInside(d.span, text);
          expect(d.ruleId).not.toBe('internal-error');
          expect(d.ruleId).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
        }
        const adr = result.value;
        if (adr) {
          if (adr.number !== null) expect(adr.id).toMatch(/^ADR-\d{3,}$/);
          else expect(adr.id).toBe(readAdrSlug(path));
          for (const s of adr.sections) expectSpanInside(s.span, text);
          for (const l of adr.links ?? []) expectSpanInside(l.span, text);
          if (adr.statusSpan) expectSpanInside(adr.statusSpan, text);
        }
        expect(() => checkAdrLinks(adr ? [adr, adr] : [])).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
