// planClose: the pure part of `workplan close` — classification, refusal, frontmatter, review and
// carry-forward edits, each file changed only where it must.
import { describe, expect, it } from 'vitest';
import { listTasks, type Workplan } from '../../src/model/workplan.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { planClose, readTaskIdSequence, type ClosePlan } from '../../src/writeback/plan-close.js';
import { renderUnifiedDiff } from '../../src/writeback/render-unified-diff.js';
import { readClosureFixture } from '../integration/support/closure-env.js';

const SOURCE = readClosureFixture('close-source');
const TARGET = readClosureFixture('close-target');

function parse(text: string, path: string): Workplan {
  const r = parseWorkplan(path, text);
  if (!r.value) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}
const source = { path: 'workplans/s.md', text: SOURCE, workplan: parse(SOURCE, 'workplans/s.md') };
const target = { path: 'workplans/t.md', text: TARGET, workplan: parse(TARGET, 'workplans/t.md') };

function planned(plan: ClosePlan) {
  if (plan.kind !== 'planned') throw new Error(`expected a plan, got ${JSON.stringify(plan)}`);
  return plan;
}

/** Changed lines of a diff: [removed, added]. */
function changedLines(before: string, after: string): [string[], string[]] {
  const lines = renderUnifiedDiff('x', before, after).split('\n');
  return [
    lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).map((l) => l.slice(1)),
    lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).map((l) => l.slice(1)),
  ];
}

