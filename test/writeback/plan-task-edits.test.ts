// The planners behind `workplan set` and `workplan add-task` (pure): a status change touches only the
// value bytes of its line, in every metadata form; a new task is one inserted block, written like the
// file's own tasks, and every original byte stays (a fast-check property over titles and descriptions).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { listTasks, type Workplan } from '../../src/model/workplan.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { applyTextEdits } from '../../src/writeback/apply-text-edits.js';
import { planTaskInsert } from '../../src/writeback/plan-task-insert.js';
import { planTaskUpdate } from '../../src/writeback/plan-task-update.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const parse = (text: string): Workplan => {
  const parsed = parseWorkplan('workplans/x.md', text, DEFAULT_CONFIG);
  if (!parsed.value) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.value;
};
const task = (workplan: Workplan, id: string) => listTasks(workplan).find((t) => t.id === id)!;

describe('planTaskUpdate', () => {
  it('replaces only the value bytes of status and priority, in plain, list and YAML-fence metadata', () => {
    for (const [name, id] of [
      ['workplan/seed/input.md', 'CUST-WP-0005-T04'],
      ['workplan/list-metadata/input.md', 'DOC-WP-0013-T01'],
      ['workplan/yaml-fence/input.md', 'DOC-WP-0012-T01'],
      ['workplan/crlf/input.md', undefined],
    ] as const) {
      const text = fixture(name);
      const workplan = parse(text);
      const t = id ? task(workplan, id) : listTasks(workplan)[0]!;
      const status = t.status === 'blocked' ? 'todo' : 'blocked';
      const { edits, changes } = planTaskUpdate(text, t, { status, priority: 'low' });
      const after = applyTextEdits(text, edits);
      const reread = task(parse(after), t.id);
      expect([reread.status, reread.priority], name).toEqual([status, 'low']);
      expect(
        changes.map((c) => c.field),
        name,
      ).toEqual(t.priority === 'low' ? ['status'] : ['status', 'priority']);
      // Every edit replaces a value span: the rest of the text is untouched.
      for (const e of edits) expect(text.slice(e.start, e.end), name).toMatch(/^["']?[\w -]*["']?$/);
      expect(after.length - text.length, name).toBe(edits.reduce((n, e) => n + e.text.length - (e.end - e.start), 0));
    }
  });

  it('keeps a comment and the quotes around a value', () => {
    const text = fixture('workplan/yaml-fence/input.md');
    const t = task(parse(text), 'DOC-WP-0012-T01');
    const after = applyTextEdits(text, planTaskUpdate(text, t, { status: 'done', priority: 'critical' }).edits);
    expect(after).toContain('status: done # an alias, normalised to in_progress\npriority: "critical"\n');
  });

  it('plans nothing when the task already has the values (aliases included)', () => {
    const text = fixture('workplan/yaml-fence/input.md');
    expect(planTaskUpdate(text, task(parse(text), 'DOC-WP-0012-T01'), { status: 'in_progress', priority: 'high' }).edits).toEqual([]);
  });

  it("inserts a missing priority line after the last metadata line, in the block's form", () => {
    const text =
      '---\nid: A-WP-1\ntype: workplan\ntitle: T\ndomain: d\nstatus: active\n---\n\n## Phase 1 — P\n\n### P1.1 — One\n\n- id: A-WP-1-T01\n- status: todo\n\nText.\n';
    const after = applyTextEdits(text, planTaskUpdate(text, task(parse(text), 'A-WP-1-T01'), { priority: 'high' }).edits);
    expect(after).toBe(text.replace('- status: todo\n', '- status: todo\n- priority: high\n'));
  });
});

describe('planTaskInsert', () => {
  const spec = { phase: 1, title: 'New work', status: 'todo', priority: 'high' };

  it("appends the task to the phase with the next id and label, in the file's metadata form and line breaks", () => {
    const seed = fixture('workplan/seed/input.md');
    const plan = planTaskInsert(seed, parse(seed), { ...spec, description: 'First line.\n\nSecond.' });
    if (plan.kind !== 'planned') throw new Error('refused');
    expect(plan).toMatchObject({ taskId: 'CUST-WP-0005-T12', label: 'P1.5', phaseCreated: false });
    const after = applyTextEdits(seed, [plan.edit]);
    expect(after).toContain(
      'Update state router: any `Domain.custodian` etc. references → slug string.\n\n### P1.5 — New work\n\nid: CUST-WP-0005-T12\nstatus: todo\npriority: high\n\nFirst line.\n\nSecond.\n\n## Phase 2 — Multi-Repo Support',
    );

    const fenced = fixture('workplan/yaml-fence/input.md');
    const fencedPlan = planTaskInsert(fenced, parse(fenced), spec);
    if (fencedPlan.kind !== 'planned') throw new Error('refused');
    const fencedAfter = applyTextEdits(fenced, [fencedPlan.edit]);
    expect(fencedPlan.edit.text).toBe('\n### P1.4 — New work\n\n```yaml\nid: DOC-WP-0012-T04\nstatus: todo\npriority: high\n```\n');
    expect(task(parse(fencedAfter), fencedPlan.taskId)).toMatchObject({ status: 'todo', priority: 'high', phaseNumber: 1 });

    const crlf = fixture('workplan/crlf/input.md');
    const crlfPlan = planTaskInsert(crlf, parse(crlf), spec);
    if (crlfPlan.kind !== 'planned') throw new Error('refused');
    const crlfAfter = applyTextEdits(crlf, [crlfPlan.edit]);
    expect(crlfAfter.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('creates a missing phase in number order when given a title; refuses without one', () => {
    const seed = fixture('workplan/seed/input.md');
    expect(planTaskInsert(seed, parse(seed), { ...spec, phase: 9 })).toEqual({ kind: 'phase-not-found', phases: [1, 2, 3, 4] });
    const plan = planTaskInsert(seed, parse(seed), { ...spec, phase: 9, phaseTitle: 'Follow-ups' });
    if (plan.kind !== 'planned') throw new Error('refused');
    const after = parse(applyTextEdits(seed, [plan.edit]));
    expect(after.phases.map((p) => `${p.number} ${p.title}`)).toEqual([
      '1 Domain as a DB Entity',
      '2 Multi-Repo Support',
      '3 MCP & Validation',
      '4 Dashboard',
      '9 Follow-ups',
    ]);
    expect(after.phases[4]!.tasks.map((t) => `${t.label} ${t.id}`)).toEqual(['P9.1 CUST-WP-0005-T12']);
    // The Notes and the Closure Review stay after the phases.
    expect(after.sections.map((s) => s.kind).slice(-2)).toEqual(['notes', 'closure-review']);
  });

  it('keeps every original byte: the result is the text with one block inserted (property)', () => {
    const texts = [
      'workplan/seed/input.md',
      'workplan/list-metadata/input.md',
      'workplan/yaml-fence/input.md',
      'workplan/crlf/input.md',
      'workplan/no-final-newline/input.md',
    ].map(fixture);
    const line = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '' && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(s));
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        line,
        fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
        (text, title, description) => {
          const workplan = parse(text);
          const plan = planTaskInsert(text, workplan, { ...spec, phase: workplan.phases[0]!.number, title: title.trim(), description });
          if (plan.kind !== 'planned') return false;
          const after = applyTextEdits(text, [plan.edit]);
          const { start, text: inserted } = plan.edit;
          return (
            plan.edit.end === start &&
            after === text.slice(0, start) + inserted + text.slice(start) &&
            inserted.includes(`id: ${plan.taskId}`)
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
