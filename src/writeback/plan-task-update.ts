// Plans `workplan set <TASK-ID> status=… priority=…`: the value bytes of the task's `status:` and
// `priority:` lines are replaced (a missing key is inserted as one line after the task's last metadata
// line, in the block's own form). Pure: no filesystem; never re-serialises the metadata block. A value
// already equal (after normalisation: `wip` is `in_progress`) is left alone, so the edit of a task
// already in that state is empty.
import type { TextEdit } from '../model/text-edit.js';
import type { Task } from '../model/workplan.js';
import { planTaskFieldEdit } from './plan-field-edit.js';

export interface TaskUpdate {
  /** Canonical values to write (already validated against the vocabularies). */
  status?: string | undefined;
  priority?: string | undefined;
}

/** The edits that give `task` the new status and priority, and what actually changes. */
export function planTaskUpdate(
  text: string,
  task: Task,
  update: TaskUpdate,
): { edits: TextEdit[]; changes: Array<{ field: 'status' | 'priority'; from: string; to: string }> } {
  const edits: TextEdit[] = [];
  const changes: Array<{ field: 'status' | 'priority'; from: string; to: string }> = [];
  if (update.status !== undefined && update.status !== task.status) {
    edits.push(...planTaskFieldEdit(text, task, 'status', update.status));
    changes.push({ field: 'status', from: task.status, to: update.status });
  }
  if (update.priority !== undefined && update.priority !== task.priority) {
    edits.push(...planTaskFieldEdit(text, task, 'priority', update.priority));
    changes.push({ field: 'priority', from: task.priority, to: update.priority });
  }
  return { edits, changes };
}
