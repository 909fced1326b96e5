// The reconciler: (desired rows from the files, current rows from the mirror) → a Plan.
// Pure: no I/O, no clock; new ids come from the `newId` function passed in. The file always wins
// (adr/ADR-001): every difference becomes an update towards the file, and differences in rows that
// were changed behind the file's back are reported as drift.
import type {
  AdrFields,
  ClosureReviewFields,
  DependencyFields,
  DesiredAdr,
  DesiredWorkstream,
  MirrorAdr,
  MirrorRow,
  MirrorWorkstream,
  PhaseFields,
  TaskFields,
  WorkstreamFields,
} from './rows.js';
import { massRemovalShareReason } from './mass-removal.js';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface RowCreate<F> {
  id: string;
  fields: F;
}

export interface RowUpdate<F> {
  id: string;
  fields: F;
  changes: FieldChange[];
  /** The mirror row had been changed behind the file's back; this update overwrites that change. */
  drift: boolean;
  /** The row had been marked removed and comes back. */
  revived: boolean;
}

export interface RowRemove {
  id: string;
  fileId: string;
}

export interface ChildPlan<F> {
  create: Array<RowCreate<F>>;
  update: Array<RowUpdate<F>>;
  remove: RowRemove[];
}

export interface WorkstreamPlan {
  id: string;
  action: 'create' | 'update' | 'unchanged';
  fields: WorkstreamFields;
  contentHash: string;
  /** Only the stored content hash changes (e.g. whitespace edits): written, but not counted as an update. */
  contentHashChanged: boolean;
  changes: FieldChange[];
  drift: boolean;
  revived: boolean;
  tasks: ChildPlan<TaskFields>;
  dependencies: ChildPlan<DependencyFields>;
  /** The full phase list to store, or null when unchanged. */
  phases: PhaseFields[] | null;
  /** The full closure review list to store, or null when unchanged. */
  closureReviews: ClosureReviewFields[] | null;
}

export interface WorkstreamRemoval {
  id: string;
  fileId: string;
  filePath: string;
  taskCount: number;
}

export interface AdrPlan {
  create: Array<RowCreate<AdrFields> & { contentHash: string }>;
  update: Array<RowUpdate<AdrFields> & { contentHash: string; contentHashChanged: boolean }>;
  remove: Array<RowRemove & { filePath: string }>;
}

export type IdAssignmentKind = 'workstream' | 'task' | 'dependency';

export interface IdAssignment {
  filePath: string;
  kind: IdAssignmentKind;
  /** Workplan id, task id, or `<workplan id>#dep<position>`. */
  key: string;
  uuid: string;
}

export interface DriftRecord {
  entity: 'workstream' | 'task' | 'dependency' | 'adr';
  fileId: string;
  filePath: string;
  field: string;
  mirrorValue: unknown;
  fileValue: unknown;
}

export interface PlanCounts {
  created: number;
  updated: number;
  removed: number;
  drifted: number;
  idsAssigned: number;
}

export interface MassRemovalCheck {
  removedRows: number;
  totalRows: number;
  threshold: number;
  /** Why the plan's removals are refused; empty when they are allowed. */
  reasons: string[];
}

export interface Plan {
  workstreams: WorkstreamPlan[];
  removedWorkstreams: WorkstreamRemoval[];
  adrs: AdrPlan;
  /** Domain slugs the plan's workstreams name (created when missing). */
  domains: string[];
  idAssignments: IdAssignment[];
  drift: DriftRecord[];
  counts: PlanCounts;
  massRemoval: MassRemovalCheck;
}

export interface ReconcileInput {
  /** Parsed files that changed (or drifted) since the last sync. */
  desired: DesiredWorkstream[];
  desiredAdrs: DesiredAdr[];
  /** Mirror rows that may correspond to the desired ones (same ids, file ids or paths). */
  mirror: MirrorWorkstream[];
  mirrorAdrs: MirrorAdr[];
  /** Mirror rows whose files no longer exist (candidates for removal unless matched by a moved file). */
  vanished: WorkstreamRemoval[];
  vanishedAdrs: Array<RowRemove & { filePath: string }>;
  /**
   * Live rows of the repository in the mirror (workstreams + tasks + ADRs), for the mass-removal share.
   * Undefined when counting them is left until the plan is known to remove rows: the caller then
   * applies `massRemovalShareReason` itself.
   */
  totalRows?: number;
  newId: () => string;
  massRemovalThreshold: number;
  allowMassRemoval: boolean;
  /**
   * Mirror rows matched by earlier parts of a plan computed in batches (plan-batches.ts): never matched
   * again. This part adds its own matches.
   */
  claimed?: ClaimedRows;
}

