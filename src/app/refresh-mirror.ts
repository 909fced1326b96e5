// "A changed file is synced first, cheaply, so answers are never stale": before a query reads the
// mirror, the repository's files are synced into it. Unchanged files cost a stat (the stat cache),
// rows changed behind the files' back are flagged by the mirror's triggers and restored from their
// files (adr/0005); so on an unchanged repository this is one directory walk and one index read.
// A sync the mass-removal guard refuses does not stop the question: the answer says so.
import { SyncError, isSyncError } from '../model/errors.js';
import type { SyncSummaryView } from '../model/edit-views.js';
import { toDiagnosticView, type FreshnessView } from '../model/plan-views.js';
import type { PlanContext } from './plan-context.js';
import { runSync } from './sync.js';
import type { SyncResult } from '../reconcile/sync-result.js';
import { ensurePlannerStatistics } from '../db/planner-statistics.js';

/**
 * Syncs the working tree into the mirror (unless `enabled` is false) and says how fresh the answer is.
 * Also gives the planner statistics of tables that never had any (planner-statistics.ts).
 */
export async function refreshMirror(ctx: PlanContext, enabled: boolean): Promise<FreshnessView> {
  const freshness = await syncBeforeReading(ctx, enabled);
  await ensurePlannerStatistics(requireMirror(ctx).db);
  return freshness;
}

async function syncBeforeReading(ctx: PlanContext, enabled: boolean): Promise<FreshnessView> {
  if (!enabled) return { synced: false, outcome: 'skipped', changedFiles: 0, errors: [] };
  const mirror = requireMirror(ctx);
  try {
    const result = await runSync({
      root: ctx.root,
      config: ctx.config,
      repository: ctx.repository,
      source: ctx.source,
      mirror,
      trigger: ctx.trigger,
      newId: ctx.newId,
      now: ctx.now,
      // A read-only caller only looks: the mirror is brought up to date, no file is written.
      writeBack: !ctx.readOnly,
      ...(ctx.cache ? { cache: ctx.cache } : {}),
    });
    return {
      synced: true,
      outcome: result.outcome === 'applied' ? 'applied' : 'noop',
      changedFiles: result.files.changed,
      errors: result.diagnostics.filter((d) => d.severity === 'error').map(toDiagnosticView),
    };
  } catch (error) {
    if (!isSyncError(error, 'MASS_REMOVAL_REFUSED')) throw error;
    return { synced: false, outcome: 'refused', changedFiles: 0, errors: [], message: error.message };
  }
}

/** The context's mirror; a use case that reads it cannot run without one. */
export function requireMirror(ctx: PlanContext) {
  if (!ctx.mirror) throw new SyncError('INTERNAL', 'This use case needs the mirror; the session opens it for every call that reads it.');
  return ctx.mirror;
}

/** A sync result as its JSON view. */
export function toSyncSummaryView(result: SyncResult): SyncSummaryView {
  return {
    outcome: result.outcome,
    counts: { ...result.plan.counts },
    files: { ...result.files },
    diagnostics: result.diagnostics.map(toDiagnosticView),
    writeBacks: result.writeBacks.map((w) => ({
      path: w.path,
      outcome: w.outcome,
      ids: w.ids,
      ...(w.message !== undefined ? { message: w.message } : {}),
    })),
    durationMs: Math.round(result.durationMs),
  };
}
