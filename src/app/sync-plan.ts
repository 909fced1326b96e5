// Sync step 3, plan (under the repository lock): compare the prepared files with the mirror, part by
// part, handing each part to `apply` as soon as the next is planned; the removals and the mass-removal
// check come last, so a refusal throws inside the caller's transaction and the applied parts roll back.
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { isSourceFile, type SourceProvider } from '../model/source-file.js';
import { workplanIdTakenDiagnostic } from '../reconcile/check-repository.js';
import {
  emptyRootReasons,
  massRemovalRefused,
  massRemovalShareReason,
  rootsWithVanishedRows,
  unreadableDirectoriesReason,
  type RefusalContext,
} from '../reconcile/mass-removal.js';
import type { Plan } from '../reconcile/plan.js';
import type { BatchedPlan, PlanReceipt } from '../reconcile/plan-batches.js';
import type { PendingId } from '../reconcile/prepare-file.js';
import type { DesiredAdr, DesiredWorkstream, MirrorIndexEntry } from '../reconcile/rows.js';
import { countLiveRows, countLiveTasks, readMirrorAdrs, readMirrorIndex, readMirrorWorkstreams } from '../db/mirror-read.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { needsParse, type Preparation } from './sync-prepare.js';
import type { Scan, ScannedFile } from './sync-scan.js';
import { planWriteBacks, writeBackTooLarge, type PlannedWriteBack } from './sync-write-back.js';

/** The mirror as first read, before the lock: reused under it when no other sync changed the mirror meanwhile. */
export interface FirstRead {
  row: { id: string; generation: number; root: string; remoteUrl: string | undefined } | undefined;
  index: MirrorIndexEntry[];
}

/** What the plan step works with: the earlier steps' hand-offs and the sync's settings. */
export interface PlanStepInput {
  config: WorkplanConfig;
  source: SourceProvider;
  onlyPaths: ReadonlySet<string> | undefined;
  indexPaths: string[] | undefined;
  planBatch: number;
  allowMassRemoval: boolean;
  /** Plan id write-backs (into `edited`) with each part. */
  writeBack: boolean;
  scan: Scan;
  prepared: Preparation;
  first: FirstRead;
  planner: BatchedPlan;
  refusal: RefusalContext;
  edited: Map<string, PlannedWriteBack>;
  diagnostics: Diagnostic[];
}

/** The plan step's result: what was planned, and the drift flags the sync settles. */
export interface PlannedSync {
  receipt: PlanReceipt;
  settled: MirrorIndexEntry[];
}

/** Whether a path lies where the scan could not see (an unreadable file or directory): its rows are never removed. */
function hiddenFromScan(scan: Scan, path: string): boolean {
  return scan.unreadable.has(path) || scan.listing.problems.some((p) => path === p.path || path.startsWith(`${p.path}/`));
}

/**
 * Plans the changed files in batches against the mirror (read through `db`) and hands each part to
 * `apply` (nothing when planning only). Throws MASS_REMOVAL_REFUSED before the last part when applying.
 */