/** Ids of mirror rows a plan matched to files (workstreams and ADRs). */
export interface ClaimedRows {
  workstreams: Set<string>;
  adrs: Set<string>;
}

/** Computes the whole plan; applying it is the database adapter's job. */
export function planReconcile(input: ReconcileInput): Plan {
  const drift: DriftRecord[] = [];
  const idAssignments: IdAssignment[] = [];
  const workstreams: WorkstreamPlan[] = [];
  const massReasons: string[] = [];
  const matchedMirror = input.claimed?.workstreams ?? new Set<string>();
  const domains = new Set<string>();

  const byId = new Map(input.mirror.map((m) => [m.id, m]));
  const byFileId = new Map(input.mirror.map((m) => [m.fields.fileId, m]));

  for (const desired of input.desired) {
    domains.add(desired.fields.domain);
    const filePath = desired.fields.filePath;
    let current = desired.uuid ? byId.get(desired.uuid) : undefined;
    if (!current) {
      const sameFileId = byFileId.get(desired.fields.fileId);
      // A row with the same file id but another uuid than the file names is a different identity.
      if (sameFileId && (!desired.uuid || sameFileId.id === desired.uuid)) current = sameFileId;
    }
    if (current && matchedMirror.has(current.id)) current = undefined;
    if (current) matchedMirror.add(current.id);

    const id = current?.id ?? desired.uuid ?? input.newId();
    if (!desired.uuid) idAssignments.push({ filePath, kind: 'workstream', key: desired.fields.fileId, uuid: id });

    const changes = current ? diffFields(current.fields, desired.fields) : [];
    const wsDrift = !!current && current.drifted && changes.length > 0;
    if (wsDrift) recordDrift(drift, 'workstream', desired.fields.fileId, filePath, changes);

    const tasks = planChildren(
      desired.tasks,
      current?.tasks ?? [],
      (t) => t.fileId,
      input.newId,
      (uuid, fields) => idAssignments.push({ filePath, kind: 'task', key: fields.fileId, uuid }),
      (fields, fieldChanges) => recordDrift(drift, 'task', fields.fileId, filePath, fieldChanges),
    );
    const dependencies = planChildren(
      desired.dependencies,
      current?.dependencies ?? [],
      (d) => String(d.position),
      input.newId,
      (uuid, fields) => idAssignments.push({ filePath, kind: 'dependency', key: `${desired.fields.fileId}#dep${fields.position}`, uuid }),
      (fields, fieldChanges) => recordDrift(drift, 'dependency', `${desired.fields.fileId}#dep${fields.position}`, filePath, fieldChanges),
    );
    if (current && desired.tasks.length === 0 && tasks.remove.length > 0) {
      massReasons.push(
        `${filePath} now has no tasks but the mirror has ${tasks.remove.length}; a file seen empty (mid-save, failed checkout) must not remove them`,
      );
    }

    const phases = current && equalJson(current.phases, desired.phases) ? null : desired.phases;
    const closureReviews = current && equalJson(current.closureReviews, desired.closureReviews) ? null : desired.closureReviews;
    const revived = !!current?.removed;
    const childChanged =
      tasks.create.length +
        tasks.update.length +
        tasks.remove.length +
        dependencies.create.length +
        dependencies.update.length +
        dependencies.remove.length >
        0 ||
      phases !== null ||
      closureReviews !== null;
    const action: WorkstreamPlan['action'] = !current ? 'create' : changes.length > 0 || revived || childChanged ? 'update' : 'unchanged';
    const contentHashChanged = !current || current.contentHash !== desired.contentHash;
    if (action === 'unchanged' && !contentHashChanged) continue;
    workstreams.push({
      id,
      action,
      fields: desired.fields,
      contentHash: desired.contentHash,
      contentHashChanged,
      changes,
      drift: wsDrift,
      revived,
      tasks,
      dependencies,
      phases,
      closureReviews,
    });
  }

  // Rows of changed files that no desired workplan claimed, and rows of vanished files.
  const removedWorkstreams: WorkstreamRemoval[] = [];
  for (const m of input.mirror) {
    if (matchedMirror.has(m.id) || m.removed) continue;
    removedWorkstreams.push({ id: m.id, fileId: m.fields.fileId, filePath: m.fields.filePath, taskCount: liveCount(m.tasks) });
  }
  for (const v of input.vanished) {
    if (matchedMirror.has(v.id) || removedWorkstreams.some((r) => r.id === v.id)) continue;
    removedWorkstreams.push(v);
  }

  const adrs = planAdrs(input, drift);

  const removedRows =
    removedWorkstreams.reduce((n, r) => n + 1 + r.taskCount, 0) +
    adrs.remove.length +
    workstreams.reduce((n, w) => n + w.tasks.remove.length, 0);
  const shareReason =
    input.totalRows === undefined ? undefined : massRemovalShareReason(removedRows, input.totalRows, input.massRemovalThreshold);
  if (shareReason) massReasons.push(shareReason);

  const counts: PlanCounts = {
    created:
      workstreams.filter((w) => w.action === 'create').length +
      sum(workstreams, (w) => w.tasks.create.length + w.dependencies.create.length) +
      adrs.create.length,
    updated:
      workstreams.filter((w) => w.action === 'update' && (w.changes.length > 0 || w.revived)).length +
      sum(workstreams, (w) => w.tasks.update.length + w.dependencies.update.length) +
      adrs.update.filter((a) => a.changes.length > 0 || a.revived).length,
    removed: removedRows,
    drifted: countDriftedRows(drift),
    idsAssigned: idAssignments.length,
  };

  return {
    workstreams,
    removedWorkstreams,
    adrs,
    domains: [...domains].sort(),
    idAssignments,
    drift,
    counts,
    massRemoval: {
      removedRows,
      totalRows: input.totalRows ?? 0,
      threshold: input.massRemovalThreshold,
      reasons: input.allowMassRemoval ? [] : massReasons,
    },
  };
}

