// Cross-file rules over a whole repository's parsed files. Pure.
// Single-file rules live in the parsers; these need every file at once.
import type { Diagnostic, Span } from '../model/diagnostic.js';
import { listTasks, type Workplan } from '../model/workplan.js';

/** Duplicate ids and uuids across workplan files, and dependencies naming workplans the repository does not have. */
export function checkWorkplanSet(workplans: readonly Workplan[]): Diagnostic[] {
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
    const fm = wp.frontmatter;
    const idSpan = fieldSpan(wp, 'id');
    const other = workplanIds.get(fm.data.id);
    if (other) {
      diagnostics.push({
        path: wp.path,
        span: idSpan,
        severity: 'error',
        ruleId: 'workplan-id-duplicate',
        message: `Workplan id "${fm.data.id}" is also used by ${other.path}:${other.span.start.line}`,
        hint: 'Every workplan needs its own id; rename one of them.',
      });
    } else workplanIds.set(fm.data.id, { path: wp.path, span: idSpan });
    claimUuid(fm.data.workstreamUuid, wp.path, fieldSpan(wp, 'state_hub_workstream_id'), `workplan ${fm.data.id}`);

    for (const task of listTasks(wp)) {
      const span = task.metadata.fields.find((f) => f.key === 'id')?.valueSpan ?? task.heading.span;
      const seen = taskIds.get(task.id);
      if (seen && seen.path !== wp.path) {
        diagnostics.push({
          path: wp.path,
          span,
          severity: 'error',
          ruleId: 'task-id-duplicate',
          message: `Task id "${task.id}" is also used in ${seen.path}:${seen.span.start.line}`,
          hint: 'Task ids are unique across the repository; renumber one of them.',
        });
      } else if (!seen) taskIds.set(task.id, { path: wp.path, span });
      const uuidSpan = task.metadata.fields.find((f) => f.key === 'state_hub_task_id')?.valueSpan ?? span;
      claimUuid(task.taskUuid, wp.path, uuidSpan, `task ${task.id}`);
    }
    wp.dependencies.forEach((d, i) => claimUuid(d.dependencyUuid, wp.path, d.span, `dependency ${i + 1} of ${fm.data.id}`));
  }

  for (const wp of workplans) {
    for (const dep of wp.dependencies) {
      for (const target of dep.targets) {
        if (target === wp.frontmatter.data.id || workplanIds.has(target)) continue;
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

function fieldSpan(wp: Workplan, key: string): Span {
  return wp.frontmatter.fields.find((f) => f.key === key)?.valueSpan ?? wp.frontmatter.span;
}