export async function planAndApply(
  input: PlanStepInput,
  db: SqlExecutor,
  repositoryId: string | undefined,
  generation: number | undefined,
  apply?: (part: Plan) => Promise<void>,
): Promise<PlannedSync> {
  const { scan, prepared, first, onlyPaths, planBatch } = input;
  // Under the lock, the first read still holds unless another sync changed the mirror meanwhile (even
  // with an older version of a file we skip as unchanged): then read again. Rows changed behind the
  // files' back meanwhile keep their drift flags for the next sync; those already flagged are re-read.
  const current = repositoryId !== undefined && repositoryId === first.row?.id && generation === first.row.generation;
  const index = current
    ? first.index
    : repositoryId
      ? await readMirrorIndex(db, repositoryId, input.indexPaths, { taskCounts: false })
      : [];
  const byPath = indexByPath(index);
  const present = new Set(scan.files.map((f) => f.path));
  // Another process may have synced meanwhile: parse whatever its writes made stale (rare).
  const late = scan.files.filter((f) => needsParse(byPath, f) && !prepared.parsed.has(f.path));
  if (late.length > 0) {
    await prepared.prepare(late);
    await prepared.judge(db, repositoryId);
  }
  const inScope = (path: string) => !onlyPaths || onlyPaths.has(path);
  const vanished = index.filter((e) => !e.removed && inScope(e.filePath) && !present.has(e.filePath) && !hiddenFromScan(scan, e.filePath));

  const toPlan = scan.files.filter((f) => prepared.parsed.get(f.path)?.synced && needsParse(byPath, f));
  // Rows loaded by id at a path whose file exists but is not planned belong to that file: leave them.
  const plannedPaths = new Set(toPlan.map((f) => f.path));
  // The share of the mirror the plan removes is counted before any part is applied.
  let totalRows: number | undefined;
  if (apply && repositoryId && toPlan.length > planBatch && !input.allowMassRemoval) totalRows = await countLiveRows(db, repositoryId);
  let pending: Plan | undefined;
  for (let i = 0; i < toPlan.length; i += planBatch) {
    const part = await planPart(input, db, repositoryId, toPlan.slice(i, i + planBatch), present, plannedPaths);
    if (pending) await apply?.(pending);
    pending = part;
  }
  const vanishedWorkstreams = vanished.filter((e) => e.kind === 'workstream');
  const vanishedTasks = await countLiveTasks(
    db,
    vanishedWorkstreams.map((e) => e.id),
  );
  const removals = input.planner.finish(
    vanishedWorkstreams.map((e) => ({ id: e.id, fileId: e.fileId, filePath: e.filePath, taskCount: vanishedTasks.get(e.id) ?? 0 })),
    vanished.filter((e) => e.kind === 'adr').map((e) => ({ id: e.id, fileId: e.fileId, filePath: e.filePath })),
  );
  const receipt = input.planner.receipt();
  await judgeMassRemoval(input, db, repositoryId, receipt, vanished, totalRows);
  if (apply && receipt.massRemoval.reasons.length > 0) throw massRemovalRefused(receipt.massRemoval.reasons, input.refusal);
  if (pending) await apply?.(pending);
  await apply?.(removals);
  // Drift flags the sync settles: files it re-read (and planned from) or that are gone.
  const settled = index.filter(
    (e) =>
      e.drifted && (plannedPaths.has(e.filePath) || (!present.has(e.filePath) && inScope(e.filePath) && !hiddenFromScan(scan, e.filePath))),
  );
  return { receipt, settled };
}

/** Adds the mass-removal policy's reasons (reconcile/mass-removal.ts) to the receipt; counts and lists only when needed. */
async function judgeMassRemoval(
  input: PlanStepInput,
  db: SqlExecutor,
  repositoryId: string | undefined,
  receipt: PlanReceipt,
  vanished: readonly MirrorIndexEntry[],
  totalRows: number | undefined,
): Promise<void> {
  if (input.allowMassRemoval) return;
  const check = receipt.massRemoval;
  // The share of the mirror a plan removes needs the live row count: counted only when it removes rows.
  if (check.removedRows > 0) {
    check.totalRows = totalRows ?? (repositoryId ? await countLiveRows(db, repositoryId) : 0);
    const reason = massRemovalShareReason(check.removedRows, check.totalRows, input.config.sync.massRemovalThreshold);
    if (reason) check.reasons.push(reason);
  }
  // A configured root with no file left while the mirror holds rows from it is refused whatever its share.
  const roots = rootsWithVanishedRows([...input.config.roots.workplans, ...input.config.roots.adr], vanished);
  if (roots.length > 0) check.reasons.push(...emptyRootReasons(roots, (await input.scan.listAll()).files));
  const unreadable = check.reasons.length > 0 ? unreadableDirectoriesReason((await input.scan.listAll()).problems) : undefined;
  if (unreadable) check.reasons.push(unreadable);
}

/** Plans one batch of files: their rows (taken from where they waited) against the mirror rows they may match. */
async function planPart(
  input: PlanStepInput,
  db: SqlExecutor,
  repositoryId: string | undefined,
  batch: ScannedFile[],
  present: ReadonlySet<string>,
  plannedPaths: Set<string>,
): Promise<Plan> {
  const { prepared } = input;
  const desired: DesiredWorkstream[] = [];
  const desiredAdrs: DesiredAdr[] = [];
  const pendingIds = new Map<string, PendingId[]>();
  for (const file of batch) {
    const taken = prepared.rows.take(file.path);
    if (!taken) continue;
    if (taken.pendingIds.length > 0) pendingIds.set(file.path, taken.pendingIds);
    if (prepared.parsed.get(file.path)?.kind === 'workplan') desired.push(taken.rows as DesiredWorkstream);
    else desiredAdrs.push(taken.rows as DesiredAdr);
  }
  const mirror = await readCandidateWorkstreams(input, db, repositoryId, desired, present, plannedPaths);
  const mirrorAdrs = await readCandidateAdrs(input, db, repositoryId, desiredAdrs, present, plannedPaths);
  // Rows loaded for a path whose file failed to parse are not candidates for anything.
  const part = input.planner.part({ desired, desiredAdrs, mirror, mirrorAdrs });
  if (input.writeBack) planPartWriteBacks(input, part, pendingIds);
  return part;
}

