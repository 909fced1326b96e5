// One failing fixture per rule: each reports its permanent ruleId at the exact place, names the bad
// value and says how to fix it. Nothing is thrown.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { fixturePath, locate, parseFixture } from './workplan-fixtures.js';

interface Expected {
  fixture: string;
  ruleId: string;
  at: string;
  severity?: 'error' | 'warning';
  /** A fragment the message must contain (the offending value). */
  names?: string;
  /** Whether the file still yields a model. */
  value?: boolean;
}

const CASES: Expected[] = [
  { fixture: 'error-encoding-invalid', ruleId: 'encoding-invalid', at: '18:5', names: '0xff', value: false },
  { fixture: 'error-encoding-nul', ruleId: 'encoding-nul', at: '18:5', value: false },
  { fixture: 'error-frontmatter-missing', ruleId: 'frontmatter-missing', at: '1:1', value: false },
  { fixture: 'error-frontmatter-unclosed', ruleId: 'frontmatter-unclosed', at: '1:1', value: false },
  { fixture: 'error-frontmatter-yaml-invalid', ruleId: 'frontmatter-yaml-invalid', at: '4:8', value: false },
  { fixture: 'error-frontmatter-yaml-invalid-quote', ruleId: 'frontmatter-yaml-invalid', at: '7:1', names: 'quote', value: false },
  { fixture: 'error-frontmatter-not-mapping', ruleId: 'frontmatter-not-mapping', at: '2:1', value: false },
  { fixture: 'error-frontmatter-key-duplicate', ruleId: 'frontmatter-key-duplicate', at: '7:1', names: 'line 5', value: true },
  { fixture: 'error-frontmatter-field-missing', ruleId: 'frontmatter-field-missing', at: '1:1', names: 'domain', value: false },
  { fixture: 'error-frontmatter-field-invalid', ruleId: 'frontmatter-field-invalid', at: '4:8', names: '42', value: false },
  { fixture: 'error-frontmatter-type-invalid', ruleId: 'frontmatter-type-invalid', at: '3:7', names: '"adr"', value: false },
  { fixture: 'error-workplan-id-invalid', ruleId: 'workplan-id-invalid', at: '2:5', names: '"test-wp-1"', value: false },
  { fixture: 'error-workstream-status-invalid', ruleId: 'workstream-status-invalid', at: '6:9', names: '"complete-ish"', value: false },
  { fixture: 'error-uuid-invalid', ruleId: 'uuid-invalid', at: '7:26', names: '"not-a-uuid"', value: true },
  { fixture: 'error-uuid-invalid-task', ruleId: 'uuid-invalid', at: '16:20', names: '"1234"', value: true },
  { fixture: 'error-uuid-invalid-dependency', ruleId: 'uuid-invalid', at: '14:32', names: '2033172d-2462-4253-acb7', value: true },
  { fixture: 'error-date-invalid', ruleId: 'date-invalid', at: '7:10', names: '20260228', value: true },
  { fixture: 'error-date-invalid-calendar', ruleId: 'date-invalid', at: '7:10', names: '"2026-02-30"', value: true },
  { fixture: 'error-date-invalid-closure', ruleId: 'date-invalid', at: '20:1', names: '2026-13-40', value: true },
  { fixture: 'error-phase-heading-invalid', ruleId: 'phase-heading-invalid', at: '11:1', names: 'Phase One', value: true },
  { fixture: 'error-phase-number-duplicate', ruleId: 'phase-number-duplicate', at: '20:1', names: 'line 11', value: true },
  { fixture: 'error-task-outside-phase', ruleId: 'task-outside-phase', at: '13:1', names: 'P0.1', value: true },
  { fixture: 'error-task-metadata-missing', ruleId: 'task-metadata-missing', at: '13:1', names: 'P1.1', value: true },
  { fixture: 'error-task-metadata-yaml-invalid', ruleId: 'task-metadata-yaml-invalid', at: '18:1', value: true },
  { fixture: 'error-task-metadata-not-mapping', ruleId: 'task-metadata-not-mapping', at: '16:1', value: true },
  { fixture: 'error-task-metadata-key-duplicate', ruleId: 'task-metadata-key-duplicate', at: '17:1', names: '"status"', value: true },
  { fixture: 'error-task-id-missing', ruleId: 'task-id-missing', at: '15:1', names: 'P1.1', value: true },
  { fixture: 'error-task-id-prefix', ruleId: 'task-id-prefix', at: '15:5', names: '"OTHER-WP-0001-T01"', value: true },
  { fixture: 'error-task-id-duplicate', ruleId: 'task-id-duplicate', at: '22:5', names: 'line 15', value: true },
  { fixture: 'error-task-status-invalid', ruleId: 'task-status-invalid', at: '16:9', names: '"complete-ish"', value: true },
  { fixture: 'error-task-priority-invalid', ruleId: 'task-priority-invalid', at: '17:11', names: '"whenever"', value: true },
  { fixture: 'warning-dependency-target-missing', ruleId: 'dependency-target-missing', at: '13:1', severity: 'warning', value: true },
  { fixture: 'warning-dependency-id-orphan', ruleId: 'dependency-id-orphan', at: '13:1', severity: 'warning', value: true },
  {
    fixture: 'warning-closure-entry-invalid',
    ruleId: 'closure-entry-invalid',
    at: '25:1',
    severity: 'warning',
    names: 'Everything else',
    value: true,
  },
  {
    fixture: 'error-closure-classification-invalid',
    ruleId: 'closure-classification-invalid',
    at: '24:20',
    names: '"finished-ish"',
    value: true,
  },
  { fixture: 'error-closure-review-missing', ruleId: 'closure-review-missing', at: '6:9', value: true },
  {
    fixture: 'error-completed-with-open-tasks',
    ruleId: 'completed-with-open-tasks',
    at: '6:9',
    names: 'TEST-WP-0001-T01 (todo)',
    value: true,
  },
];

