// Plans `workplan close`: every file edit of the Workstream Closure Protocol (ADR-001), computed
// before anything is written. Pure: the date is passed in; no filesystem, no clock.
//
// Source workplan:
//   - open tasks (todo, in_progress, blocked) become `cancelled` (--cancel-open) or `carried_forward`
//     (--carry-forward-to); without either, the plan is refused and lists them;
//   - frontmatter `status: completed`, `completed: <date>`, `updated: <date>` (values replaced in
//     place, keys inserted before the closing `---` when absent);
//   - a generated `## Closure Review — <date>` after the last review (or at the end), unless a review
//     of that date exists already (it is kept as written).
// Target workplan (carry-forward): one new `## Phase N — Carried forward from <ID>` after its last
// phase, holding a copy of each carried task with the next free task id, `status: todo`, the same
// priority, the description and a reference line `Carried forward from \`SRC-T03\` (SRC).`. A task
// whose copy is already there (found by that reference line) is not copied again, so re-running a
// close that was interrupted between the two files never duplicates tasks.
import { CLOSED_WORKSTREAM_STATUSES, OPEN_TASK_STATUSES } from '../model/config.js';
import type { TextEdit } from '../model/text-edit.js';
import type { Task, Workplan } from '../model/workplan.js';
import { listTasks } from '../model/workplan.js';
import { escapeRegExp } from '../parse/id-patterns.js';
import { applyTextEdits } from './apply-text-edits.js';
import { planFrontmatterFieldEdit, planTaskFieldEdit } from './plan-field-edit.js';
import { planSectionInsert } from './plan-section-insert.js';
import { planClosureReviewInsert } from './plan-closure-review-insert.js';
import { readTaskTitleMarkdown, renderClosureReview, type TaskClassification } from './render-closure-review.js';

const OPEN = new Set<string>(OPEN_TASK_STATUSES);
const CLOSED = new Set<string>([...CLOSED_WORKSTREAM_STATUSES, 'cancelled']);

export interface ParsedWorkplanFile {
  path: string;
  text: string;
  workplan: Workplan;
}

export interface ClosePlanInput {
  source: ParsedWorkplanFile;
  /** The carry-forward target, when `carryForwardTo` is given. */
  target?: ParsedWorkplanFile;
  date: string;
  cancelOpen: boolean;
  carryForwardTo?: string;
  context?: string;
}

export interface PlannedFile {
  path: string;
  before: string;
  after: string;
  edits: TextEdit[];
}

export interface CarriedTask {
  from: string;
  to: string;
  title: string;
  /** False when the target already held the copy (an earlier, interrupted close). */
  created: boolean;
}

export type ClosePlan =
  | {
      kind: 'refused';
      reason: 'open-tasks' | 'target-invalid';
      message: string;
      openTasks: Array<{ id: string; title: string; status: string }>;
    }
  | { kind: 'already-closed'; message: string }
  | {
      kind: 'planned';
      /** Target first (it is written first), then the source. Only files that change. */
      files: PlannedFile[];
      classifications: TaskClassification[];
      carried: CarriedTask[];
      /** False when a review of that date already existed and was kept. */
      reviewAdded: boolean;
    };

/** Computes the whole close; never touches a file. */
export function planClose(input: ClosePlanInput): ClosePlan {
  const { source, date } = input;
  const workplan = source.workplan;
  const id = workplan.frontmatter.data.id;
  const tasks = listTasks(workplan);
  const open = tasks.filter((t) => OPEN.has(t.status));
  if (workplan.frontmatter.data.status === 'completed' && open.length === 0 && workplan.closureReviews.length > 0) {
    const completed = workplan.frontmatter.data.completed;
    return {
      kind: 'already-closed',
      message: `${id} is already completed${completed ? ` (${completed})` : ''} with a Closure Review; nothing to do.`,
    };
  }
  const openList = open.map((t) => ({ id: t.id, title: t.title, status: t.status }));
  if (open.length > 0 && !input.cancelOpen && !input.carryForwardTo) {
    return {
      kind: 'refused',
      reason: 'open-tasks',
      message: `${id} has ${open.length} open task${open.length === 1 ? '' : 's'}; every task must be done, cancelled or carried forward before closing.`,
      openTasks: openList,
    };
  }
  const targetId = input.carryForwardTo;
  if (open.length > 0 && targetId && !input.cancelOpen) {
    const problem = checkTarget(id, targetId, input.target);
    if (problem) return { kind: 'refused', reason: 'target-invalid', message: problem, openTasks: openList };
  }

  // Classify every task.
  const carryOpen = open.length > 0 && !input.cancelOpen && targetId !== undefined;
  const previousTargets = new Map<string, string>();
  for (const review of workplan.closureReviews) {
    for (const e of review.entries) if (e.classification === 'carry_forward' && e.target) previousTargets.set(e.taskId, e.target);
  }
  const classifications: TaskClassification[] = tasks.map((task) => {
    if (OPEN.has(task.status)) {
      return carryOpen
        ? { taskId: task.id, classification: 'carry_forward', target: targetId! }
        : { taskId: task.id, classification: 'cancelled', note: `open (${task.status}) at closure` };
    }
    if (task.status === 'done') return { taskId: task.id, classification: 'done' };
    if (task.status === 'carried_forward') {
      const copiedInto =
        input.target && findCopy(input.target.workplan, task.id, id) ? input.target.workplan.frontmatter.data.id : undefined;
      const target = previousTargets.get(task.id) ?? copiedInto;
      return target ? { taskId: task.id, classification: 'carry_forward', target } : { taskId: task.id, classification: 'carry_forward' };
    }
    return { taskId: task.id, classification: 'cancelled' };
  });

  const files: PlannedFile[] = [];
  const carried: CarriedTask[] = [];
  if (carryOpen && input.target) {
    const planned = planCarryForward(input.target, open, id);
    carried.push(...planned.carried);
    if (planned.edits.length > 0) files.push(toPlannedFile(input.target, planned.edits));
  }

  const edits: TextEdit[] = [];
  for (const task of open) edits.push(...planTaskFieldEdit(source.text, task, 'status', carryOpen ? 'carried_forward' : 'cancelled'));
  const fm = workplan.frontmatter;
  edits.push(...planFrontmatterFieldEdit(source.text, fm, 'status', 'completed'));
  edits.push(...planFrontmatterFieldEdit(source.text, fm, 'completed', date));
  edits.push(...planFrontmatterFieldEdit(source.text, fm, 'updated', date));
  const review = renderClosureReview({ date, workplan, classifications, ...(input.context ? { context: input.context } : {}) });
  const reviewEdit = planClosureReviewInsert(source.text, workplan, date, review);
  if (reviewEdit) edits.push(reviewEdit);
  const sourceFile = toPlannedFile(source, edits);
  if (sourceFile.after !== sourceFile.before) files.push(sourceFile);
  return { kind: 'planned', files, classifications, carried, reviewAdded: reviewEdit !== undefined };
}

