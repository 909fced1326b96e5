// parseAdr on real fixture files: every accepted layout, file-name style, CRLF and BOM.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Adr } from '../../src/model/adr.js';
import { checkAdrLinks, parseAdr } from '../../src/parse/adr.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'adr');

function readFixture(relative: string): string {
  return readFileSync(join(FIXTURES, relative), 'utf8');
}

/** Parses a fixture that must be clean, returning its ADR. */
function parseCleanFixture(relative: string): Adr {
  const result = parseAdr(`adr/${relative.split('/').pop()}`, readFixture(relative));
  expect(result.diagnostics).toEqual([]);
  expect(result.value).toBeDefined();
  return result.value!;
}

describe('parseAdr: MADR with frontmatter', () => {
  it('reads MADR 4 frontmatter fields, keeps unknown keys in extra and dates as written', () => {
    const adr = parseCleanFixture('madr4-frontmatter/0001-use-postgres-for-the-mirror.md');
    expect(adr).toMatchObject({
      kind: 'adr',
      format: 'madr',
      id: 'ADR-001',
      number: 1,
      title: 'Use Postgres for the mirror',
      status: 'accepted',
      date: '2024-05-06',
      domain: 'custodian',
      decisionMakers: ['Alice Martin', 'Bob Chen'],
      supersedes: [],
      supersededBy: [],
      eol: '\n',
      hasBom: false,
    });
    expect(adr.frontmatter?.data).toMatchObject({
      status: 'accepted',
      date: '2024-05-06',
      'decision-makers': ['Alice Martin', 'Bob Chen'],
      consulted: ['Carol Diaz'],
      informed: ['Platform team'],
      extra: { 'review-cadence': 'yearly' },
    });
    expect(adr.statusSpan?.start).toMatchObject({ line: 3, column: 9 });
    expect(adr.titleHeading).toMatchObject({ depth: 1, text: 'Use Postgres for the mirror' });
  });

  it('keeps H2 sections with their spans and verbatim bodies; H3s stay inside their section', () => {
    const text = readFixture('madr4-frontmatter/0001-use-postgres-for-the-mirror.md');
    const adr = parseCleanFixture('madr4-frontmatter/0001-use-postgres-for-the-mirror.md');
    expect(adr.sections.map((s) => s.heading.text)).toEqual(['Context and Problem Statement', 'Considered Options', 'Decision Outcome']);
    expect(adr.sections.every((s) => s.kind === 'other')).toBe(true);
    const outcome = adr.sections[2]!;
    expect(outcome.body).toBe(
      '\nChosen option: "Postgres", because every team already runs it.\n\n### Consequences\n\n* Good, because queries are plain SQL.\n',
    );
    expect(text.slice(outcome.span.start.offset, outcome.span.end.offset)).toBe(`## Decision Outcome\n${outcome.body}`);
    expect(adr.sections[1]!.body).toBe('\n* Postgres\n* SQLite\n\n');
  });

  it('reads MADR 3: frontmatter title wins over the H1, deciders become decision makers, supersedes resolves ids and file names', () => {
    const adr = parseCleanFixture('madr3-frontmatter/ADR-005-use-zod-for-validation.md');
    expect(adr).toMatchObject({
      id: 'ADR-005',
      title: 'Use zod for configuration validation',
      status: 'accepted',
      date: '2023-11-20',
      decisionMakers: ['Dana', 'Eve'],
      supersedes: ['ADR-004', 'ADR-003'],
    });
    expect(adr.frontmatter?.data.supersedes).toEqual(['ADR-004', '0003-hand-written-checks.md']);
    expect(adr.frontmatter?.data.extra).toEqual({ deciders: ['Dana', 'Eve'] });
  });
});

describe('parseAdr: MADR 2 bullets', () => {
  it('reads `* Status:`, `* Deciders:` and `* Date:` bullets under the title', () => {
    const adr = parseCleanFixture('madr2-bullets/adr-0002.md');
    expect(adr).toMatchObject({
      format: 'madr',
      id: 'ADR-002',
      title: 'Use Markdown Architectural Decision Records',
      status: 'accepted',
      date: '2017-12-15',
      decisionMakers: ['Oliver', 'Stefan'],
    });
    expect(adr.frontmatter).toBeUndefined();
    expect(adr.statusSpan).toMatchObject({ start: { line: 3, column: 11 }, end: { line: 3, column: 19 } });
  });
});