describe('diagnostics', () => {
  it.each(CASES)('$fixture reports $ruleId at $at', (c) => {
    const { result } = parseFixture(c.fixture);
    // Each fixture breaks exactly one rule.
    expect(result.diagnostics.map((d) => d.ruleId)).toEqual([c.ruleId]);
    const [d] = result.diagnostics;
    expect(d!.path).toBe(fixturePath(c.fixture));
    expect(locate(d!)).toBe(c.at);
    expect(d!.severity).toBe(c.severity ?? 'error');
    expect(d!.hint).toBeTruthy();
    if (c.names) expect(d!.message).toContain(c.names);
    if (c.value !== undefined) expect(result.value !== undefined).toBe(c.value);
  });

  // Found by the long reliability run: a task id pattern built from a 40k-character workplan id is too
  // large for V8 to run, which escaped as an internal-error.
  it('reports a workplan id of 40,000 characters as workplan-id-invalid, never internal-error', () => {
    const id = `${'_a'.repeat(20_000)}A-WP-0001`;
    const text = `---\nid: ${id}\ntype: workplan\ntitle: "a"\ndomain: a\nstatus: draft\n---\n\n# a\n\n## Phase 1 — a\n\n### a\n\nid: A-WP-0001-T01\n`;
    const result = parseWorkplan('workplans/A-WP-0001.md', text);
    expect(result.diagnostics.map((d) => d.ruleId)).toEqual(['workplan-id-invalid']);
    expect(result.diagnostics[0]!.span.start).toMatchObject({ line: 2, column: 5 });
  });

  it('names every allowed value in an unknown task status message', () => {
    const { result } = parseFixture('error-task-status-invalid');
    expect(result.diagnostics[0]!.message).toBe(
      'Unknown task status "complete-ish"; use one of todo, in_progress, blocked, done, cancelled, carried_forward',
    );
  });

  it('turns an internal failure into an internal-error diagnostic instead of throwing', () => {
    const broken = { ...DEFAULT_CONFIG, idPatterns: { ...DEFAULT_CONFIG.idPatterns, workplan: '(' } };
    const result = parseWorkplan('workplans/x.md', '---\nid: A-WP-1\n---\n', broken);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => d.ruleId)).toEqual(['internal-error']);
    expect(result.diagnostics[0]!.span.start).toEqual({ line: 1, column: 1, offset: 0 });
  });

  it('reports an alias bomb in the frontmatter instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const result = parseWorkplan('workplans/bomb.md', `---\n${bomb.join('\n')}\n---\n`);
    expect(result.diagnostics.map((d) => d.ruleId)).toEqual(['frontmatter-yaml-invalid']);
    expect(result.diagnostics[0]!.message).toMatch(/could not be read/);
  });

  it('reports every problem of a file at once, sorted by position', () => {
    const text = [
      '---',
      'id: TEST-WP-0001',
      'type: workplan',
      'title: Many problems',
      'domain: testing',
      'status: active',
      '---',
      '',
      '## Phase 1 — One',
      '',
      '### P1.1 — A',
      '',
      'id: TEST-WP-0001-T01',
      'status: nope',
      'priority: never',
      '',
      '### P1.2 — B',
      '',
      'id: TEST-WP-0001-T01',
      '',
      '## Phase — Two',
      '',
    ].join('\n');
    const result = parseWorkplan('workplans/many.md', text);
    expect(result.diagnostics.map((d) => `${locate(d)} ${d.ruleId}`)).toEqual([
      '14:9 task-status-invalid',
      '15:11 task-priority-invalid',
      '19:5 task-id-duplicate',
      '21:1 phase-heading-invalid',
    ]);
  });
});
