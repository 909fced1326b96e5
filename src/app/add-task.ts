// `workplan add-task <WORKPLAN-ID> --phase N --title …` (and the MCP tool add_task): one new task
// section inserted at the end of the phase, written like the file's other tasks, then a sync of the
// file (which assigns the task's mirror id and writes it back). Orchestration only.
import type { AddTaskInput } from '../model/edit-input.js';
import type { EditView } from '../model/edit-views.js';
import { listTasks } from '../model/workplan.js';
import { parseWorkplan } from '../parse/workplan.js';
import { applyTextEdits } from '../writeback/apply-text-edits.js';
import { planTaskInsert } from '../writeback/plan-task-insert.js';
import { completeEdit, elementAt, refusedEdit } from './edit-outcome.js';
import { locateWorkplan } from './locate-workplan.js';
import type { PlanContext } from './plan-context.js';

/** Adds a task to a phase of a workplan (creating the phase when a title for it is given). */
export async function addTask(ctx: PlanContext, input: AddTaskInput): Promise<EditView> {
  const located = await locateWorkplan(ctx.source, ctx.config, { workplanId: input.workplan });
  if (located.kind === 'ambiguous') {
    return refusedEdit(
      'add-task',
      'ambiguous',
      `Workplan ${input.workplan} is declared in ${located.paths.join(' and ')}; give one of them another id. Nothing was written.`,
    );
  }
  if (located.kind === 'not-found') {
    return refusedEdit('add-task', 'not-found', `No workplan with id ${input.workplan} was found. Nothing was written.`);
  }
  const { file } = located;
  const vocabularies = ctx.config.vocabularies;
  const status = input.status ?? vocabularies.taskStatus.default;
  const priority = input.priority ?? vocabularies.priority.default;
  const plan = planTaskInsert(file.text, file.workplan, {
    phase: input.phase,
    phaseTitle: input.phaseTitle,
    title: input.title,
    status,
    priority,
    description: input.description,
  });
  if (plan.kind === 'phase-not-found') {
    const phases = plan.phases.length > 0 ? `its phases are ${plan.phases.join(', ')}` : 'it has no phases yet';
    return refusedEdit(
      'add-task',
      'not-found',
      `${input.workplan} has no phase ${input.phase} (${phases}); give a phase title to create it. Nothing was written.`,
    );
  }
  const after = applyTextEdits(file.text, [plan.edit]);
  // Exactly one task more, the new one as asked, every other task still there.
  const before = listTasks(file.workplan).map((t) => t.id);
  const reread = parseWorkplan(file.path, after, ctx.config).value ?? file.workplan;
  const tasksAfter = listTasks(reread);
  const added = tasksAfter.find((t) => t.id === plan.taskId);
  const newSections = plan.phaseCreated ? 1 : 0;
  const intact =
    tasksAfter.length === before.length + 1 &&
    before.every((id) => tasksAfter.some((t) => t.id === id)) &&
    reread.sections.length === file.workplan.sections.length + newSections;
  if (!added || !intact || added.status !== status || added.priority !== priority || added.phaseNumber !== input.phase) {
    return refusedEdit(
      'add-task',
      'invalid-result',
      `The new task would not read back as one task ${plan.taskId} in phase ${input.phase} with the rest of the file's structure intact (a description with "##" or "###" headings, or a metadata-like first line, changes it). Nothing was written.`,
    );
  }
  return completeEdit(ctx, {
    operation: 'add-task',
    changes: [{ path: file.path, before: file.text, after, expectedHash: file.hash }],
    element: elementAt('task', plan.taskId, file.path, added.heading.span.start.line),
    describe: `new task ${plan.taskId} in phase ${input.phase}${plan.phaseCreated ? ' (a new phase)' : ''} of ${input.workplan}`,
    errorsBefore: file.diagnostics.filter((d) => d.severity === 'error'),
    dryRun: input.dryRun,
  });
}