/** True when the plan changes nothing in the mirror and in the files. */
export function isEmptyPlan(plan: {
  workstreams: readonly unknown[];
  removedWorkstreams: readonly unknown[];
  adrs: { create: readonly unknown[]; update: readonly unknown[]; remove: readonly unknown[] };
  idAssignments: readonly unknown[];
}): boolean {
  return (
    plan.workstreams.length === 0 &&
    plan.removedWorkstreams.length === 0 &&
    plan.adrs.create.length + plan.adrs.update.length + plan.adrs.remove.length === 0 &&
    plan.idAssignments.length === 0
  );
}

function planChildren<F extends object>(
  desired: Array<{ uuid: string | null; fields: F }>,
  current: Array<MirrorRow<F>>,
  naturalKey: (fields: F) => string,
  newId: () => string,
  onAssign: (uuid: string, fields: F) => void,
  onDrift: (fields: F, changes: FieldChange[]) => void,
): ChildPlan<F> {
  const plan: ChildPlan<F> = { create: [], update: [], remove: [] };
  const byId = new Map(current.map((c) => [c.id, c]));
  // Natural-key fallback only for live rows first, then removed ones (a task id re-added after removal).
  const byKey = new Map<string, MirrorRow<F>>();
  for (const c of current) {
    const key = naturalKey(c.fields);
    const existing = byKey.get(key);
    if (!existing || (existing.removed && !c.removed)) byKey.set(key, c);
  }
  const claimed = new Set<string>();
  for (const d of desired) {
    let row = d.uuid ? byId.get(d.uuid) : undefined;
    if (!row && !d.uuid) row = byKey.get(naturalKey(d.fields));
    if (row && claimed.has(row.id)) row = undefined;
    if (row) {
      claimed.add(row.id);
      const changes = diffFields(row.fields, d.fields);
      if (!d.uuid) onAssign(row.id, d.fields);
      if (changes.length > 0 || row.removed) {
        const drift = row.drifted && changes.length > 0;
        if (drift) onDrift(d.fields, changes);
        plan.update.push({ id: row.id, fields: d.fields, changes, drift, revived: row.removed });
      }
      continue;
    }
    const id = d.uuid ?? newId();
    if (!d.uuid) onAssign(id, d.fields);
    plan.create.push({ id, fields: d.fields });
  }
  for (const c of current) {
    if (!claimed.has(c.id) && !c.removed) plan.remove.push({ id: c.id, fileId: naturalKey(c.fields) });
  }
  return plan;
}

