// `workplan set <TASK-ID> status=… priority=…` (and the MCP tool set_task_status): a surgical edit of
// the task's metadata lines in its workplan file, then a sync of that file. Only the value bytes of
// `status:` / `priority:` change (a missing key gets one new line). Orchestration only.
import type { SetTaskInput } from '../model/edit-input.js';
import type { EditView } from '../model/edit-views.js';
import { listTasks } from '../model/workplan.js';
import { parseWorkplan } from '../parse/workplan.js';
import { applyTextEdits } from '../writeback/apply-text-edits.js';
import { planTaskUpdate } from '../writeback/plan-task-update.js';
import { completeEdit, elementAt, refusedEdit, unchangedEdit } from './edit-outcome.js';
import { locateWorkplan } from './locate-workplan.js';
import type { PlanContext } from './plan-context.js';

/** Sets a task's status and/or priority in its file, then syncs the file. */
export async function setTask(ctx: PlanContext, input: SetTaskInput): Promise<EditView> {
  const located = await locateWorkplan(ctx.source, ctx.config, { taskId: input.task });
  if (located.kind === 'ambiguous') {
    return refusedEdit(
      'set-task',
      'ambiguous',
      `Task ${input.task} is declared in ${located.paths.join(' and ')}; give one of them another id. Nothing was written.`,
    );
  }
  if (located.kind === 'not-found' || !located.task) {
    const unparsable =
      located.kind === 'not-found' && located.unparsable.length > 0
        ? ` (${located.unparsable.join(', ')} mention it but could not be parsed; "workplan check" says why)`
        : '';
    return refusedEdit(
      'set-task',
      'not-found',
      `No task with id ${input.task} was found in the workplans${unparsable}. Nothing was written.`,
    );
  }
  const { file, task } = located;
  const { edits, changes } = planTaskUpdate(file.text, task, { status: input.status, priority: input.priority });
  const element = elementAt('task', task.id, file.path, task.heading.span.start.line);
  if (edits.length === 0) {
    const now = [input.status !== undefined ? `status ${task.status}` : '', input.priority !== undefined ? `priority ${task.priority}` : '']
      .filter(Boolean)
      .join(', ');
    return unchangedEdit('set-task', `${task.id} already has ${now}; nothing was written.`, element);
  }
  const after = applyTextEdits(file.text, edits);
  // The edit must do exactly what was asked: the task, re-read from the result, has the new values.
  const reread = listTasks(parseWorkplan(file.path, after, ctx.config).value ?? file.workplan).find((t) => t.id === task.id);
  const wrong = changes.filter((c) => reread?.[c.field] !== c.to);
  if (wrong.length > 0) {
    return refusedEdit(
      'set-task',
      'invalid-result',
      `The edit of ${task.id} would not read back as ${wrong.map((c) => `${c.field} ${c.to}`).join(', ')}, so it was refused (please report this). Nothing was written.`,
    );
  }
  return completeEdit(ctx, {
    operation: 'set-task',
    changes: [{ path: file.path, before: file.text, after, expectedHash: file.hash }],
    element,
    describe: `${task.id}: ${changes.map((c) => `${c.field} ${c.from} → ${c.to}`).join(', ')}`,
    errorsBefore: file.diagnostics.filter((d) => d.severity === 'error'),
    dryRun: input.dryRun,
  });
}