function checkTarget(sourceId: string, targetId: string, target: ParsedWorkplanFile | undefined): string | undefined {
  if (targetId === sourceId) return `Cannot carry ${sourceId}'s open tasks forward into ${sourceId} itself; name another workplan.`;
  if (!target) return `No workplan with id ${targetId} was found to carry the open tasks forward into.`;
  const status = target.workplan.frontmatter.data.status;
  if (CLOSED.has(status)) {
    return `${targetId} is ${status}; open tasks can only be carried forward into a workplan that is not closed.`;
  }
  return undefined;
}

/** The target's task that is a copy of `taskId` (by its reference line), if any. */
function findCopy(target: Workplan, taskId: string, sourceId: string): Task | undefined {
  const reference = new RegExp(`Carried forward from \`${escapeRegExp(taskId)}\` \\(${escapeRegExp(sourceId)}\\)`);
  return listTasks(target).find((t) => reference.test(t.description));
}

/** The reference line a carried task's copy ends with. */
export function renderCarryForwardReference(taskId: string, sourceId: string): string {
  return `Carried forward from \`${taskId}\` (${sourceId}).`;
}

function planCarryForward(
  target: ParsedWorkplanFile,
  tasks: readonly Task[],
  sourceId: string,
): { edits: TextEdit[]; carried: CarriedTask[] } {
  const workplan = target.workplan;
  const targetId = workplan.frontmatter.data.id;
  const carried: CarriedTask[] = [];
  const { next, width } = readTaskIdSequence(workplan);
  let number = next;
  const phaseNumber = Math.max(0, ...workplan.phases.map((p) => p.number)) + 1;
  const blocks: string[] = [];
  let index = 0;
  for (const task of tasks) {
    const existing = findCopy(workplan, task.id, sourceId);
    const title = readTaskTitleMarkdown(task) || task.id;
    if (existing) {
      carried.push({ from: task.id, to: existing.id, title: task.title, created: false });
      continue;
    }
    const newId = `${targetId}-T${String(number++).padStart(width, '0')}`;
    index++;
    const lines = [`### P${phaseNumber}.${index} — ${title}`, '', `id: ${newId}`, 'status: todo', `priority: ${task.priority}`, ''];
    if (task.description.trim() !== '') lines.push(task.description, '');
    lines.push(renderCarryForwardReference(task.id, sourceId));
    blocks.push(lines.join('\n'));
    carried.push({ from: task.id, to: newId, title: task.title, created: true });
  }
  if (blocks.length === 0) return { edits: [], carried };
  const markdown = [`## Phase ${phaseNumber} — Carried forward from ${sourceId}`, ...blocks].join('\n\n');
  return { edits: [planSectionInsert(target.text, findNewPhaseOffset(workplan, target.text), markdown, workplan.eol)], carried };
}

/** After the last phase; without phases, before the Notes or Closure Review section, else at the end. */
function findNewPhaseOffset(workplan: Workplan, text: string): number {
  const last = workplan.phases[workplan.phases.length - 1];
  if (last) return last.span.end.offset;
  const later = workplan.sections.find((s) => s.kind === 'notes' || s.kind === 'closure-review');
  return later ? later.span.start.offset : text.length;
}

/** The next free `<ID>-T<n>` number and the digit width the workplan uses (at least 2). */
export function readTaskIdSequence(workplan: Workplan): { next: number; width: number } {
  const re = new RegExp(`^${escapeRegExp(workplan.frontmatter.data.id)}-T(\\d+)$`);
  let max = 0;
  let width = 2;
  for (const task of listTasks(workplan)) {
    const m = re.exec(task.id);
    if (!m) continue;
    max = Math.max(max, Number(m[1]));
    width = Math.max(width, m[1]!.length);
  }
  return { next: max + 1, width };
}

function toPlannedFile(file: ParsedWorkplanFile, edits: TextEdit[]): PlannedFile {
  return { path: file.path, before: file.text, after: applyTextEdits(file.text, edits), edits };
}