describe('planClose', () => {
  it('refuses with open tasks and neither --cancel-open nor --carry-forward-to, listing them', () => {
    const plan = planClose({ source, date: '2026-03-10', cancelOpen: false });
    expect(plan.kind).toBe('refused');
    if (plan.kind !== 'refused') return;
    expect(plan.reason).toBe('open-tasks');
    expect(plan.openTasks.map((t) => [t.id, t.status])).toEqual([
      ['DOC-WP-0200-T02', 'in_progress'],
      ['DOC-WP-0200-T04', 'todo'],
      ['DOC-WP-0200-T05', 'blocked'],
    ]);
  });

  it('--cancel-open: three status values, status/completed/updated in the frontmatter and the review — nothing else', () => {
    const plan = planned(planClose({ source, date: '2026-03-10', cancelOpen: true }));
    expect(plan.files.map((f) => f.path)).toEqual(['workplans/s.md']);
    const after = plan.files[0]!.after;
    const [removed, added] = changedLines(SOURCE, after);
    expect(removed).toEqual([
      'status: active # closed by `workplan close`',
      'updated: 2026-02-20',
      'status: in_progress',
      'status: todo',
      'status: blocked',
    ]);
    expect(added.filter((l) => l !== '').slice(0, 7)).toEqual([
      'status: completed # closed by `workplan close`',
      'updated: 2026-03-10',
      'completed: 2026-03-10',
      'status: cancelled',
      'status: cancelled',
      'status: cancelled',
      '## Closure Review — 2026-03-10',
    ]);
    const result = parseWorkplan('workplans/s.md', after);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const w = result.value!;
    expect(w.frontmatter.data).toMatchObject({ status: 'completed', completed: '2026-03-10', updated: '2026-03-10' });
    expect(w.closureReviews[0]!.outcome).toBe('1 of 5 tasks completed. No carry-forwards. 4 cancelled.');
  });

  it('--carry-forward-to: copies the open tasks into a new phase of the target with the next free ids', () => {
    const plan = planned(planClose({ source, target, date: '2026-03-10', cancelOpen: false, carryForwardTo: 'DOC-WP-0201' }));
    expect(plan.files.map((f) => f.path)).toEqual(['workplans/t.md', 'workplans/s.md']);
    expect(plan.carried.map((c) => [c.from, c.to, c.created])).toEqual([
      ['DOC-WP-0200-T02', 'DOC-WP-0201-T04', true],
      ['DOC-WP-0200-T04', 'DOC-WP-0201-T05', true],
      ['DOC-WP-0200-T05', 'DOC-WP-0201-T06', true],
    ]);
    const t = parseWorkplan('workplans/t.md', plan.files[0]!.after);
    expect(t.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const phase = t.value!.phases.at(-1)!;
    expect(phase.number).toBe(2);
    expect(phase.title).toBe('Carried forward from DOC-WP-0200');
    expect(phase.tasks.map((x) => [x.id, x.label, x.title, x.status, x.priority, x.taskUuid])).toEqual([
      ['DOC-WP-0201-T04', 'P2.1', 'Rank results', 'todo', 'high', undefined],
      ['DOC-WP-0201-T05', 'P2.2', 'Search box', 'todo', 'medium', undefined],
      ['DOC-WP-0201-T06', 'P2.3', 'Facets', 'todo', 'low', undefined],
    ]);
    expect(phase.tasks[0]!.description).toBe(
      'Rank by BM25 first.\n\n- Tune `k1` and `b`.\n\nCarried forward from `DOC-WP-0200-T02` (DOC-WP-0200).',
    );
    expect(phase.tasks[2]!.description).toBe('Carried forward from `DOC-WP-0200-T05` (DOC-WP-0200).');
    // The new phase sits after the last phase, before Notes; the target is otherwise untouched.
    expect(t.value!.sections.map((s) => s.kind)).toEqual(['phase', 'phase', 'notes']);
    const [removed] = changedLines(TARGET, plan.files[0]!.after);
    expect(removed).toEqual([]);

    const s = parseWorkplan('workplans/s.md', plan.files[1]!.after).value!;
    expect(listTasks(s).map((x) => x.status)).toEqual(['done', 'carried_forward', 'cancelled', 'carried_forward', 'carried_forward']);
    const review = s.closureReviews[0]!;
    expect(review.outcome).toBe('1 of 5 tasks completed. 3 carried forward to DOC-WP-0201. 1 cancelled.');
    expect(review.entries.filter((e) => e.classification === 'carry_forward').map((e) => [e.taskId, e.target])).toEqual([
      ['DOC-WP-0200-T02', 'DOC-WP-0201'],
      ['DOC-WP-0200-T04', 'DOC-WP-0201'],
      ['DOC-WP-0200-T05', 'DOC-WP-0201'],
    ]);
  });

  it('never copies a task twice: copies already in the target (an interrupted close) are reused', () => {
    const first = planned(planClose({ source, target, date: '2026-03-10', cancelOpen: false, carryForwardTo: 'DOC-WP-0201' }));
    const targetAfter = first.files[0]!.after;
    const again = planned(
      planClose({
        source,
        target: { path: 'workplans/t.md', text: targetAfter, workplan: parse(targetAfter, 'workplans/t.md') },
        date: '2026-03-10',
        cancelOpen: false,
        carryForwardTo: 'DOC-WP-0201',
      }),
    );
    expect(again.files.map((f) => f.path)).toEqual(['workplans/s.md']);
    expect(again.carried.map((c) => [c.to, c.created])).toEqual([
      ['DOC-WP-0201-T04', false],
      ['DOC-WP-0201-T05', false],
      ['DOC-WP-0201-T06', false],
    ]);
  });

  it('refuses a carry-forward into itself, into a missing or a closed workplan', () => {
    const into = (t: typeof target | undefined, id: string) =>
      planClose({ source, ...(t ? { target: t } : {}), date: '2026-03-10', cancelOpen: false, carryForwardTo: id });
    expect(into(undefined, 'DOC-WP-0200')).toMatchObject({ kind: 'refused', reason: 'target-invalid' });
    expect(into(undefined, 'DOC-WP-0999')).toMatchObject({
      kind: 'refused',
      reason: 'target-invalid',
      message: expect.stringContaining('No workplan with id DOC-WP-0999'),
    });
    const closedText = readClosureFixture('completed-clean');
    const closed = { path: 'workplans/c.md', text: closedText, workplan: parse(closedText, 'workplans/c.md') };
    expect(into(closed, 'DOC-WP-0300')).toMatchObject({
      kind: 'refused',
      reason: 'target-invalid',
      message: expect.stringContaining('completed'),
    });
  });

  it('a completed workplan with a review and no open task is already closed', () => {
    const text = readClosureFixture('completed-clean');
    expect(planClose({ source: { path: 'w.md', text, workplan: parse(text, 'w.md') }, date: '2026-03-10', cancelOpen: false }).kind).toBe(
      'already-closed',
    );
  });

  it('keeps an existing review of the same date instead of adding a second', () => {
    const text = SOURCE.replace('## Notes', '## Closure Review — 2026-03-10\n\n**Outcome:** Written by hand.\n\n## Notes');
    const plan = planned(
      planClose({ source: { path: 's.md', text, workplan: parse(text, 's.md') }, date: '2026-03-10', cancelOpen: true }),
    );
    expect(plan.reviewAdded).toBe(false);
    expect(parse(plan.files[0]!.after, 's.md').closureReviews).toHaveLength(1);
  });

  it('keeps CRLF line endings and a BOM in both files, even when the source and target differ', () => {
    const crlfSource = `\uFEFF${SOURCE.replace(/\n/g, '\r\n')}`;
    const src = { path: 's.md', text: crlfSource, workplan: parse(crlfSource, 's.md') };
    const plan = planned(planClose({ source: src, target, date: '2026-03-10', cancelOpen: false, carryForwardTo: 'DOC-WP-0201' }));
    const [targetAfter, sourceAfter] = plan.files.map((f) => f.after);
    expect(sourceAfter!.startsWith('\uFEFF---\r\n')).toBe(true);
    expect(sourceAfter!.replace(/\r\n/g, '')).not.toContain('\n');
    // The copies come from a CRLF file into an LF one: they take the target's line endings.
    expect(targetAfter).not.toContain('\r');
    expect(parseWorkplan('s.md', sourceAfter!).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parseWorkplan('t.md', targetAfter!).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('reads the next free task number and the digit width', () => {
    expect(readTaskIdSequence(target.workplan)).toEqual({ next: 4, width: 2 });
  });
});
