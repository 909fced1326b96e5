// One fixture per ADR diagnostic rule: test/fixtures/adr/diagnostics/<rule>/ holds the ADR file(s) and
// expected.json, the exact list of diagnostics (rule, severity, line, column) that parseAdr plus
// checkAdrLinks must report for that directory — no more, no less. ADR metadata is optional and
// authors word it their own way, so every one of these is a warning: the ADR is still mirrored.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Adr } from '../../src/model/adr.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { checkAdrLinks, parseAdr } from '../../src/parse/adr.js';

const INVALID = join(import.meta.dirname, '..', 'fixtures', 'adr', 'diagnostics');

interface ExpectedDiagnostic {
  path: string;
  ruleId: string;
  severity: string;
  line: number;
  column: number;
}

function checkDirectory(dir: string): Diagnostic[] {
  const adrs: Adr[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()) {
    const result = parseAdr(file, readFileSync(join(dir, file), 'utf8'));
    diagnostics.push(...result.diagnostics);
    if (result.value) adrs.push(result.value);
  }
  return [...diagnostics, ...checkAdrLinks(adrs)];
}

const cases = readdirSync(INVALID).sort();

describe('ADR diagnostics: one fixture per rule', () => {
  it('covers every rule the ADR parser documents', () => {
    expect(cases).toEqual([
      'adr-date-invalid',
      'adr-field-invalid',
      'adr-id-duplicate',
      'adr-id-mismatch',
      'adr-reference-ambiguous',
      'adr-reference-invalid',
      'adr-status-invalid',
      'adr-status-missing',
      'adr-supersedes-unknown',
      'adr-title-missing',
      'frontmatter-yaml-invalid',
    ]);
  });

  it.each(cases)('%s is a warning: the ADR is still read and mirrored', (rule) => {
    const dir = join(INVALID, rule);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
      const result = parseAdr(file, readFileSync(join(dir, file), 'utf8'));
      expect(result.value, file).toBeDefined();
      expect(
        result.diagnostics.filter((d) => d.severity === 'error'),
        file,
      ).toEqual([]);
    }
  });

  it.each(cases)('%s is reported at the exact line and column, with a message and a hint', (rule) => {
    const dir = join(INVALID, rule);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as ExpectedDiagnostic[];
    const actual = checkDirectory(dir);
    expect(
      actual.map((d) => ({ path: d.path, ruleId: d.ruleId, severity: d.severity, line: d.span.start.line, column: d.span.start.column })),
    ).toEqual(expected);
    for (const d of actual) {
      expect(d.message.length).toBeGreaterThan(10);
      expect(d.hint).toBeTruthy();
    }
  });
});

describe('ADR diagnostics: messages name the offending value', () => {
  const diagnosticsOf = (rule: string): Diagnostic[] => checkDirectory(join(INVALID, rule));

  it('adr-status-invalid names the value and lists the statuses; the written text is kept and the status is none', () => {
    expect(diagnosticsOf('adr-status-invalid')[0]!.message).toBe(
      'ADR status "sort of" is not in the status vocabulary (proposed, accepted, rejected, deprecated, superseded); it is kept as written, with no canonical status',
    );
    const adr = parseAdr('0031-unknown-status.md', readFileSync(join(INVALID, 'adr-status-invalid', '0031-unknown-status.md'), 'utf8'))
      .value!;
    expect(adr).toMatchObject({ status: null, statusText: 'sort of' });
  });

  it('adr-date-invalid names the date', () => {
    expect(diagnosticsOf('adr-date-invalid')[0]!.message).toContain('"2024-13-01"');
  });

  it('a frontmatter id that names no number is a document id (Docusaurus), not an error: the file name numbers the ADR', () => {
    const result = parseAdr('adr/0037-bad-id.md', '---\nid: decision-seven\nstatus: accepted\n---\n# Bad id\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ id: 'ADR-037', number: 37, frontmatter: { data: { id: 'decision-seven' } } });
  });

  it('adr-reference-invalid names the reference it could not resolve', () => {
    expect(diagnosticsOf('adr-reference-invalid')[0]!.message).toContain('"the new event design"');
  });

  it('adr-supersedes-unknown names both ids', () => {
    expect(diagnosticsOf('adr-supersedes-unknown')[0]!.message).toBe(
      'ADR-041 is superseded by ADR-099, but no ADR in this repository has that id',
    );
  });

  it('adr-id-duplicate is on each file, naming the other', () => {
    const [first, second] = diagnosticsOf('adr-id-duplicate');
    expect(first!.message).toBe(
      'ADR id ADR-043 is also used by 0043-second.md; both are mirrored (by path), and links to ADR-043 are ambiguous',
    );
    expect(second!.message).toBe(
      'ADR id ADR-043 is also used by 0043-first.md; both are mirrored (by path), and links to ADR-043 are ambiguous',
    );
  });

  it('adr-reference-ambiguous names the files that share the linked id', () => {
    const ambiguous = diagnosticsOf('adr-reference-ambiguous').find((d) => d.ruleId === 'adr-reference-ambiguous')!;
    expect(ambiguous.message).toBe('ADR-051 supersedes ADR-050, which 2 files share: 0050-queue-on-postgres.md, 0050-queue-on-redis.md');
  });
});

describe('checkAdrLinks', () => {
  const adrOf = (path: string, text: string): Adr => {
    const result = parseAdr(path, text);
    expect(result.value).toBeDefined();
    return result.value!;
  };

  it('reports a "supersedes" link to an unknown id at the link', () => {
    const adr = adrOf('adr/0002-b.md', '# 2. B\n\n## Status\n\nAccepted\n\nSupersedes [1. A](0001-a.md)\n');
    const diagnostics = checkAdrLinks([adr]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      ruleId: 'adr-supersedes-unknown',
      path: 'adr/0002-b.md',
      span: { start: { line: 7, column: 12 } },
    });
    expect(diagnostics[0]!.message).toBe('ADR-002 supersedes ADR-001, but no ADR in this repository has that id');
  });

  it('reports a frontmatter link to an unknown id at the frontmatter value', () => {
    const adr = adrOf('adr/0002-b.md', '---\nstatus: accepted\nsupersedes: ADR-009\n---\n# B\n');
    expect(checkAdrLinks([adr]).map((d) => [d.ruleId, d.span.start.line, d.span.start.column])).toEqual([
      ['adr-supersedes-unknown', 3, 13],
    ]);
  });

  it('is silent for an empty list and for consistent links', () => {
    expect(checkAdrLinks([])).toEqual([]);
    const a = adrOf('adr/0001-a.md', '---\nstatus: superseded\nsuperseded_by: ADR-002\n---\n# A\n');
    const b = adrOf('adr/0002-b.md', '---\nstatus: accepted\nsupersedes: [1]\n---\n# B\n');
    expect(checkAdrLinks([a, b])).toEqual([]);
  });
});