/**
 * The mirror's workstream rows the batch's workplans may match. An incremental sync sees only some
 * files: a row it matches at a path outside this sync whose file still exists means the new file is a
 * copy (same id), which is then not synced (check-repository.ts, workplan-id-duplicate).
 */
async function readCandidateWorkstreams(
  input: PlanStepInput,
  db: SqlExecutor,
  repositoryId: string | undefined,
  desired: DesiredWorkstream[],
  present: ReadonlySet<string>,
  plannedPaths: Set<string>,
) {
  const { onlyPaths, source, config } = input;
  const rows = repositoryId
    ? await readMirrorWorkstreams(db, repositoryId, {
        ids: desired.flatMap((d) => (d.uuid ? [d.uuid] : [])),
        fileIds: desired.map((d) => d.fields.fileId),
        filePaths: desired.map((d) => d.fields.filePath),
      })
    : [];
  if (onlyPaths) {
    for (const row of rows) {
      const rowPath = row.fields.filePath;
      if (row.removed || onlyPaths.has(rowPath)) continue;
      if (!isSourceFile(await source.read(rowPath, 'workplan', config))) continue;
      for (let i = desired.length - 1; i >= 0; i--) {
        const d = desired[i]!;
        if (d.uuid !== row.id && d.fields.fileId !== row.fields.fileId) continue;
        const idSpan = input.prepared.parsed.get(d.fields.filePath)?.idSpan;
        input.diagnostics.push(workplanIdTakenDiagnostic(d.fields.filePath, d.fields.fileId, idSpan, rowPath));
        desired.splice(i, 1);
        plannedPaths.delete(d.fields.filePath);
      }
    }
  }
  const stillThere = new Set<string>();
  for (const row of rows) {
    const rowPath = row.fields.filePath;
    if (plannedPaths.has(rowPath) || row.removed) continue;
    if (present.has(rowPath) || (onlyPaths && !onlyPaths.has(rowPath) && isSourceFile(await source.read(rowPath, 'workplan', config)))) {
      stillThere.add(row.id);
    }
  }
  return rows.filter((r) => !stillThere.has(r.id));
}

/**
 * The mirror's ADR rows the batch's ADRs may match. ADR rows are keyed by path: a row of the same id
 * at another path whose file still exists is that file's (two ADRs may share a number), never a
 * candidate for this one.
 */
async function readCandidateAdrs(
  input: PlanStepInput,
  db: SqlExecutor,
  repositoryId: string | undefined,
  desiredAdrs: DesiredAdr[],
  present: ReadonlySet<string>,
  plannedPaths: ReadonlySet<string>,
) {
  const { onlyPaths, source, config } = input;
  const loaded = repositoryId
    ? await readMirrorAdrs(db, repositoryId, {
        fileIds: desiredAdrs.map((d) => d.fields.fileId),
        filePaths: desiredAdrs.map((d) => d.fields.filePath),
      })
    : [];
  const adrPaths = new Set(desiredAdrs.map((d) => d.fields.filePath));
  const out: typeof loaded = [];
  for (const row of loaded) {
    const rowPath = row.fields.filePath;
    if (!adrPaths.has(rowPath)) {
      if (present.has(rowPath) || plannedPaths.has(rowPath)) continue;
      if (onlyPaths && !onlyPaths.has(rowPath) && isSourceFile(await source.read(rowPath, 'adr', config))) continue;
    }
    out.push(row);
  }
  return out;
}

/** Plans the id write-backs of a part, and stores in its rows the hash each file will have after them (no re-parse next time). */
function planPartWriteBacks(input: PlanStepInput, part: Plan, pendingIds: Map<string, PendingId[]>): void {
  const { prepared, scan, config, edited } = input;
  const readBytes = (path: string) => {
    const kept = prepared.writeBackSources.peek(path);
    const file = scan.byPath.get(path);
    return kept && file ? { bytes: Buffer.from(kept.bytes, 'base64'), hash: file.hash } : undefined;
  };
  const tooLarge = (path: string, bytes: number, ids: number) =>
    input.diagnostics.push(writeBackTooLarge(path, bytes, ids, config.sync.maxFileBytes));
  for (const [path, e] of planWriteBacks(part, pendingIds, readBytes, config.sync.maxFileBytes, tooLarge)) edited.set(path, e);
  for (const w of part.workstreams) {
    const e = edited.get(w.fields.filePath);
    if (e) w.contentHash = e.hash;
  }
}

/** The mirror's index by path; a live entry wins over a removed one at the same path. */
export function indexByPath(index: readonly MirrorIndexEntry[]): Map<string, MirrorIndexEntry> {
  const m = new Map<string, MirrorIndexEntry>();
  for (const e of index) {
    const existing = m.get(e.filePath);
    if (!existing || (existing.removed && !e.removed)) m.set(e.filePath, e);
  }
  return m;
}
