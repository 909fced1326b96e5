// No value of a file reaches the database unchecked: every limit of the mirror (an index row's size,
// text without NUL or lone surrogates, integer columns, jsonb depth) is a diagnostic on the file that
// crosses it, at the element it came from, and the file is not synced (its rows are not even planned).
import { describe, expect, it } from 'vitest';
import { prepareFile } from '../../src/reconcile/prepare-file.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { hashBytes } from '../../src/model/content-hash.js';
import { MAX_ID_LENGTH, MAX_PATH_BYTES, MAX_TITLE_LENGTH } from '../../src/model/storage-limits.js';

function prepare(path: string, text: string, kind: 'workplan' | 'adr' = 'workplan') {
  const bytes = Buffer.from(text, 'utf8');
  return prepareFile({ path, kind, bytes, hash: hashBytes(bytes) }, DEFAULT_CONFIG);
}

function workplan(options: { id?: string; title?: string; taskId?: string; phase?: string; extra?: string } = {}): string {
  const id = options.id ?? 'DOC-WP-0001';
  return `---\nid: ${id}\ntype: workplan\ntitle: ${options.title ?? 'A plan'}\ndomain: docs\nstatus: active\n${options.extra ?? ''}---\n\n# A plan\n\n## ${options.phase ?? 'Phase 1 — Only'}\n\n### P1.1 — Task\n\nid: ${options.taskId ?? `${id}-T01`}\n`;
}

const found = (p: ReturnType<typeof prepare>) =>
  p.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.span.start.line}:${d.span.start.column} ${d.ruleId}`);

describe('storage limits', () => {
  it('a valid file has rows', () => {
    expect(prepare('workplans/a.md', workplan()).desired).not.toBeNull();
  });

  it.each([3000, 10_000])('refuses a task id of %i characters at the id, and plans no rows', (n) => {
    const p = prepare('workplans/a.md', workplan({ taskId: `DOC-WP-0001-T${'1'.repeat(n - 13)}` }));
    expect(found(p)).toEqual(['15:5 value-too-long']);
    expect(p.diagnostics[0]!.message).toContain(`is ${n} characters long; the limit is ${MAX_ID_LENGTH}`);
    expect(p.desired).toBeNull();
  });

  it('accepts an id of exactly the limit', () => {
    expect(found(prepare('workplans/a.md', workplan({ taskId: `DOC-WP-0001-T${'1'.repeat(MAX_ID_LENGTH - 13)}` })))).toEqual([]);
  });

  it('refuses a workplan id, a title and a phase number past their limits', () => {
    const longId = `DOC-WP-${'7'.repeat(MAX_ID_LENGTH)}`;
    expect(found(prepare('workplans/a.md', workplan({ id: longId })))).toContain('2:5 value-too-long');
    expect(found(prepare('workplans/a.md', workplan({ title: 't'.repeat(MAX_TITLE_LENGTH + 1) })))).toEqual(['4:8 value-too-long']);
    expect(found(prepare('workplans/a.md', workplan({ phase: 'Phase 99999999999 — Far' })))).toEqual(['11:1 value-too-long']);
  });

  it('refuses text the database cannot store: a NUL or a lone surrogate written as a YAML escape, in a field or an extra key', () => {
    expect(found(prepare('workplans/a.md', workplan({ title: '"a\\0b"' })))).toEqual(['4:8 value-not-storable']);
    expect(found(prepare('workplans/a.md', workplan({ extra: 'note: "\\ud800"\n' })))).toEqual(['1:1 value-not-storable']);
    expect(found(prepare('workplans/a.md', workplan({ extra: '"k\\0": 1\n' })))).toEqual(['1:1 value-not-storable']);
  });

  it('refuses an extra value nested deeper than jsonb allows', () => {
    const deep = `${'['.repeat(80)}1${']'.repeat(80)}`;
    expect(found(prepare('workplans/a.md', workplan({ extra: `deep: ${deep}\n` })))).toEqual(['1:1 value-not-storable']);
  });

  it('refuses a path longer than the limit', () => {
    const path = `workplans/${'d/'.repeat(MAX_PATH_BYTES / 2)}a.md`;
    expect(found(prepare(path, workplan()))).toEqual(['1:1 value-too-long']);
  });

  it('checks ADRs too: their title, and a NUL in their frontmatter', () => {
    expect(found(prepare('adr/0001-x.md', `# 1. ${'T'.repeat(MAX_TITLE_LENGTH + 1)}\n`, 'adr'))).toEqual(['1:1 value-too-long']);
    const nul = prepare('adr/0001-x.md', '---\nstatus: "acc\\0epted"\n---\n# 1. X\n', 'adr');
    expect(found(nul)).toEqual(['2:9 value-not-storable']);
    expect(nul.desired).toBeNull();
  });
});
