// The file edits of `workplan cleanup` for one closed (completed or archived) workplan that still has
// open tasks (ADR-001: cleanup changes the file first). Pure; the date is passed in.
// - Each open task's `status:` value becomes `cancelled` (a line is inserted when it had none).
// - The cleanup is recorded in the Closure Review (docs/format.md, "Generated Closure Reviews"):
//     a review of the same date exists   → a `### Cancelled in cleanup — <date>` subsection is appended to it;
//     earlier reviews exist              → a new `## Closure Review — <date>` with that subsection, after them;
//     no review at all                   → a full generated review classifying every task (the open ones
//                                          cancelled), so a completed workplan passes `workplan check`.
// Nothing else changes: not `updated:`, not the frontmatter status.
import { OPEN_TASK_STATUSES } from '../model/config.js';
import type { TextEdit } from '../model/text-edit.js';
import type { Task, Workplan } from '../model/workplan.js';
import { listTasks } from '../model/workplan.js';
import { planTaskFieldEdit } from './plan-field-edit.js';
import {
  readTaskTitleMarkdown,
  renderCleanupAddendum,
  renderCleanupReview,
  renderClosureReview,
  type CleanupAddendumTask,
  type TaskClassification,
} from './render-closure-review.js';
import { findClosureReview, planClosureAddendumInsert, planClosureReviewInsert } from './plan-closure-review-insert.js';

const OPEN = new Set<string>(OPEN_TASK_STATUSES);

export type CleanupRecord = 'addendum-in-review' | 'new-review' | 'full-review';

export interface CleanupFilePlan {
  edits: TextEdit[];
  cancelled: CleanupAddendumTask[];
  /** How the cleanup was recorded in the Closure Review. */
  record: CleanupRecord;
}

/** Open tasks of a workplan, in file order. */
export function listOpenTasks(workplan: Workplan): Task[] {
  return listTasks(workplan).filter((t) => OPEN.has(t.status));
}

/** Plans the cleanup of one workplan; undefined when it has no open task. */
export function planCleanupEdits(text: string, workplan: Workplan, date: string): CleanupFilePlan | undefined {
  const open = listOpenTasks(workplan);
  if (open.length === 0) return undefined;
  const edits: TextEdit[] = open.flatMap((task) => planTaskFieldEdit(text, task, 'status', 'cancelled'));
  const cancelled = open.map((task) => ({ taskId: task.id, title: readTaskTitleMarkdown(task), previousStatus: task.status }));
  const status = workplan.frontmatter.data.status;
  const sameDay = findClosureReview(workplan, date);
  if (sameDay) {
    edits.push(planClosureAddendumInsert(text, workplan, sameDay, renderCleanupAddendum(date, status, cancelled)));
    return { edits, cancelled, record: 'addendum-in-review' };
  }
  if (workplan.closureReviews.length > 0) {
    edits.push(planClosureReviewInsert(text, workplan, date, renderCleanupReview(date, status, cancelled))!);
    return { edits, cancelled, record: 'new-review' };
  }
  const classifications: TaskClassification[] = listTasks(workplan).map((task) => {
    if (OPEN.has(task.status)) return { taskId: task.id, classification: 'cancelled', note: `open (${task.status}) at cleanup` };
    if (task.status === 'done') return { taskId: task.id, classification: 'done' };
    if (task.status === 'carried_forward') return { taskId: task.id, classification: 'carry_forward' };
    return { taskId: task.id, classification: 'cancelled' };
  });
  const n = open.length;
  const context =
    `Written by \`workplan cleanup\` on ${date}: the workplan was ${status} without a Closure Review while ` +
    `${n} task${n === 1 ? ' was' : 's were'} still open; ${n === 1 ? 'it was' : 'they were'} cancelled.`;
  const markdown = renderClosureReview({ date, workplan, classifications, context });
  edits.push(planClosureReviewInsert(text, workplan, date, markdown)!);
  return { edits, cancelled, record: 'full-review' };
}