describe('parseAdr: Nygard / adr-tools', () => {
  it('reads the numbered title, the Date line and a "Superseded by" link to the successor', () => {
    const adr = parseCleanFixture('nygard-supersession/0001-record-architecture-decisions.md');
    expect(adr).toMatchObject({
      format: 'nygard',
      id: 'ADR-001',
      title: 'Record architecture decisions',
      status: 'superseded',
      date: '2024-01-02',
      supersededBy: ['ADR-002'],
      supersedes: [],
    });
    expect(adr.statusSpan?.start).toMatchObject({ line: 7, column: 1 });
    expect(adr.links).toEqual([
      {
        relation: 'superseded-by',
        target: 'ADR-002',
        span: expect.objectContaining({ start: expect.objectContaining({ line: 7, column: 15 }) }),
      },
    ]);
    expect(adr.sections.map((s) => s.heading.text)).toEqual(['Status', 'Context', 'Decision', 'Consequences']);
  });

  it('reads the successor: "Accepted" plus a "Supersedes" line in the Status section', () => {
    const adr = parseCleanFixture('nygard-supersession/0002-use-madr-for-decision-records.md');
    expect(adr).toMatchObject({ format: 'nygard', id: 'ADR-002', status: 'accepted', supersedes: ['ADR-001'], supersededBy: [] });
  });

  it('a superseded ADR and its successor pass the cross-file link check', () => {
    const adrs = [
      parseCleanFixture('nygard-supersession/0001-record-architecture-decisions.md'),
      parseCleanFixture('nygard-supersession/0002-use-madr-for-decision-records.md'),
    ];
    expect(checkAdrLinks(adrs)).toEqual([]);
  });

  it('takes the number from the `# N. Title` heading when the file name has none', () => {
    const adr = parseCleanFixture('heading-number/use-feature-flags.md');
    expect(adr).toMatchObject({ id: 'ADR-021', number: 21, title: 'Use feature flags', status: 'proposed', date: '2024-06-01' });
    expect(adr.idSpan?.start).toMatchObject({ line: 1, column: 1 });
  });
});

describe('parseAdr: file names, line endings, BOM', () => {
  it.each([
    ['ADR-011-upper-prefix.md', 'ADR-011', 11],
    ['0012-digits-prefix.md', 'ADR-012', 12],
    ['adr-0013.md', 'ADR-013', 13],
    ['adr-014-lower-prefix.md', 'ADR-014', 14],
    ['ADR-1234-four-digits.md', 'ADR-1234', 1234],
  ])('takes the number from the file name %s', (file, id, number) => {
    const adr = parseCleanFixture(`file-names/${file}`);
    expect(adr).toMatchObject({ id, number, status: 'proposed' });
    expect(adr.idSpan).toBeUndefined();
  });

  it('all file-name styles in one directory have distinct ids', () => {
    const adrs = readdirSync(join(FIXTURES, 'file-names')).map((f) => parseCleanFixture(`file-names/${f}`));
    expect(checkAdrLinks(adrs)).toEqual([]);
  });

  it('parses a CRLF file, reports eol \\r\\n and keeps CRLF in section bodies', () => {
    const adr = parseCleanFixture('crlf/0003-crlf-line-endings.md');
    expect(adr).toMatchObject({
      id: 'ADR-003',
      title: 'Keep CRLF line endings',
      status: 'deprecated',
      date: '2024-02-01',
      eol: '\r\n',
      format: 'nygard',
    });
    expect(adr.statusSpan).toMatchObject({ start: { line: 7, column: 1 }, end: { line: 7, column: 11 } });
    expect(adr.sections[1]!.body).toBe('\r\nWritten on Windows.\r\n');
  });

  it('parses a file with a BOM; offsets index the text including the BOM', () => {
    const text = readFixture('bom/0004-byte-order-mark.md');
    const adr = parseCleanFixture('bom/0004-byte-order-mark.md');
    expect(adr).toMatchObject({
      id: 'ADR-004',
      status: 'rejected',
      date: '2024-02-02',
      hasBom: true,
      title: 'Save files with a byte order mark',
    });
    const span = adr.statusSpan!;
    expect(text.slice(span.start.offset, span.end.offset)).toBe('rejected');
    expect(adr.frontmatter?.span.start).toMatchObject({ line: 1, column: 2, offset: 1 });
  });
});

describe('parseAdr: structure comes from the Markdown tree only', () => {
  it('ignores headings inside HTML comments, block quotes and code blocks', () => {
    const adr = parseCleanFixture('not-structure/0006-headings-that-are-not-structure.md');
    expect(adr.sections.map((s) => s.heading.text)).toEqual(['Status', 'Context']);
    expect(adr.status).toBe('accepted');
    expect(adr.statusSpan?.start.line).toBe(10);
  });
});

