// The ADR status vocabulary and the reading of numbers, ids and references.
import { describe, expect, it } from 'vitest';
import { ADR_STATUSES, ADR_STATUS_ALIASES, normalizeAdrStatus } from '../../src/model/adr-status.js';
import { readMetadataLines } from '../../src/parse/adr-metadata.js';
import {
  formatAdrId,
  readAdrNumberFromFileName,
  readAdrNumberFromHeading,
  readAdrNumberFromId,
  resolveAdrReference,
} from '../../src/parse/adr-reference.js';

describe('normalizeAdrStatus', () => {
  it.each(ADR_STATUSES.map((s) => [s]))('accepts the canonical status %s in any case', (status) => {
    expect(normalizeAdrStatus(status.toUpperCase())).toEqual({ ok: true, status });
  });

  it('maps every alias to a canonical status', () => {
    for (const [alias, status] of Object.entries(ADR_STATUS_ALIASES)) {
      expect(ADR_STATUSES).toContain(status);
      expect(normalizeAdrStatus(alias)).toEqual({ ok: true, status });
    }
  });

  it.each([
    ['Accepted ✅', 'accepted'],
    ['✅ Accepted', 'accepted'],
    ['_Proposed_', 'proposed'],
    ['Status: Rejected', 'rejected'],
    ['2024-01-02: accepted', 'accepted'],
    ['Superseded by [ADR-0005](0005-example.md)', 'superseded'],
    ['replaced by ADR-9', 'superseded'],
    ['Not accepted', 'rejected'],
    ['In review', 'proposed'],
    ['Proposé', 'proposed'],
    ['statut : accepté', 'accepted'],
    ['Aceptado', 'accepted'],
    ['Angenommen', 'accepted'],
    ['Abgelehnt', 'rejected'],
    ['Remplacé par ADR-0007', 'superseded'],
    ['已废弃', 'deprecated'],
  ])('normalises %j to %s', (written, status) => {
    expect(normalizeAdrStatus(written)).toEqual({ ok: true, status });
  });

  it.each([
    'parked',
    'sort of',
    '',
    '[proposed | rejected | accepted]',
    'maybe accepted',
    '{proposed | rejected | accepted | deprecated | … | superseded by ADR-0123',
  ])('refuses %j and lists the allowed statuses', (written) => {
    expect(normalizeAdrStatus(written)).toEqual({ ok: false, allowed: ['proposed', 'accepted', 'rejected', 'deprecated', 'superseded'] });
  });
});

describe('readMetadataLines', () => {
  const read = (text: string) =>
    readMetadataLines({ text, start: 10 }).map(({ key, value, valueStart, valueEnd }) => ({
      key,
      value,
      at: text.slice(valueStart - 10, valueEnd - 10),
    }));

  it('reads two bold keys written on one line as two values, each at its own offsets', () => {
    expect(read('**Date**: 2025-11-30 **Status**: Proposed')).toEqual([
      { key: 'date', value: '2025-11-30', at: '2025-11-30' },
      { key: 'status', value: 'Proposed', at: 'Proposed' },
    ]);
  });

  it('keeps a later bold text that names no key in the value before it', () => {
    expect(read('**Status**: Accepted **Note**: see below')).toEqual([
      { key: 'status', value: 'Accepted **Note**: see below', at: 'Accepted **Note**: see below' },
    ]);
  });

  it('reads keys in other scripts and French spacing, and drops one pair of quotes around the value', () => {
    expect(read('* statut : proposé')).toEqual([{ key: 'status', value: 'proposé', at: 'proposé' }]);
    expect(read('* **décisionnaires**: "Équipe portail"')).toEqual([
      { key: 'decision-makers', value: 'Équipe portail', at: 'Équipe portail' },
    ]);
    expect(read('日期：2024-06-18')).toEqual([{ key: 'date', value: '2024-06-18', at: '2024-06-18' }]);
  });

  it('reads nothing from a line that is not `Key: value` with a known key', () => {
    expect(read('Chosen option: "queues", because they decouple')).toEqual([]);
    expect(read('Plain prose without a colon')).toEqual([]);
  });
});

describe('ADR numbers and ids', () => {
  it('pads canonical ids to three digits and keeps longer numbers', () => {
    expect([formatAdrId(0), formatAdrId(7), formatAdrId(42), formatAdrId(999), formatAdrId(1234)]).toEqual([
      'ADR-000',
      'ADR-007',
      'ADR-042',
      'ADR-999',
      'ADR-1234',
    ]);
  });

  it.each([
    ['adr/ADR-001-title.md', 1],
    ['adr/0001-title.md', 1],
    ['adr-0001.md', 1],
    ['docs/decisions/adr-001-title.md', 1],
    ['ADR_12_x.md', 12],
    ['0000-use-markdown-architectural-decision-records.md', 0],
    ['0042.md', 42],
    ['C:\\repo\\adr\\0003-x.md', 3],
  ])('reads the number of %s', (path, number) => {
    expect(readAdrNumberFromFileName(path)).toBe(number);
  });

  it.each(['README.md', 'template.md', 'adr/use-postgres.md', '2024-01-02-use-x.md', 'v2-notes.md', 'adrx-1.md'])(
    'finds no number in %s',
    (path) => {
      expect(readAdrNumberFromFileName(path)).toBeUndefined();
    },
  );

  it.each([
    ['1. Record architecture decisions', 1, 'Record architecture decisions'],
    ['12: Use X', 12, 'Use X'],
    ['3 - Use X', 3, 'Use X'],
    ['ADR-007: Use queues', 7, 'Use queues'],
    ['ADR 7 - Use queues', 7, 'Use queues'],
    ['adr-0007 Use queues', 7, 'Use queues'],
  ])('splits the heading %j', (text, number, title) => {
    expect(readAdrNumberFromHeading(text)).toEqual({ number, title });
  });

  it.each(['2024 roadmap', 'Use Postgres', '1.5x faster builds'])('finds no number in the heading %j', (text) => {
    expect(readAdrNumberFromHeading(text)).toBeUndefined();
  });

  it.each([
    ['ADR-007', 7],
    ['adr_7', 7],
    ['7', 7],
    ['0007', 7],
    [' ADR 12 ', 12],
  ])('reads the frontmatter id %j', (id, number) => {
    expect(readAdrNumberFromId(id)).toBe(number);
  });

  it.each(['decision-7', 'ADR-7a', '', 'ADR-'])('refuses the frontmatter id %j', (id) => {
    expect(readAdrNumberFromId(id)).toBeUndefined();
  });

  it.each([
    ['2. Use X', '0002-use-x.md', 'ADR-002'],
    ['whatever', '../adr/0002-use-x.md#status', 'ADR-002'],
    ['ADR-0005', 'https://example.com/decisions', 'ADR-005'],
    ['ADR-3', undefined, 'ADR-003'],
    ['4. Old approach', undefined, 'ADR-004'],
    ['12', undefined, 'ADR-012'],
    ['0013-x.md', undefined, 'ADR-013'],
  ])('resolves the reference %j → %j to %s', (text, target, id) => {
    expect(resolveAdrReference(text, target)).toBe(id);
  });

  it.each([['the new event design'], ['2024 redesign'], ['']])('cannot resolve %j', (text) => {
    expect(resolveAdrReference(text)).toBeUndefined();
  });
});