/**
 * ADR rows are keyed by path (two files may share an ADR number): a file takes the row at its path;
 * else, when it was moved, the row of its id whose file is gone (the caller passes no row of a file
 * that still exists elsewhere); else a new row.
 */
function planAdrs(input: ReconcileInput, drift: DriftRecord[]): AdrPlan {
  const plan: AdrPlan = { create: [], update: [], remove: [] };
  const claimed = input.claimed?.adrs ?? new Set<string>();
  const atPath = new Map<string, MirrorAdr>();
  for (const m of input.mirrorAdrs) {
    const existing = atPath.get(m.fields.filePath);
    if (!existing || (existing.removed && !m.removed)) atPath.set(m.fields.filePath, m);
  }
  const desiredPaths = new Set(input.desiredAdrs.map((d) => d.fields.filePath));
  // Live rows before removed ones: a moved file takes the row it had.
  const moved = input.mirrorAdrs.filter((m) => !desiredPaths.has(m.fields.filePath)).sort((a, b) => Number(a.removed) - Number(b.removed));
  for (const d of input.desiredAdrs) {
    let row = atPath.get(d.fields.filePath);
    if (row && claimed.has(row.id)) row = undefined;
    row ??= moved.find((m) => m.fields.fileId === d.fields.fileId && !claimed.has(m.id));
    if (!row) {
      plan.create.push({ id: input.newId(), fields: d.fields, contentHash: d.contentHash });
      continue;
    }
    claimed.add(row.id);
    const changes = diffFields(row.fields, d.fields);
    const contentHashChanged = row.contentHash !== d.contentHash;
    if (changes.length === 0 && !row.removed && !contentHashChanged) continue;
    const isDrift = row.drifted && changes.length > 0;
    if (isDrift) recordDrift(drift, 'adr', d.fields.fileId, d.fields.filePath, changes);
    plan.update.push({
      id: row.id,
      fields: d.fields,
      changes,
      drift: isDrift,
      revived: row.removed,
      contentHash: d.contentHash,
      contentHashChanged,
    });
  }
  for (const m of input.mirrorAdrs) {
    if (!claimed.has(m.id) && !m.removed) plan.remove.push({ id: m.id, fileId: m.fields.fileId, filePath: m.fields.filePath });
  }
  for (const v of input.vanishedAdrs) {
    if (!claimed.has(v.id) && !plan.remove.some((r) => r.id === v.id)) plan.remove.push(v);
  }
  return plan;
}

/** Field-level differences, from the mirror's value to the file's. */
export function diffFields<F extends object>(from: F, to: F): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of Object.keys(to) as Array<keyof F & string>) {
    if (!equalJson(from[key], to[key])) changes.push({ field: key, from: from[key], to: to[key] });
  }
  return changes;
}

function recordDrift(drift: DriftRecord[], entity: DriftRecord['entity'], fileId: string, filePath: string, changes: FieldChange[]): void {
  for (const c of changes) drift.push({ entity, fileId, filePath, field: c.field, mirrorValue: c.from, fileValue: c.to });
}

function countDriftedRows(drift: DriftRecord[]): number {
  return new Set(drift.map((d) => `${d.entity}:${d.filePath}:${d.fileId}`)).size;
}

function liveCount(rows: Array<{ removed: boolean }>): number {
  return rows.filter((r) => !r.removed).length;
}

function sum<T>(items: T[], f: (t: T) => number): number {
  return items.reduce((n, t) => n + f(t), 0);
}

function equalJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}
