// Workstream Closure Protocol checks (ADR-001) that need the whole workplan. Pure.
// A workplan whose status is `completed` must have a Closure Review and no open tasks.
import { OPEN_TASK_STATUSES } from '../model/config.js';
import type { FieldSource, Task } from '../model/workplan.js';
import type { Reporter } from './reporter.js';

export interface ClosureFacts {
  status: string;
  statusField: FieldSource | undefined;
  hasClosureReviewSection: boolean;
  tasks: readonly Task[];
}

const OPEN = new Set<string>(OPEN_TASK_STATUSES);

/** Reports `closure-review-missing` and `completed-with-open-tasks` for a completed workplan. */
export function checkClosureProtocol(facts: ClosureFacts, reporter: Reporter): void {
  if (facts.status !== 'completed' || !facts.statusField) return;
  const span = facts.statusField.valueSpan;
  const written = facts.statusField.raw;
  if (!facts.hasClosureReviewSection) {
    reporter.reportAt(
      'closure-review-missing',
      span,
      `Workplan status is "${written}" but the file has no "## Closure Review — YYYY-MM-DD" section`,
      'Add a Closure Review that classifies every task as done, cancelled or carry-forward (ADR-001), or set the status back to active.',
    );
  }
  // A task whose status is not a known value has its own error (task-status-invalid); the status it
  // reads as meanwhile (the default) is not what the author wrote, so it is neither listed nor counted.
  const unknown = new Set(reporter.diagnostics.filter((d) => d.ruleId === 'task-status-invalid').map((d) => d.span.start.offset));
  const writtenStatusUnknown = (t: Task) => t.metadata.fields.some((f) => f.key === 'status' && unknown.has(f.valueSpan.start.offset));
  const open = facts.tasks.filter((t) => OPEN.has(t.status) && !writtenStatusUnknown(t));
  if (open.length > 0) {
    const listed =
      open
        .slice(0, 5)
        .map((t) => `${t.id} (${t.status})`)
        .join(', ') + (open.length > 5 ? `, and ${open.length - 5} more` : '');
    reporter.reportAt(
      'completed-with-open-tasks',
      span,
      `Workplan status is "${written}" but ${open.length} task${open.length === 1 ? ' is' : 's are'} still open: ${listed}`,
      'Mark each open task done, cancelled or carried_forward, or set the workplan status back to active.',
    );
  }
}