describe('parseAdr: inline cases', () => {
  it.each([
    ['Accepted ✅', 'accepted'],
    ['**Accepted**', 'accepted'],
    ['approved', 'accepted'],
    ['Draft', 'proposed'],
    ['PROPOSED', 'proposed'],
    ['Accepted on 2024-01-02', 'accepted'],
    ['Deprecated in favour of the new pipeline', 'deprecated'],
    ['declined', 'rejected'],
    ['Superseded', 'superseded'],
  ])('normalises the Status section line %j to %s', (line, status) => {
    const result = parseAdr('adr/0009-x.md', `# 9. X\n\n## Status\n\n${line}\n`);
    expect(result.diagnostics).toEqual([]);
    expect(result.value?.status).toBe(status);
  });

  it('reads a frontmatter status "superseded by ADR-0123" as superseded with a link', () => {
    const result = parseAdr('adr/0010-x.md', '---\nstatus: superseded by ADR-0123\n---\n# X\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ status: 'superseded', supersededBy: ['ADR-123'] });
  });

  it('reads a MADR 2 status bullet that links to its successor', () => {
    const result = parseAdr('adr/0011-x.md', '# X\n\n* Status: superseded by [ADR-0012](0012-y.md)\n\n## Context\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ status: 'superseded', supersededBy: ['ADR-012'] });
  });

  it('prefers "Superseded by" over an earlier "Accepted" line and reads several successors', () => {
    const result = parseAdr(
      'adr/0012-x.md',
      '# 12. X\n\n## Status\n\nAccepted\n\nSuperseded by [13. A](0013-a.md) and [14. B](0014-b.md)\n',
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ status: 'superseded', supersededBy: ['ADR-013', 'ADR-014'] });
  });

  it('resolves a "Supersedes" reference written as text, not a link', () => {
    const result = parseAdr('adr/0015-x.md', '# 15. X\n\n## Status\n\nAccepted\n\nSupersedes ADR-3, 4. Old approach\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.value?.supersedes).toEqual(['ADR-003', 'ADR-004']);
  });

  it('ignores other adr-tools relations such as "Amended by"', () => {
    const result = parseAdr('adr/0016-x.md', '# 16. X\n\n## Status\n\nAccepted\n\nAmended by [17. Y](0017-y.md)\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ status: 'accepted', supersedes: [], supersededBy: [] });
  });

  it('keeps a quoted date exactly as written and a YAML comment out of the data', () => {
    const result = parseAdr('adr/0017-x.md', '---\nstatus: accepted # decided in the weekly\ndate: "2024-02-29"\n---\n# X\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ status: 'accepted', date: '2024-02-29' });
  });

  it('takes the number from an `id` in the frontmatter over the file name, with a mismatch warning', () => {
    const result = parseAdr('adr/0018-x.md', '---\nid: ADR-019\nstatus: accepted\n---\n# X\n');
    expect(result.value).toMatchObject({ id: 'ADR-019', number: 19 });
    expect(result.diagnostics.map((d) => [d.ruleId, d.severity, d.span.start.line, d.span.start.column])).toEqual([
      ['adr-id-mismatch', 'warning', 2, 5],
    ]);
  });

  it('reads `# ADR-007: Title` headings', () => {
    const result = parseAdr('adr/decision.md', '# ADR-007: Use queues\n\n## Status\n\nAccepted\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ id: 'ADR-007', title: 'Use queues' });
  });

  it('treats a setext H1 as the title', () => {
    const result = parseAdr('adr/0020-x.md', 'Use setext\n==========\n\n* Status: proposed\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ title: 'Use setext', status: 'proposed' });
  });

  it('does not take a number from a date-prefixed file name: the ADR is identified by its slug', () => {
    const result = parseAdr('adr/2024-01-02-use-x.md', '# Use X\n\n* Status: accepted\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toMatchObject({ id: '2024-01-02-use-x', number: null, title: 'Use X', status: 'accepted' });
  });

  it('returns the ADR with no canonical status and the written one kept when the status is unknown, so links to it still resolve', () => {
    const result = parseAdr('adr/0021-x.md', '# 21. X\n\n## Status\n\nParked\n');
    expect(result.value).toMatchObject({ id: 'ADR-021', status: null, statusText: 'Parked' });
    expect(result.diagnostics[0]).toMatchObject({
      ruleId: 'adr-status-invalid',
      severity: 'warning',
      span: { start: { line: 5, column: 1 } },
    });
    expect(result.diagnostics[0]!.message).toContain('"Parked"');
    expect(result.diagnostics[0]!.message).toContain('proposed, accepted, rejected, deprecated, superseded');
  });

  it('reads the lines of frontmatter YAML cannot parse one by one, with a warning', () => {
    const result = parseAdr('adr/0022-x.md', '---\nstatus: [accepted\n---\n# X\n');
    expect(result.diagnostics.map((d) => `${d.ruleId} ${d.severity}`)).toEqual(['frontmatter-yaml-invalid warning']);
    expect(result.value).toMatchObject({ status: 'accepted', statusText: '[accepted' });
  });
});

describe('parseAdr: what must not be mirrored', () => {
  it.each(['', '\n\n', '\uFEFF', '  \r\n\t\n'])('an empty file %j is an error, so a failed checkout never blanks an ADR row', (text) => {
    const result = parseAdr('adr/0001-x.md', text);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => `${d.ruleId} ${d.severity}`)).toEqual(['adr-empty error']);
  });
});

describe('parseAdr: a generic label before the title is not part of it', () => {
  it.each([
    ['# Architecture Decision Record: Keep one schema per service\n', 'Keep one schema per service'],
    ['# ADR: Sign the webhooks\n', 'Sign the webhooks'],
    ['# ADR 12: Sign the webhooks\n', 'Sign the webhooks'],
    ['# ADR\n', 'ADR'],
    ['# Adrenaline-free on-call rotations\n', 'Adrenaline-free on-call rotations'],
  ])('%j has the title %j', (text, title) => {
    expect(parseAdr('adr/0012-x.md', `${text}\n## Status\n\nAccepted\n`).value!.title).toBe(title);
  });
});
