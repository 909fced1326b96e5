// Write-back fidelity (shared/RELIABILITY.md, "Markdown fidelity"): for random workplans in random
// formatting (CRLF/LF, BOM, tabs and trailing spaces, no final newline, non-ASCII, setext headings,
// every metadata form, status aliases), every write-back operation changes exactly the bytes it
// means to and nothing else:
//   - a task status edit (planTaskFieldEdit): the value bytes, or one whole inserted line;
//   - a frontmatter field edit (planFrontmatterFieldEdit): the value bytes, or one whole line;
//   - a Closure Review insert (planClosureReviewInsert): one block of whole lines, nothing removed;
//   - the close with carry-forward (planClose): status values + three frontmatter keys + the review
//     in the source, one inserted phase in the target;
//   - id assignment as the sync does it (prepareFile's placeholder edits): only whole id lines.
// Each check is byte-exact against an oracle independent of the writer (the original text with the
// expected splice), and the re-parsed model equals the original one except for the edited value.
// test/writeback/* holds the unit tests and the planIdAssignment property on hand-written texts;
// these properties add the parser-printed generator, the other operations and the sync's path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareFile, PLACEHOLDER_UUID } from '../../src/reconcile/prepare-file.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { hashText } from '../../src/model/content-hash.js';
import { listTasks, type Workplan } from '../../src/model/workplan.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { applyTextEdits } from '../../src/writeback/apply-text-edits.js';
import { planClose } from '../../src/writeback/plan-close.js';
import { planClosureReviewInsert } from '../../src/writeback/plan-closure-review-insert.js';
import { planFrontmatterFieldEdit, planTaskFieldEdit } from '../../src/writeback/plan-field-edit.js';
import { planIdAssignment } from '../../src/writeback/plan-id-assignment.js';
import { renderClosureReview } from '../../src/writeback/render-closure-review.js';
import { printWorkplan, workplanSpecArbitrary } from '../support/print-workplan.js';
import { counterUuids, splitKeepingBreaks } from '../writeback/support/inserted-lines.js';
import { projectWorkplan } from '../writeback/support/model-projection.js';
import { workplanTextArb } from '../writeback/support/workplan-text-arbitrary.js';
import { countNote, scenarioFigures } from './support/figures.js';
import { budgetMs, iterations } from './support/level.js';

const TIMEOUT = budgetMs(60_000, 1_800_000);

const figures = scenarioFigures('writeback-fidelity');
const RUNS = iterations(60, 2_000);

/** Random valid workplan texts from both generators (printed from a spec, or written by hand). */
const workplanText = fc.oneof(
  workplanSpecArbitrary.filter((s) => s.status !== 'completed').map(printWorkplan),
  workplanTextArb.map((g) => g.text),
);

