// What the file-first edits answer (`workplan set`, `add-task`, `new`, `adr new`, `close` through the
// MCP server): the documented, stable JSON shape (docs/queries.md, "Edits"). Pure: zod schemas and the
// types inferred from them.
import { z } from 'zod';
import { PLAN_VIEW_VERSION, diagnosticView } from './plan-views.js';

/** A sync as JSON: what it changed in the mirror, and the files it could not sync. */
export const syncSummaryView = z.object({
  outcome: z.enum(['applied', 'noop', 'dry-run']),
  counts: z.object({
    created: z.number().int(),
    updated: z.number().int(),
    removed: z.number().int(),
    drifted: z.number().int(),
    idsAssigned: z.number().int(),
  }),
  files: z.object({ scanned: z.number().int(), changed: z.number().int(), parsed: z.number().int(), failed: z.number().int() }),
  /** Errors (and warnings) in the files it read. Files with errors were not synced. */
  diagnostics: z.array(diagnosticView),
  /** Ids written back into files; `conflict` when someone changed the file meanwhile (the next sync converges). */
  writeBacks: z.array(
    z.object({
      path: z.string(),
      outcome: z.enum(['written', 'conflict', 'failed']),
      ids: z.number().int(),
      message: z.string().optional(),
    }),
  ),
  durationMs: z.number(),
});
export type SyncSummaryView = z.infer<typeof syncSummaryView>;

export const EDIT_OPERATIONS = ['set-task', 'add-task', 'new-workplan', 'new-adr', 'close-workplan'] as const;
export type EditOperation = (typeof EDIT_OPERATIONS)[number];

/**
 * Why an edit was refused (nothing was written):
 * - `not-found`: no workplan, task or phase with that id; `ambiguous`: several files claim it;
 * - `exists`: the workplan id (or the file) already exists;
 * - `has-errors`: the file has errors the edit would not fix (fix them first: `workplan check`);
 * - `invalid-result`: the edited file would not parse cleanly (the diagnostics say why);
 * - `open-tasks`, `target-invalid`: the closure protocol's refusals (`workplan close`);
 * - `confirm-mismatch`: a close applied with a confirmation token of a preview that no longer matches.
 */
export const EDIT_REFUSALS = [
  'not-found',
  'ambiguous',
  'exists',
  'has-errors',
  'invalid-result',
  'open-tasks',
  'target-invalid',
  'confirm-mismatch',
] as const;
export type EditRefusal = (typeof EDIT_REFUSALS)[number];

export const editedFileView = z.object({
  path: z.string(),
  /** True when the edit creates the file. */
  created: z.boolean(),
  /** The unified diff of the edit (what `--dry-run` prints). */
  diff: z.string(),
});
export type EditedFileView = z.infer<typeof editedFileView>;

export const editView = z.object({
  version: z.literal(PLAN_VIEW_VERSION),
  kind: z.literal('edit'),
  operation: z.enum(EDIT_OPERATIONS),
  /** `written` (files written, then synced), `dry-run`, `unchanged` (already so; nothing written) or `refused`. */
  outcome: z.enum(['written', 'dry-run', 'unchanged', 'refused']),
  reason: z.enum(EDIT_REFUSALS).optional(),
  /** One sentence saying what happened and what state things are in. */
  message: z.string(),
  /** The element the edit is about (the task, workplan or ADR), where it is in the file after the edit. */
  element: z
    .object({ kind: z.enum(['task', 'workplan', 'adr']), id: z.string(), path: z.string(), line: z.number().int(), location: z.string() })
    .nullable(),
  files: z.array(editedFileView),
  /** Why it was refused: the file's (or the edited result's) diagnostics. */
  diagnostics: z.array(diagnosticView),
  /** Open tasks that keep a workplan from closing (`open-tasks`). */
  openTasks: z.array(z.object({ id: z.string(), title: z.string(), status: z.string() })).optional(),
  /** A close preview's token: pass it back as `confirm` to apply exactly this preview. */
  confirmToken: z.string().optional(),
  /** The sync after the write (null when nothing was written). */
  sync: syncSummaryView.nullable(),
});
export type EditView = z.infer<typeof editView>;

/** The answer of the `sync` call (the MCP tool `sync`). */
export const syncCallView = z.object({
  version: z.literal(PLAN_VIEW_VERSION),
  kind: z.literal('sync'),
  sync: syncSummaryView,
});
