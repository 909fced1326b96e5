// The closure protocol as an edit answer, for callers that cannot read a diff and type the command
// again, like an agent over MCP: a close is first previewed (the diffs, the classification of every
// task, and a confirmation token); passing that token back applies exactly that preview — if the
// files changed since, the plan changes, the token no longer matches and nothing is written.
// The work itself is `runClose` (close.ts), the same code as `workplan close`.
import { createHash } from 'node:crypto';
import type { CloseWorkplanInput } from '../model/edit-input.js';
import type { EditRefusal, EditView } from '../model/edit-views.js';
import { toLocalIsoDate } from '../model/local-date.js';
import { PLAN_VIEW_VERSION, toDiagnosticView } from '../model/plan-views.js';
import { runClose, type CloseOptions, type CloseResult } from './close.js';
import { elementAt, refusedEdit } from './edit-outcome.js';
import type { PlanContext } from './plan-context.js';
import { requireMirror, toSyncSummaryView } from './refresh-mirror.js';

/** Previews a close (no `confirm`), or applies it when `confirm` is the preview's token. */
export async function closeWorkplan(ctx: PlanContext, input: CloseWorkplanInput): Promise<EditView> {
  const options: CloseOptions = {
    root: ctx.root,
    config: ctx.config,
    repository: ctx.repository,
    workplanId: input.workplan,
    cancelOpen: input.cancelOpen,
    ...(input.carryForwardTo ? { carryForwardTo: input.carryForwardTo } : {}),
    ...(input.context ? { context: input.context } : {}),
    date: input.date ?? toLocalIsoDate(ctx.now()),
    source: ctx.source,
    trigger: ctx.trigger,
    newId: ctx.newId,
    now: ctx.now,
  };
  const preview = await runClose({ ...options, dryRun: true });
  if (preview.outcome !== 'dry-run') return toEditView(preview);
  const token = confirmTokenOf(preview);
  if (input.confirm === undefined || input.dryRun) return { ...toEditView(preview), confirmToken: token };
  if (input.confirm !== token) {
    return refusedEdit(
      'close-workplan',
      'confirm-mismatch',
      `The files changed since the preview (or the token belongs to another close), so ${input.workplan} was not closed. Nothing was written; preview again.`,
    );
  }
  return toEditView(await runClose({ ...options, mirror: requireMirror(ctx) }));
}

/** A token naming exactly what a preview would write. */
function confirmTokenOf(preview: Extract<CloseResult, { outcome: 'dry-run' | 'closed' }>): string {
  const hash = createHash('sha256');
  for (const f of preview.files) hash.update(f.path).update('\0').update(f.diff).update('\0');
  return hash.digest('hex').slice(0, 24);
}

const REFUSALS: Record<Extract<CloseResult, { outcome: 'refused' }>['reason'], EditRefusal> = {
  'not-found': 'not-found',
  ambiguous: 'ambiguous',
  'has-errors': 'has-errors',
  'open-tasks': 'open-tasks',
  'target-invalid': 'target-invalid',
  'invalid-result': 'invalid-result',
};

function toEditView(result: CloseResult): EditView {
  const base = { version: PLAN_VIEW_VERSION, kind: 'edit' as const, operation: 'close-workplan' as const };
  switch (result.outcome) {
    case 'refused':
      return { ...refusedEdit('close-workplan', REFUSALS[result.reason], result.message, result.diagnostics), openTasks: result.openTasks };
    case 'already-closed':
      return {
        ...base,
        outcome: 'unchanged',
        message: result.message,
        element: elementAt('workplan', result.workplan, result.path, 1),
        files: [],
        diagnostics: [],
        sync: null,
      };
    case 'dry-run':
    case 'closed': {
      const count = (c: string) => result.classifications.filter((x) => x.classification === c).length;
      const summary = `${count('done')} done, ${count('cancelled')} cancelled, ${count('carry_forward')} carried forward`;
      const files = result.files.map((f) => ({ path: f.path, created: false, diff: f.diff }));
      const element = elementAt('workplan', result.workplan, result.path, 1);
      if (result.outcome === 'dry-run') {
        return {
          ...base,
          outcome: 'dry-run',
          message: `Preview of closing ${result.workplan} on ${result.date}: ${summary}. Nothing was written.`,
          element,
          files,
          diagnostics: [],
          sync: null,
        };
      }
      const sync = result.sync!;
      return {
        ...base,
        outcome: 'written',
        message: `Closed ${result.workplan} on ${result.date}: ${summary}; wrote ${files.map((f) => f.path).join(', ')} and synced.`,
        element,
        files,
        diagnostics: sync.diagnostics.filter((d) => d.severity === 'error').map(toDiagnosticView),
        sync: toSyncSummaryView(sync),
      };
    }
  }
}
