// A reconcile plan for people (a short listing) and machines (stable JSON). Pure string building.
import type { FieldChange } from '../reconcile/plan.js';
import type { PlanReceipt } from '../reconcile/plan-batches.js';
import type { SyncResult } from '../reconcile/sync-result.js';
import { toJsonDiagnostic } from './render-diagnostics.js';

const MAX_CHANGES_SHOWN = 6;

/**
 * The one-line summary: "12 files, 3 created, 5 updated, 0 removed, 2 ids assigned, 41 ms". The time is
 * `elapsedMs` when given (the whole command's: start-up, opening the store, …), else the sync's.
 */
export function formatSyncSummary(result: SyncResult, elapsedMs?: number): string {
  const c = result.plan.counts;
  const parts = [
    `${result.files.scanned} file${result.files.scanned === 1 ? '' : 's'}`,
    `${c.created} created`,
    `${c.updated} updated`,
    `${c.removed} removed`,
  ];
  if (c.drifted > 0) parts.push(`${c.drifted} drifted`);
  parts.push(`${c.idsAssigned} id${c.idsAssigned === 1 ? '' : 's'} assigned`);
  if (result.files.failed > 0) parts.push(`${result.files.failed} with errors`);
  parts.push(`${Math.round(elapsedMs ?? result.durationMs)} ms`);
  return `${result.dryRun ? 'dry run: ' : ''}${parts.join(', ')}`;
}

/** What the plan does, file by file. */
export function formatPlan(plan: PlanReceipt): string[] {
  const lines: string[] = [];
  for (const w of plan.workstreams) {
    const what: string[] = [];
    if (w.action === 'create') what.push(`create workstream (${w.tasks.create.length} tasks)`);
    else if (w.changes.length > 0 || w.revived)
      what.push(`update workstream${w.revived ? ' (restored)' : ''}: ${formatChanges(w.changes)}`);
    const t = w.tasks;
    if (w.action !== 'create' && t.create.length) what.push(`${t.create.length} task(s) created`);
    if (t.update.length) what.push(`${t.update.length} task(s) updated`);
    if (t.remove.length) what.push(`${t.remove.length} task(s) removed`);
    const d = w.dependencies;
    if (d.create.length + d.update.length + d.remove.length)
      what.push(`dependencies +${d.create.length} ~${d.update.length} -${d.remove.length}`);
    if (w.phasesRewritten) what.push('phases rewritten');
    if (w.closureReviewsRewritten) what.push('closure reviews rewritten');
    if (what.length === 0 && w.contentHashChanged) what.push('content hash only');
    lines.push(`  ${w.fields.filePath}  ${w.fields.fileId}  ${what.join('; ')}`);
    for (const u of t.update.slice(0, MAX_CHANGES_SHOWN)) {
      lines.push(`      ${u.fields.fileId}: ${formatChanges(u.changes)}${u.drift ? '  [drift]' : ''}${u.revived ? '  [restored]' : ''}`);
    }
    if (t.update.length > MAX_CHANGES_SHOWN) lines.push(`      … and ${t.update.length - MAX_CHANGES_SHOWN} more task updates`);
  }
  for (const r of plan.removedWorkstreams) lines.push(`  ${r.filePath}  ${r.fileId}  remove workstream and ${r.taskCount} task(s)`);
  for (const a of plan.adrs.create) lines.push(`  ${a.fields.filePath}  ${a.fields.fileId}  create ADR`);
  for (const a of plan.adrs.update) {
    if (a.changes.length > 0 || a.revived)
      lines.push(`  ${a.fields.filePath}  ${a.fields.fileId}  update ADR: ${formatChanges(a.changes)}`);
  }
  for (const a of plan.adrs.remove) lines.push(`  ${a.filePath}  ${a.fileId}  remove ADR`);
  if (plan.drift.length > 0) {
    lines.push(`  drift (mirror values changed behind the files' back; the files win):`);
    for (const d of plan.drift.slice(0, 20)) {
      lines.push(`      ${d.entity} ${d.fileId} ${d.field}: mirror ${short(d.mirrorValue)} → file ${short(d.fileValue)}`);
    }
    if (plan.drift.length > 20) lines.push(`      … and ${plan.drift.length - 20} more`);
  }
  const files = new Set(plan.idAssignments.map((a) => a.filePath));
  if (plan.idAssignments.length > 0) lines.push(`  ids to write back: ${plan.idAssignments.length} in ${files.size} file(s)`);
  return lines;
}

function formatChanges(changes: FieldChange[]): string {
  const shown = changes.slice(0, MAX_CHANGES_SHOWN).map((c) => `${c.field} ${short(c.from)} → ${short(c.to)}`);
  if (changes.length > MAX_CHANGES_SHOWN) shown.push(`+${changes.length - MAX_CHANGES_SHOWN} more`);
  return shown.join(', ');
}

function short(value: unknown): string {
  const s = JSON.stringify(value) ?? 'null';
  return s.length > 60 ? `${s.slice(0, 57)}…"` : s;
}

/** The documented `--json` shape of a sync (README, "Machine output"). */
export function toJsonSyncResult(result: SyncResult) {
  const p = result.plan;
  return {
    version: 1,
    outcome: result.outcome,
    dryRun: result.dryRun,
    files: result.files,
    counts: p.counts,
    durationMs: Math.round(result.durationMs),
    plan: {
      workstreams: p.workstreams.map((w) => ({
        id: w.id,
        fileId: w.fields.fileId,
        filePath: w.fields.filePath,
        action: w.action,
        changes: w.changes,
        drift: w.drift,
        tasks: {
          create: w.tasks.create.map((t) => ({ id: t.id, fileId: t.fields.fileId })),
          update: w.tasks.update.map((t) => ({
            id: t.id,
            fileId: t.fields.fileId,
            changes: t.changes,
            drift: t.drift,
            revived: t.revived,
          })),
          remove: w.tasks.remove,
        },
        dependencies: {
          create: w.dependencies.create.map((d) => ({ id: d.id, position: d.fields.position })),
          update: w.dependencies.update.map((d) => ({ id: d.id, position: d.fields.position, changes: d.changes })),
          remove: w.dependencies.remove,
        },
        phasesRewritten: w.phasesRewritten,
        closureReviewsRewritten: w.closureReviewsRewritten,
      })),
      removedWorkstreams: p.removedWorkstreams,
      adrs: {
        create: p.adrs.create.map((a) => ({ id: a.id, fileId: a.fields.fileId, filePath: a.fields.filePath })),
        update: p.adrs.update.map((a) => ({ id: a.id, fileId: a.fields.fileId, changes: a.changes, drift: a.drift })),
        remove: p.adrs.remove,
      },
      drift: p.drift,
      idAssignments: p.idAssignments,
      massRemoval: p.massRemoval,
    },
    writeBacks: result.writeBacks,
    diagnostics: result.diagnostics.map(toJsonDiagnostic),
  };
}
