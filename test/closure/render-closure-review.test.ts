// The generated Closure Review: the seed's structure, read back by the parser into the entries it was
// rendered from, inserted surgically and at most once per date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTasks, type Workplan } from '../../src/model/workplan.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { applyTextEdits } from '../../src/writeback/apply-text-edits.js';
import { planClosureReviewInsert } from '../../src/writeback/plan-closure-review-insert.js';
import { formatOutcome, renderClosureReview, type TaskClassification } from '../../src/writeback/render-closure-review.js';
import { CLOSURE_FIXTURES, SEED, readClosureFixture } from '../integration/support/closure-env.js';

const seedText = readFileSync(SEED, 'utf8');
const seed = parse(seedText);
const allDone = listTasks(seed).map((t): TaskClassification => ({ taskId: t.id, classification: 'done' }));

function parse(text: string, path = 'workplans/x.md'): Workplan {
  const result = parseWorkplan(path, text);
  if (!result.value) throw new Error(JSON.stringify(result.diagnostics));
  return result.value;
}

function lines(section: string, from: RegExp): string[] {
  const all = section.split('\n');
  const start = all.findIndex((l) => from.test(l));
  const out: string[] = [];
  for (const l of all.slice(start + 1)) {
    if (/^#{2,3} /.test(l)) break;
    if (l.startsWith('- ')) out.push(l);
  }
  return out;
}

describe('renderClosureReview', () => {
  const generated = renderClosureReview({ date: '2026-03-02', workplan: seed, classifications: allDone });
  const seedSection = readFileSync(join(CLOSURE_FIXTURES, 'seed-review', 'seed-section.md'), 'utf8');

  it("reproduces the seed review's heading, Outcome line and Completed items exactly", () => {
    expect(generated.split('\n')[0]).toBe(seedSection.split('\n')[0]);
    const outcome = (s: string) => s.split('\n').find((l) => l.startsWith('**Outcome:**'));
    expect(outcome(generated)).toBe(outcome(seedSection));
    expect(outcome(generated)).toBe('**Outcome:** All 11 tasks completed. No carry-forwards. No dropped tasks.');
    expect(lines(generated, /^### Completed/)).toEqual(lines(seedSection, /^### Completed/));
    expect(lines(generated, /^### Completed/)).toHaveLength(11);
  });

  it('adds a classification table with one row per task, in file order', () => {
    const rows = generated.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(11);
    expect(rows[0]).toBe('| `CUST-WP-0005-T01` | Create `domains` table + Alembic migration | done | |');
  });

  it('matches the golden file (UPDATE_FIXTURES=1 regenerates it)', () => {
    const golden = join(CLOSURE_FIXTURES, 'seed-review', 'generated.md');
    if (process.env.UPDATE_FIXTURES === '1' || !existsSync(golden)) writeFileSync(golden, generated);
    expect(generated).toBe(readFileSync(golden, 'utf8'));
  });

  it('parses back to the same entries as the seed review (11 done), once each although table and list both name them', () => {
    const text = seedText.slice(0, seedText.indexOf('## Closure Review')) + generated;
    const reparsed = parse(text);
    const [review] = reparsed.closureReviews;
    expect(review!.outcome).toBe('All 11 tasks completed. No carry-forwards. No dropped tasks.');
    expect(review!.entries.map((e) => [e.taskId, e.title, e.classification])).toEqual(
      seed.closureReviews[0]!.entries.map((e) => [e.taskId, e.title, e.classification]),
    );
  });

  it('render → insert → parse gives exactly the classified entries, with targets and notes', () => {
    const text = readClosureFixture('close-source');
    const workplan = parse(text);
    const classifications: TaskClassification[] = [
      { taskId: 'DOC-WP-0200-T01', classification: 'done' },
      { taskId: 'DOC-WP-0200-T02', classification: 'carry_forward', target: 'DOC-WP-0201' },
      { taskId: 'DOC-WP-0200-T03', classification: 'cancelled', note: 'superseded by the importer in v2' },
      { taskId: 'DOC-WP-0200-T04', classification: 'carry_forward', target: 'DOC-WP-0201', note: 'phase 2 there' },
      { taskId: 'DOC-WP-0200-T05', classification: 'cancelled' },
    ];
    const markdown = renderClosureReview({ date: '2026-03-10', workplan, classifications, context: 'Shipped v1.\nThe rest moves to v2.' });
    const edit = planClosureReviewInsert(text, workplan, '2026-03-10', markdown)!;
    const after = applyTextEdits(text, [edit]);
    const result = parseWorkplan('workplans/x.md', after);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const review = result.value!.closureReviews.at(-1)!;
    expect(review.date).toBe('2026-03-10');
    expect(review.outcome).toBe('1 of 5 tasks completed. 2 carried forward to DOC-WP-0201. 2 cancelled.');
    expect(review.context).toBe('Shipped v1. The rest moves to v2.');
    const titles = new Map(listTasks(workplan).map((t) => [t.id, t.title]));
    expect(
      review.entries.map((e) => ({ taskId: e.taskId, title: e.title, classification: e.classification, target: e.target, note: e.note })),
    ).toEqual(
      classifications.map((c) => ({
        taskId: c.taskId,
        title: titles.get(c.taskId),
        classification: c.classification,
        target: c.target,
        note: c.note,
      })),
    );
    // Only inserted bytes: the original is a prefix (the review goes at the end of this file).
    expect(after.startsWith(text)).toBe(true);
  });

  it('is inserted after the last existing review, before a section that follows it, touching no other byte', () => {
    const text = `${readClosureFixture('completed-clean')}\n## Appendix\n\nLater notes.\n`;
    const workplan = parse(text);
    const markdown = renderClosureReview({
      date: '2026-02-01',
      workplan,
      classifications: [
        { taskId: 'DOC-WP-0300-T01', classification: 'done' },
        { taskId: 'DOC-WP-0300-T02', classification: 'cancelled' },
      ],
    });
    const edit = planClosureReviewInsert(text, workplan, '2026-02-01', markdown)!;
    expect(edit.start).toBe(text.indexOf('## Appendix'));
    expect(edit.end).toBe(edit.start);
    const after = applyTextEdits(text, [edit]);
    expect(after.slice(0, edit.start)).toBe(text.slice(0, edit.start));
    expect(after.slice(after.length - (text.length - edit.start))).toBe(text.slice(edit.start));
    expect(parse(after).closureReviews.map((r) => r.date)).toEqual(['2026-01-30', '2026-02-01']);
  });

  it('plans no second review for a date that already has one', () => {
    const text = readClosureFixture('completed-clean');
    expect(planClosureReviewInsert(text, parse(text), '2026-01-30', '## Closure Review — 2026-01-30\n')).toBeUndefined();
  });

  it('keeps CRLF line endings', () => {
    const crlf = readClosureFixture('completed-clean').replace(/\n/g, '\r\n');
    const workplan = parse(crlf);
    const markdown = renderClosureReview({
      date: '2026-02-01',
      workplan,
      classifications: [
        { taskId: 'DOC-WP-0300-T01', classification: 'done' },
        { taskId: 'DOC-WP-0300-T02', classification: 'cancelled' },
      ],
    });
    const after = applyTextEdits(crlf, [planClosureReviewInsert(crlf, workplan, '2026-02-01', markdown)!]);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(parse(after).closureReviews).toHaveLength(2);
  });

  it('refuses a task without a classification', () => {
    expect(() => renderClosureReview({ date: '2026-03-02', workplan: seed, classifications: allDone.slice(1) })).toThrow(
      /CUST-WP-0005-T01/,
    );
  });
});

describe('formatOutcome', () => {
  const c = (classification: TaskClassification['classification'], target?: string): TaskClassification => ({
    taskId: 'x',
    classification,
    ...(target ? { target } : {}),
  });
  it.each([
    [[c('done'), c('done')], 'All 2 tasks completed. No carry-forwards. No dropped tasks.'],
    [
      [...Array(9).fill(c('done')), c('carry_forward', 'CUST-WP-0007'), c('cancelled')],
      '9 of 11 tasks completed. 1 carried forward to CUST-WP-0007. 1 cancelled.',
    ],
    [
      [c('carry_forward', 'A-WP-1'), c('carry_forward', 'B-WP-2'), c('carry_forward')],
      '0 of 3 tasks completed. 3 carried forward to A-WP-1 and B-WP-2. No dropped tasks.',
    ],
    [[], 'No tasks. No carry-forwards. No dropped tasks.'],
  ])('%#: counts each class', (classes, expected) => {
    expect(formatOutcome(classes)).toBe(expected);
  });
});
