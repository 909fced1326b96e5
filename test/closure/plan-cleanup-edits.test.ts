// planCleanupEdits: status lines to `cancelled` plus a record of the cleanup in the Closure Review —
// an addendum in a same-day review, a new review after earlier ones, or a full review when none exists.
import { describe, expect, it } from 'vitest';
import type { Workplan } from '../../src/model/workplan.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { applyTextEdits } from '../../src/writeback/apply-text-edits.js';
import { planCleanupEdits } from '../../src/writeback/plan-cleanup-edits.js';
import { readClosureFixture } from '../integration/support/closure-env.js';

const FIXTURE = readClosureFixture('completed-open-tasks');

function parse(text: string): Workplan {
  const r = parseWorkplan('workplans/x.md', text);
  if (!r.value) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

function clean(text: string, date: string) {
  const workplan = parse(text);
  const plan = planCleanupEdits(text, workplan, date)!;
  const after = applyTextEdits(text, plan.edits);
  const result = parseWorkplan('workplans/x.md', after);
  return { plan, after, result };
}

describe('planCleanupEdits', () => {
  it('after earlier reviews: the two status values and a new review of the day, and the file passes check', () => {
    const { plan, after, result } = clean(FIXTURE, '2026-03-10');
    expect(plan.record).toBe('new-review');
    expect(plan.cancelled.map((t) => [t.taskId, t.previousStatus])).toEqual([
      ['DOC-WP-0100-T02', 'todo'],
      ['DOC-WP-0100-T04', 'in_progress'],
    ]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const expected = FIXTURE.replace('status: todo', 'status: cancelled').replace('status: in_progress', 'status: cancelled');
    expect(after.startsWith(expected)).toBe(true);
    const addendum = after.slice(expected.length);
    expect(addendum).toBe(
      [
        '',
        '## Closure Review — 2026-03-10',
        '',
        '**Outcome:** Cleanup: 2 open tasks cancelled after the workplan was completed.',
        '',
        '### Cancelled in cleanup — 2026-03-10',
        '',
        '`workplan cleanup` cancelled 2 tasks that were still open in this completed workplan (`DOC-WP-0100-T02` was todo, `DOC-WP-0100-T04` was in_progress).',
        '',
        '- `DOC-WP-0100-T02` — Write the mirror',
        '- `DOC-WP-0100-T04` — Announce | broadcast',
        '',
      ].join('\n'),
    );
    const review = result.value!.closureReviews.at(-1)!;
    expect(review.entries.map((e) => [e.taskId, e.classification])).toEqual([
      ['DOC-WP-0100-T02', 'cancelled'],
      ['DOC-WP-0100-T04', 'cancelled'],
    ]);
  });

  it('a review of the same day gets an addendum subsection inside it, not a second review', () => {
    const { plan, result } = clean(FIXTURE, '2026-03-01');
    expect(plan.record).toBe('addendum-in-review');
    const reviews = result.value!.closureReviews;
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.entries.map((e) => [e.taskId, e.classification])).toEqual([
      ['DOC-WP-0100-T01', 'done'],
      ['DOC-WP-0100-T03', 'done'],
      ['DOC-WP-0100-T02', 'cancelled'],
      ['DOC-WP-0100-T04', 'cancelled'],
    ]);
  });

  it('without any review: a full generated review, so a completed workplan passes check', () => {
    const text = FIXTURE.slice(0, FIXTURE.indexOf('## Closure Review'));
    const before = parseWorkplan('workplans/x.md', text).diagnostics.map((d) => d.ruleId);
    expect(before).toEqual(expect.arrayContaining(['closure-review-missing', 'completed-with-open-tasks']));
    const { plan, result } = clean(text, '2026-03-10');
    expect(plan.record).toBe('full-review');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const review = result.value!.closureReviews[0]!;
    expect(review.outcome).toBe('2 of 4 tasks completed. No carry-forwards. 2 cancelled.');
    expect(review.entries.map((e) => [e.taskId, e.classification, e.note])).toEqual([
      ['DOC-WP-0100-T01', 'done', undefined],
      ['DOC-WP-0100-T02', 'cancelled', 'open (todo) at cleanup'],
      ['DOC-WP-0100-T03', 'done', undefined],
      ['DOC-WP-0100-T04', 'cancelled', 'open (in_progress) at cleanup'],
    ]);
  });

  it('keeps CRLF line endings and changes no other byte', () => {
    const crlf = FIXTURE.replace(/\n/g, '\r\n');
    const { after, result } = clean(crlf, '2026-03-10');
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(after.startsWith(crlf.replace('status: todo', 'status: cancelled').replace('status: in_progress', 'status: cancelled'))).toBe(
      true,
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('plans nothing for a workplan without open tasks', () => {
    const text = readClosureFixture('completed-clean');
    expect(planCleanupEdits(text, parse(text), '2026-03-10')).toBeUndefined();
  });
});
