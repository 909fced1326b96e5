// The answers of the file-first edits (src/model/edit-views.ts), and the steps every edit shares
// after its own planning: refuse a result with errors, preview, write with compare-and-swap, sync.
import type { Diagnostic } from '../model/diagnostic.js';
import { PLAN_VIEW_VERSION, toDiagnosticView } from '../model/plan-views.js';
import type { EditOperation, EditRefusal, EditView } from '../model/edit-views.js';
import { diffFileChanges, findErrorsInResult, syncAfterWrite, writeFileChanges, type PlannedFileChange } from './file-changes.js';
import type { PlanContext } from './plan-context.js';
import { requireMirror, toSyncSummaryView } from './refresh-mirror.js';

export type EditElement = NonNullable<EditView['element']>;

/** An edit that writes nothing, with why (and the diagnostics that show it). */
export function refusedEdit(
  operation: EditOperation,
  reason: EditRefusal,
  message: string,
  diagnostics: readonly Diagnostic[] = [],
): EditView {
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'edit',
    operation,
    outcome: 'refused',
    reason,
    message,
    element: null,
    files: [],
    diagnostics: diagnostics.map(toDiagnosticView),
    sync: null,
  };
}

/** An edit with nothing to do (the file already says so). */
export function unchangedEdit(operation: EditOperation, message: string, element: EditElement): EditView {
  return {
    version: PLAN_VIEW_VERSION,
    kind: 'edit',
    operation,
    outcome: 'unchanged',
    message,
    element,
    files: [],
    diagnostics: [],
    sync: null,
  };
}

/** `path:line` of an element. */
export function elementAt(kind: EditElement['kind'], id: string, path: string, line: number): EditElement {
  return { kind, id, path, line, location: `${path}:${line}` };
}

export interface PlannedEdit {
  operation: EditOperation;
  changes: PlannedFileChange[];
  element: EditElement;
  /** What the edit does, for the answer: "CUST-WP-0005-T03: status todo → done". */
  describe: string;
  /** Errors the file had before the edit (an edit may fix them; it must not leave or add any). */
  errorsBefore: readonly Diagnostic[];
  dryRun: boolean;
}

/**
 * The shared tail of every edit: the result must parse without errors (else refused: `has-errors`
 * when the file already had errors, `invalid-result` when the edit would introduce them), then the
 * preview (dry run) or the compare-and-swap write and the sync of the written files.
 */
export async function completeEdit(ctx: PlanContext, edit: PlannedEdit): Promise<EditView> {
  const errors = findErrorsInResult(edit.changes, ctx.config);
  if (errors.length > 0) {
    const paths = [...new Set(errors.map((d) => d.path))].join(', ');
    return edit.errorsBefore.length > 0
      ? refusedEdit(
          edit.operation,
          'has-errors',
          `${paths} has errors; fix them first ("workplan check" lists them). Nothing was written.`,
          errors,
        )
      : refusedEdit(
          edit.operation,
          'invalid-result',
          `The edit would leave errors in ${paths}, so it was refused. Nothing was written.`,
          errors,
        );
  }
  const files = diffFileChanges(edit.changes);
  const base = {
    version: PLAN_VIEW_VERSION,
    kind: 'edit' as const,
    operation: edit.operation,
    element: edit.element,
    files,
    diagnostics: [],
  };
  if (edit.dryRun) {
    return {
      ...base,
      outcome: 'dry-run',
      message: `Dry run: ${edit.describe}. Nothing was written and the mirror was not changed.`,
      sync: null,
    };
  }
  await writeFileChanges(ctx.root, edit.changes);
  const paths = edit.changes.map((c) => c.path);
  const sync = await syncAfterWrite(
    { ...ctx, mirror: requireMirror(ctx), paths, ...(ctx.cache ? { cache: ctx.cache } : {}) },
    paths,
    edit.describe,
  );
  return {
    ...base,
    outcome: 'written',
    message: `${edit.describe}; wrote ${paths.join(', ')} and synced it.`,
    sync: toSyncSummaryView(sync),
  };
}