function parse(text: string): Workplan {
  const result = parseWorkplan('workplans/gen.md', text);
  if (!result.value) throw new Error(`did not parse: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  return result.value;
}

/** Everything user-visible in the model but `omit`'s parts. */
function projection(workplan: Workplan, omit: { taskStatusOf?: string; frontmatterKey?: string; reviews?: boolean } = {}) {
  const p = projectWorkplan(workplan);
  if (omit.frontmatterKey) delete (p.data as Record<string, unknown>)[omit.frontmatterKey];
  for (const phase of p.phases) for (const t of phase.tasks) if (t.id === omit.taskStatusOf) t.status = '<edited>';
  if (omit.reviews) {
    p.closureReviews = [];
    p.sections = p.sections.filter((s) => s.kind !== 'closure-review');
  }
  return p;
}

/** `after` is `before` with `inserted` put in at `at` — and `at` is a line boundary. */
function expectPureInsertion(before: string, after: string, label: string): { at: number; inserted: string } {
  let at = 0;
  while (at < before.length && before[at] === after[at]) at++;
  // Back up to the start of the line: the inserted text may begin with the same characters.
  const inserted = after.slice(at, at + after.length - before.length);
  const ok = after === before.slice(0, at) + inserted + before.slice(at);
  if (!ok) figures.bytesLost += Math.abs(after.length - before.length) || 1;
  expect(ok, `${label}: not a pure insertion`).toBe(true);
  return { at, inserted };
}

/**
 * Lines of `before` not in `after` and lines of `after` not in `before` (LCS over whole lines with
 * their breaks). A last line without a break gets the file's break first in both texts: adding a
 * line after it has to end it, and that is not a change of the line.
 */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const eol = eolOf(before);
  const terminate = (t: string) => (t === '' || /[\r\n]$/.test(t) ? t : t + eol);
  const a = splitKeepingBreaks(terminate(before));
  const b = splitKeepingBreaks(terminate(after));
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) removed.push(a[i++]!);
    else added.push(b[j++]!);
  }
  removed.push(...a.slice(i));
  added.push(...b.slice(j));
  return { removed, added };
}

const eolOf = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n');

describe('write-back changes exactly the intended bytes', () => {
  it(
    `a task status edit replaces only the value bytes, or inserts one whole line (${RUNS} workplans)`,
    () => {
      fc.assert(
        fc.property(
          workplanText,
          fc.nat(),
          fc.constantFrom('in_progress', 'blocked', 'done', 'cancelled', 'carried_forward'),
          (text, pick, status) => {
            const before = parse(text);
            const tasks = listTasks(before);
            fc.pre(tasks.length > 0);
            const task = tasks[pick % tasks.length]!;
            const field = task.metadata.fields.find((f) => f.key === 'status');
            const after = applyTextEdits(text, planTaskFieldEdit(text, task, 'status', status));
            figures.cases++;
            if (field) {
              // The oracle: the original text with the value span spliced; the new value, maybe in the old quotes.
              const start = field.valueSpan.start.offset;
              const end = field.valueSpan.end.offset;
              const written = after.slice(start, after.length - (text.length - end));
              expect(after, 'bytes outside the value').toBe(text.slice(0, start) + written + text.slice(end));
              expect(written).toMatch(new RegExp(`^(["']?)${status}\\1$`));
              countNote(figures, 'status values replaced in place');
            } else {
              const { inserted } = expectPureInsertion(text, after, 'status insert');
              // Written like the block's last field line (its indentation, list marker and separator).
              expect(inserted.replace(/^\r?\n/, '').replace(/\r?\n$/, '')).toMatch(
                new RegExp(`^[ \\t]*(?:[-*+][ \\t]+)?status:[ \\t]+${status}$`),
              );
              expect(inserted.replace(/[^\r\n]/g, '')).toBe(eolOf(text));
              countNote(figures, 'status lines inserted');
            }
            const reparsed = parse(after);
            expect(listTasks(reparsed).find((t) => t.id === task.id)?.status).toBe(status);
            expect(projection(reparsed, { taskStatusOf: task.id })).toEqual(projection(before, { taskStatusOf: task.id }));
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    `a frontmatter field edit replaces only the value bytes, or inserts one whole line before the closing --- (${RUNS} workplans)`,
    () => {
      const free = fc.constantFrom('Ünïcödé — “quoted”', 'a: b', 'yes', '#hash', "it's", 'x y', 'say "hi"', ' padded ', '2031-05-06');
      const edit = fc.oneof(
        fc.tuple(fc.constant('status'), fc.constantFrom('planned', 'blocked', 'draft')),
        fc.tuple(fc.constantFrom('completed', 'updated', 'created'), fc.constantFrom('2031-05-06', '2026-02-28')),
        fc.tuple(fc.constantFrom('title', 'owner', 'reviewer'), free),
      );
      fc.assert(
        fc.property(workplanText, edit, (text, [k, v]) => {
          const before = parse(text);
          const field = before.frontmatter.fields.find((f) => f.key === k);
          const after = applyTextEdits(text, planFrontmatterFieldEdit(text, before.frontmatter, k, v));
          figures.cases++;
          if (field) {
            const start = field.valueSpan.start.offset;
            const end = field.valueSpan.end.offset;
            const written = after.slice(start, after.length - (text.length - end));
            expect(after).toBe(text.slice(0, start) + written + text.slice(end));
            expect(written).not.toMatch(/[\r\n]/);
            countNote(figures, 'frontmatter values replaced in place');
          } else {
            const { at, inserted } = expectPureInsertion(text, after, 'frontmatter insert');
            expect(at).toBe(before.frontmatter.bodyEnd);
            expect(inserted.endsWith(eolOf(text))).toBe(true);
            expect(inserted.slice(0, -eolOf(text).length)).not.toMatch(/[\r\n]/);
            countNote(figures, 'frontmatter lines inserted');
          }
          const reparsed = parse(after);
          const data = reparsed.frontmatter.data;
          const read = k === 'reviewer' ? data.extra.reviewer : (data as unknown as Record<string, unknown>)[k];
          expect(read).toBe(v);
          expect(reparsed.frontmatter.fields.map((f) => f.key).filter((x) => x !== k)).toEqual(
            before.frontmatter.fields.map((f) => f.key).filter((x) => x !== k),
          );
          expect(projection(reparsed, { frontmatterKey: k })).toMatchObject({
            ...projection(before, { frontmatterKey: k }),
            data: expect.anything(),
          });
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    `a Closure Review insert adds one block of whole lines and removes nothing (${RUNS} workplans)`,
    () => {
      fc.assert(
        fc.property(workplanText, (text) => {
          const before = parse(text);
          const date = '2031-05-06';
          const classifications = listTasks(before).map((t) => ({
            taskId: t.id,
            classification: t.status === 'done' ? ('done' as const) : ('cancelled' as const),
          }));
          const markdown = renderClosureReview({ date, workplan: before, classifications });
          const edit = planClosureReviewInsert(text, before, date, markdown);
          expect(edit).toBeDefined();
          const after = applyTextEdits(text, [edit!]);
          figures.cases++;
          const { at, inserted } = expectPureInsertion(text, after, 'review insert');
          expect(at === text.length || /^(\r?\n|$)/.test(text.slice(at - 1, at + 1)) || text[at - 1] === '\n').toBe(true);
          // Every line of the rendered review is there, with the file's line breaks.
          const eol = eolOf(text);
          for (const line of markdown.trimEnd().split('\n')) expect(inserted).toContain(line === '' ? eol : `${line}${eol}`);
          if (eol === '\r\n') expect(inserted.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
          const reparsed = parse(after);
          expect(reparsed.closureReviews.map((r) => r.date)).toContain(date);
          expect(projection(reparsed, { reviews: true })).toEqual(projection(before, { reviews: true }));
          countNote(figures, 'closure reviews inserted');
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    `a close with carry-forward edits only status values, three frontmatter keys and the review in the source, and only inserts into the target (${Math.ceil(RUNS / 2)} pairs)`,
    () => {
      const openSpec = workplanSpecArbitrary.filter((s) => s.status === 'active' && s.phases.some((p) => p.tasks.length > 0));
      fc.assert(
        fc.property(openSpec, openSpec, (sourceSpec, targetSpec) => {
          fc.pre(sourceSpec.id !== targetSpec.id);
          const sourceText = printWorkplan(sourceSpec);
          const targetText = printWorkplan(targetSpec);
          const source = parse(sourceText);
          const target = parse(targetText);
          const open = listTasks(source).filter((t) => ['todo', 'in_progress', 'blocked'].includes(t.status));
          fc.pre(open.length > 0);
          const plan = planClose({
            source: { path: 'workplans/s.md', text: sourceText, workplan: source },
            target: { path: 'workplans/t.md', text: targetText, workplan: target },
            date: '2031-05-06',
            cancelOpen: false,
            carryForwardTo: target.frontmatter.data.id,
          });
          expect(plan.kind).toBe('planned');
          if (plan.kind !== 'planned') return;
          figures.cases++;
          const sourceAfter = plan.files.find((f) => f.path === 'workplans/s.md')!.after;
          const targetAfter = plan.files.find((f) => f.path === 'workplans/t.md')!.after;

          // Target: one inserted block; every original byte kept.
          const { inserted } = expectPureInsertion(targetText, targetAfter, 'carry-forward target');
          expect(inserted).toContain(`Carried forward from ${sourceSpec.id}`);
          const targetReparsed = parse(targetAfter);
          const oldTargetTasks = listTasks(target).map((t) => t.id);
          expect(
            listTasks(targetReparsed)
              .map((t) => t.id)
              .slice(0, oldTargetTasks.length),
          ).toEqual(oldTargetTasks);
          expect(listTasks(targetReparsed).length).toBe(oldTargetTasks.length + open.length);

          // Source: only status lines (open tasks), status/completed/updated frontmatter lines and the review.
          const { removed, added } = lineDiff(sourceText, sourceAfter);
          const allowedKey = /^(\s*(?:[-*+]\s+)?)(status|completed|updated)(\s*:\s*)/;
          for (const line of removed) expect(line, 'a removed line').toMatch(allowedKey);
          const addedOutsideReview = added.filter(
            (l) => !/^(## Closure Review|\*\*Outcome|\||### (Completed|Cancelled|Carry-forward)|- `|None\.|\r?\n$)/.test(l),
          );
          for (const line of addedOutsideReview) expect(line, 'an added line').toMatch(allowedKey);
          // Each replaced line differs from its original only in the value.
          for (const line of removed) {
            const prefix = allowedKey.exec(line)![0];
            expect(
              added.some((l) => l.startsWith(prefix)),
              `no replacement for ${JSON.stringify(line)}`,
            ).toBe(true);
          }
          const sourceReparsed = parse(sourceAfter);
          const after = new Map(listTasks(sourceReparsed).map((t) => [t.id, t.status]));
          for (const t of listTasks(source)) expect(after.get(t.id)).toBe(open.includes(t) ? 'carried_forward' : t.status);
          expect(sourceReparsed.frontmatter.data).toMatchObject({ status: 'completed', completed: '2031-05-06', updated: '2031-05-06' });
          expect(sourceReparsed.closureReviews.map((r) => r.date)).toContain('2031-05-06');
          countNote(figures, 'carry-forward closes planned', 1);
        }),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    },
    TIMEOUT,
  );

  it(
    `the sync's id write-back (placeholder edits from prepareFile) inserts only whole id lines (${RUNS} workplans)`,
    () => {
      fc.assert(
        fc.property(workplanText, (text) => {
          const bytes = Buffer.from(text, 'utf8');
          const prepared = prepareFile({ path: 'workplans/gen.md', kind: 'workplan', bytes, hash: hashText(text) }, DEFAULT_CONFIG);
          expect(prepared.kind).toBe('workplan');
          if (prepared.kind !== 'workplan') return;
          figures.cases++;
          const ids = counterUuids();
          const edits = prepared.pendingIds.map((p) => ({ ...p.edit, text: p.edit.text.replace(PLACEHOLDER_UUID, ids()) }));
          const after = applyTextEdits(text, edits);
          // The same bytes as the writer's own planner with the same ids, and only whole lines added.
          expect(after).toBe(applyTextEdits(text, planIdAssignment(parse(text), text, counterUuids()).edits));
          const { removed, added } = lineDiff(text, after);
          expect(removed).toEqual([]);
          for (const line of added)
            expect(line.replace(/^\r?\n/, '')).toMatch(
              /^[ \t]*(?:[-*+][ \t]+)?(?:\*\*)?state_hub_(workstream|task|dependency)_id:(?:\*\*)?[ \t]+[0-9a-f-]{36}(\r?\n)?$/,
            );
          expect(projection(parse(after))).toEqual(projection(parse(text)));
          countNote(figures, 'ids written back', edits.length);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
