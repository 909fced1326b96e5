// Cross-file rules over a whole repository's workplans. Pure.
// Single-file rules live in the parsers; these need every file at once, so they work on compact
// summaries (small enough to come back from a parser worker thread).
import type { Diagnostic, Span } from '../model/diagnostic.js';
import { listTasks, type Workplan } from '../model/workplan.js';

/** What the cross-file rules need to know of one workplan. */
export interface WorkplanSummary {
  path: string;
  id: string;
  idSpan: Span;
  workstreamUuid?: { value: string; span: Span };
  tasks: Array<{ id: string; span: Span; uuid?: { value: string; span: Span } }>;
  dependencies: Array<{ targets: string[]; span: Span; uuid?: string }>;
}

/** The summary of a parsed workplan. */
export function summarizeWorkplan(wp: Workplan): WorkplanSummary {
  const field = (key: string) => wp.frontmatter.fields.find((f) => f.key === key)?.valueSpan;
  const data = wp.frontmatter.data;
  return {
    path: wp.path,
    id: data.id,
    idSpan: field('id') ?? wp.frontmatter.span,
    ...(data.workstreamUuid
      ? { workstreamUuid: { value: data.workstreamUuid, span: field('state_hub_workstream_id') ?? wp.frontmatter.span } }
      : {}),
    tasks: listTasks(wp).map((task) => {
      const span = task.metadata.fields.find((f) => f.key === 'id')?.valueSpan ?? task.heading.span;
      const uuidSpan = task.metadata.fields.find((f) => f.key === 'state_hub_task_id')?.valueSpan ?? span;
      return { id: task.id, span, ...(task.taskUuid ? { uuid: { value: task.taskUuid, span: uuidSpan } } : {}) };
    }),
    dependencies: wp.dependencies.map((d) => ({
      targets: [...d.targets],
      span: d.span,
      ...(d.dependencyUuid ? { uuid: d.dependencyUuid } : {}),
    })),
  };
}

/** Duplicate ids and uuids across workplan files, and dependencies naming workplans the repository does not have. */
export function checkWorkplanSet(workplans: readonly WorkplanSummary[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const workplanIds = new Map<string, { path: string; span: Span }>();
  const taskIds = new Map<string, { path: string; span: Span }>();
  const uuids = new Map<string, { path: string; span: Span; what: string }>();

  const claimUuid = (uuid: string | undefined, path: string, span: Span, what: string) => {
    if (!uuid) return;
    const key = uuid.toLowerCase();
    const other = uuids.get(key);
    if (other) {
      diagnostics.push({
        path,
        span,
        severity: 'error',
        ruleId: 'uuid-duplicate',
        message: `Mirror id ${uuid} of ${what} is also used by ${other.what} in ${other.path}:${other.span.start.line}`,
        hint: 'A copied file or task keeps its state_hub_*_id; delete the copied id line and the next sync assigns a new one.',
      });
    } else uuids.set(key, { path, span, what });
  };

  for (const wp of workplans) {
    const other = workplanIds.get(wp.id);
    if (other) {
      diagnostics.push({
        path: wp.path,
        span: wp.idSpan,
        severity: 'error',
        ruleId: 'workplan-id-duplicate',
        message: `Workplan id "${wp.id}" is also used by ${other.path}:${other.span.start.line}`,
        hint: 'Every workplan needs its own id; rename one of them.',
      });
    } else workplanIds.set(wp.id, { path: wp.path, span: wp.idSpan });
    claimUuid(wp.workstreamUuid?.value, wp.path, wp.workstreamUuid?.span ?? wp.idSpan, `workplan ${wp.id}`);

    for (const task of wp.tasks) {
      const seen = taskIds.get(task.id);
      if (seen && seen.path !== wp.path) {
        diagnostics.push({
          path: wp.path,
          span: task.span,
          severity: 'error',
          ruleId: 'task-id-duplicate',
          message: `Task id "${task.id}" is also used in ${seen.path}:${seen.span.start.line}`,
          hint: 'Task ids are unique across the repository; renumber one of them.',
        });
      } else if (!seen) taskIds.set(task.id, { path: wp.path, span: task.span });
      claimUuid(task.uuid?.value, wp.path, task.uuid?.span ?? task.span, `task ${task.id}`);
    }
    wp.dependencies.forEach((d, i) => claimUuid(d.uuid, wp.path, d.span, `dependency ${i + 1} of ${wp.id}`));
  }

  for (const wp of workplans) {
    for (const dep of wp.dependencies) {
      for (const target of dep.targets) {
        if (target === wp.id || workplanIds.has(target)) continue;
        diagnostics.push({
          path: wp.path,
          span: dep.span,
          severity: 'warning',
          ruleId: 'dependency-target-unknown',
          message: `Dependency names workplan "${target}", which is not in this repository`,
          hint: 'Check the id, or ignore this warning if the workplan lives in another repository.',
        });
      }
    }
  }
  return diagnostics;
}
