// The `sync` use case: files → plan → mirror, then ids written back into the files.
// All fallible file work (reading, decoding, parsing) happens before the transaction; the plan is
// computed under the repository lock from a fresh read of the mirror and applied in the same short
// transaction; write-backs happen after commit, each a compare-and-swap (adr/0003).
import { join, posix, sep } from 'node:path';
import type { WorkplanConfig } from '../model/config.js';
import { gitBlobHash, hashText } from '../model/content-hash.js';
import type { Diagnostic, Span } from '../model/diagnostic.js';
import { SyncError, isSyncError } from '../model/errors.js';
import { decodeSource } from '../parse/decode.js';
import { isEmptyPlan, massRemovalShareReason, type Plan } from '../reconcile/plan.js';
import { createBatchedPlan, type PlanReceipt } from '../reconcile/plan-batches.js';
import type { DesiredAdr, DesiredWorkstream, MirrorIndexEntry } from '../reconcile/rows.js';
import { applyTextEdits } from '../writeback/apply-text-edits.js';
import type { TextEdit } from '../model/text-edit.js';
import { writeFileIfUnchanged } from '../fs/atomic-write.js';
import { sweepStaleTempFiles } from '../fs/sweep-temp-files.js';
import { applyPlan } from '../db/apply-plan.js';
import { clearDriftFlags } from '../db/drift-flags.js';
import { countLiveRows, countLiveTasks, readKeyOwners, readMirrorAdrs, readMirrorIndex, readMirrorWorkstreams } from '../db/mirror-read.js';
import { collectSharedKeys, hasSharedKeys, judgeFiles } from '../reconcile/judge-files.js';
import type { WorkplanSummary } from '../reconcile/check-repository.js';
import type { AdrLinkSubject } from '../parse/adr-links.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { isSourceFile, listingProblemDiagnostic, type SourceFile, type SourceListing, type SourceProvider } from './source-files.js';
import { PLACEHOLDER_UUID, type PendingId, type PreparedFile } from './prepare-file.js';
import { openParsePoolFor, prepareFiles, type ParsePool } from './parse-pool.js';
import { fileSpill, type DesiredRows, type Spill } from './desired-spill.js';
import type { PreparedCache } from './prepared-cache.js';
import { ensureRepositoryRow, findRepository, type RepositoryIdentity } from './repository-row.js';

export type SyncTrigger = 'cli' | 'hook' | 'watch' | 'schedule' | 'mcp';

/** A listed file: its hash always, its bytes once they were read (unchanged files are never read). */
type ScannedFile = Omit<SourceFile, 'bytes'> & { bytes?: Uint8Array };

/** The database side of a sync: raw SQL plus a transaction that holds the repository lock. */
export interface MirrorDatabase {
  db: SqlExecutor;
  withRepositoryLock<T>(repositoryKey: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

export interface SyncOptions {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
  source: SourceProvider;
  mirror: MirrorDatabase;
  trigger: SyncTrigger;
  dryRun?: boolean;
  allowMassRemoval?: boolean;
  /** Write assigned ids into the files (default true; false when the source is not the working tree). */
  writeBack?: boolean;
  /** Only these repository-relative paths (incremental sync); others are neither read nor removed. */
  paths?: string[];
  newId: () => string;
  now: () => Date;
  onProgress?: (event: SyncProgress) => void;
  /** Parser worker threads (default: one per core for large batches; 0 parses on this thread). */
  workers?: number;
  /** Reuse parse results of files parsed before (e.g. by `check` or the hook). */
  cache?: PreparedCache;
  /**
   * Files planned and applied together (default PLAN_BATCH_FILES): a sync of more changed files plans
   * and writes them in parts inside its one transaction, so it never holds every file's rows at once.
   */
  planBatchFiles?: number;
  /** Sees each part of the plan as it is applied, rows included (the benchmark's raw-SQL reference). */
  onPlanPart?: (part: Plan) => void;
}

/** Files per part of a sync's plan: a few megabytes of rows at a time. */
export const PLAN_BATCH_FILES = 256;
/**
 * Bytes of files read while listing that are kept for their parse (the rest are read again then, from
 * the page cache). 8 MB, not 32: they are all resident while the parser threads start (ADR 0016).
 */
const KEPT_BYTES = 8 * 1024 * 1024;
/** Assumed size of a file to parse that was not read yet (it decides whether parser threads pay). */
const ESTIMATED_FILE_BYTES = 8 * 1024;

export type SyncProgress =
  | { kind: 'scanned'; files: number }
  | { kind: 'parsed'; done: number; total: number }
  | { kind: 'applying' };

export interface WriteBackResult {
  path: string;
  outcome: 'written' | 'conflict' | 'failed';
  ids: number;
  message?: string;
}

export interface SyncResult {
  /** What the sync planned and applied, without the rows' contents. */
  plan: PlanReceipt;
  diagnostics: Diagnostic[];
  files: { scanned: number; changed: number; parsed: number; failed: number };
  writeBacks: WriteBackResult[];
  dryRun: boolean;
  outcome: 'applied' | 'noop' | 'dry-run';
  durationMs: number;
  /** Time spent inside the mirror transaction (planning under lock + writes). */
  writeMs: number;
  /** Final text of files changed by write-back, for callers that need to suppress their own events. */
  writtenHashes: Map<string, string>;
}

/** Runs one sync. Throws SyncError for exceptional conditions (lock, database, mass removal). */
export async function runSync(options: SyncOptions): Promise<SyncResult> {
  const started = options.now().getTime();
  const { config, source, mirror } = options;
  const dryRun = options.dryRun ?? false;
  const diagnostics: Diagnostic[] = [];

  // The mirror's index is read while the files are listed and hashed (on a server, the two overlap).
  // The generation is read before the index, so an index that is still current under the lock is known.
  const indexPaths = options.paths ? [...new Set(options.paths)] : undefined;
  const mirrorIndex = (async () => {
    const row = await findRepository(mirror.db, options.repository);
    return { row, index: row ? await readMirrorIndex(mirror.db, row.id, indexPaths, { taskCounts: false }) : [] };
  })();
  mirrorIndex.catch(() => undefined); // awaited below; a listing failure first must not leave it unhandled

  const onlyPaths = options.paths ? new Set(options.paths) : undefined;
  // A sync of known paths lists only those when the source can (no walk of every directory); the whole
  // listing is then taken only if a guard needs it (a root that may have been left with no file).
  let wholeListing: Promise<SourceListing> | undefined;
  const listAll = () => (wholeListing ??= source.list(config));
  const listing = onlyPaths && source.listPaths ? await source.listPaths([...onlyPaths], config) : await listAll();
  const listed = onlyPaths ? listing.files.filter((f) => onlyPaths.has(f.path)) : listing.files;
  // What could not be listed is said, as `check` says it (a root symlinked out of the repository is not "0 files").
  for (const problem of listing.problems) diagnostics.push(listingProblemDiagnostic(problem));
  options.onProgress?.({ kind: 'scanned', files: listed.length });

  // Hash every listed file: by a stat when the source knows the file unchanged since it last read it,
  // else by reading it. Parse only those the mirror does not already hold.
  const files: ScannedFile[] = [];
  const unreadable = new Set<string>();
  const readInto = async (entry: { path: string; kind: SourceFile['kind'] }, into: ScannedFile[]) => {
    const read = await source.read(entry.path, entry.kind, config);
    if (isSourceFile(read)) into.push(read);
    else if (!('missing' in read)) {
      diagnostics.push(read);
      unreadable.add(entry.path);
    }
  };
  // Files read to be hashed keep their bytes for the parse up to a budget; beyond it they are read
  // again when their batch is parsed (a cold sync of a large repository must not hold every file).
  let keptBytes = 0;
  await forEachLimited(listed, 16, async (entry) => {
    const hash = source.knownHash?.(entry.path);
    if (hash) return void files.push({ path: entry.path, kind: entry.kind, hash });
    const read: ScannedFile[] = [];
    await readInto(entry, read);
    for (const file of read) {
      if (file.bytes && keptBytes + file.bytes.byteLength > KEPT_BYTES) delete file.bytes;
      else keptBytes += file.bytes?.byteLength ?? 0;
      files.push(file);
    }
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const scannedByPath = new Map(files.map((f) => [f.path, f]));
  /** The bytes of files known only by hash so far (they turned out to need parsing). */
  const withBytes = async (batch: ScannedFile[]): Promise<SourceFile[]> => {
    const out: SourceFile[] = [];
    await forEachLimited(batch, 16, async (file) => {
      if (file.bytes) {
        out.push(file as SourceFile);
        return;
      }
      const read: ScannedFile[] = [];
      await readInto(file, read);
      if (read[0]?.bytes) {
        Object.assign(file, { bytes: read[0].bytes, hash: read[0].hash });
        out.push(file as SourceFile);
      }
    });
    return out;
  };

  // Read-only here: a first sync creates the repository's row inside its transaction (all or nothing).
  const { row: repositoryRow, index: firstIndex } = await mirrorIndex;
  const repositoryId = repositoryRow?.id;

  const planBatch = Math.max(1, options.planBatchFiles ?? PLAN_BATCH_FILES);
  // The rows of parsed files wait here until planned: beyond one batch, in a temporary file.
  const rows: Spill<Waiting> = fileSpill(planBatch);
  // What a write-back needs: the bytes the ids are written into, and after commit the prepared file
  // without rows (its cross-file summary). Beyond one batch on disk: a cold sync writes ids into most
  // files of a repository, and their bytes must not all stay in memory until then.
  const writeBackSources: Spill<WriteBackSource> = fileSpill(planBatch);
  const parsed = new Map<string, ParsedFile>();
  const needsParse = (index: Map<string, MirrorIndexEntry>, file: ScannedFile) => {
    const entry = index.get(file.path);
    return !entry || entry.removed || entry.drifted || entry.contentHash !== file.hash;
  };
  const gitBlobs = new Map<string, string>();
  const prepare = async (scanned: ScannedFile[], pool?: ParsePool) => {
    let done = 0;
    for (let i = 0; i < scanned.length; i += planBatch) {
      const batch = await withBytes(scanned.slice(i, i + planBatch));
      const results = await prepareFiles(batch, config, {
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
        ...(options.cache ? { cache: options.cache } : {}),
        ...(pool ? { pool } : {}),
        onProgress: (n) => options.onProgress?.({ kind: 'parsed', done: done + n, total: scanned.length }),
      });
      done += batch.length;
      const bytesOf = new Map(batch.map((f) => [f.path, f.bytes]));
      for (const r of results) {
        parsed.set(r.path, parsedFile(r));
        diagnostics.push(...r.diagnostics);
        if (r.desired) rows.put(r.path, { rows: r.desired, pendingIds: r.pendingIds });
        const bytes = bytesOf.get(r.path);
        if (r.pendingIds.length > 0 && bytes) {
          writeBackSources.put(r.path, { prepared: { ...r, desired: null, diagnostics: [] }, bytes: Buffer.from(bytes).toString('base64') });
        }
      }
      // A parsed file's git blob id is all the mirror needs of its bytes (a cold sync of a large
      // repository must not hold every file); those a write-back needs wait in writeBackSources.
      for (const file of batch) {
        gitBlobs.set(file.path, gitBlobHash(file.bytes));
        delete (file as ScannedFile).bytes;
      }
    }
  };
  const firstByPath = indexByPath(firstIndex);
  const toDo = files.filter((f) => needsParse(firstByPath, f));

  // The cross-file rules (the same as `workplan check`'s) over the parsed files and the unchanged
  // files whose rows share an id or a mirror id with them (read and parsed now); a file they find an
  // error in is not synced, exactly as one with an error of its own. Run again when more files are parsed.
  let crossFile: Diagnostic[] = [];
  const judge = async (db: SqlExecutor, repoId: string | undefined) => {
    const keys = collectSharedKeys(parsed.values());
    const owners = repoId && hasSharedKeys(keys) ? await readKeyOwners(db, repoId, keys) : [];
    const related: ScannedFile[] = [];
    for (const owner of owners) {
      if (parsed.has(owner.path)) continue;
      const listed = scannedByPath.get(owner.path);
      if (listed) related.push(listed);
      else if (onlyPaths && !onlyPaths.has(owner.path)) {
        // An incremental sync did not list it: it takes part if it still exists.
        const read = await source.read(owner.path, owner.kind, config);
        if (isSourceFile(read)) related.push(read);
      }
    }
    if (related.length > 0) await prepare(related);
    crossFile = judgeFiles([...parsed.values()]);
    for (const d of crossFile) {
      const file = d.severity === 'error' ? parsed.get(d.path) : undefined;
      if (file?.synced) {
        file.synced = false;
        rows.drop(file.path);
      }
    }
  };

  const planner = createBatchedPlan({
    newId: options.newId,
    massRemovalThreshold: config.sync.massRemovalThreshold,
    allowMassRemoval: options.allowMassRemoval ?? false,
  });
  const edited = new Map<string, PlannedWriteBack>();
  const writeBack = !dryRun && (options.writeBack ?? true);
  let plan: PlanReceipt;
  let writeMs = 0;
  try {
    const knownBytes = toDo.reduce((n, f) => n + (f.bytes?.byteLength ?? ESTIMATED_FILE_BYTES), 0);
    const pool = openParsePoolFor(config, toDo.length, knownBytes, options.workers);
    try {
      await prepare(toDo, pool);
    } finally {
      await pool?.close();
    }
    await judge(mirror.db, repositoryId);

    /**
     * Plans the changed files in batches against the mirror (read through `db`) and hands each part to
     * `apply` (nothing when planning only). The removals and the mass-removal check come last; a
     * refusal then throws inside the caller's transaction, so the parts applied before it roll back.
     */
    const planAndApply = async (db: SqlExecutor, repoId: string | undefined, generation: number | undefined, apply?: (part: Plan) => Promise<void>) => {
      // Under the lock, the first read still holds unless another sync changed the mirror meanwhile (even
      // with an older version of a file we skip as unchanged): then read again. Rows changed behind the
      // files' back meanwhile keep their drift flags for the next sync; those already flagged are re-read.
      const current = repoId !== undefined && repoId === repositoryRow?.id && generation === repositoryRow.generation;
      const index = current ? firstIndex : repoId ? await readMirrorIndex(db, repoId, indexPaths, { taskCounts: false }) : [];
      const byPath = indexByPath(index);
      const present = new Set(files.map((f) => f.path));
      // Another process may have synced meanwhile: parse whatever its writes made stale (rare).
      const late = files.filter((f) => needsParse(byPath, f) && !parsed.has(f.path));
      if (late.length > 0) {
        await prepare(late);
        await judge(db, repoId);
      }
      const scanProblem = (path: string) =>
        unreadable.has(path) || listing.problems.some((p) => path === p.path || path.startsWith(`${p.path}/`));
      const inScope = (path: string) => !onlyPaths || onlyPaths.has(path);
      const vanishedEntries = index.filter(
        (e) => !e.removed && inScope(e.filePath) && !present.has(e.filePath) && !scanProblem(e.filePath),
      );

      const toPlan = files.filter((f) => parsed.get(f.path)?.synced && needsParse(byPath, f));
      // Rows loaded by id at a path whose file exists but is not planned belong to that file: leave them.
      const plannedPaths = new Set(toPlan.map((f) => f.path));
      // The share of the mirror the plan removes is counted before any part is applied.
      let totalRows: number | undefined;
      if (apply && repoId && toPlan.length > planBatch && !options.allowMassRemoval) totalRows = await countLiveRows(db, repoId);
      let pending: Plan | undefined;
      for (let i = 0; i < toPlan.length; i += planBatch) {
        const part = await planPart(db, repoId, toPlan.slice(i, i + planBatch), present, plannedPaths);
        if (pending) await apply?.(pending);
        pending = part;
      }
      const vanishedWorkstreams = vanishedEntries.filter((e) => e.kind === 'workstream');
      const vanishedTasks = await countLiveTasks(db, vanishedWorkstreams.map((e) => e.id));
      const removals = planner.finish(
        vanishedWorkstreams.map((e) => ({ id: e.id, fileId: e.fileId, filePath: e.filePath, taskCount: vanishedTasks.get(e.id) ?? 0 })),
        vanishedEntries.filter((e) => e.kind === 'adr').map((e) => ({ id: e.id, fileId: e.fileId, filePath: e.filePath })),
      );
      const receipt = planner.receipt();
      // The share of the mirror a plan removes needs the live row count: counted only when it removes rows.
      if (!options.allowMassRemoval && receipt.massRemoval.removedRows > 0) {
        receipt.massRemoval.totalRows = totalRows ?? (repoId ? await countLiveRows(db, repoId) : 0);
        const reason = massRemovalShareReason(receipt.massRemoval.removedRows, receipt.massRemoval.totalRows, config.sync.massRemovalThreshold);
        if (reason) receipt.massRemoval.reasons.push(reason);
      }
      // A configured root with no file left while the mirror holds rows from it (the directory was
      // deleted, a checkout failed) is refused like a file seen empty, whatever its share of rows.
      if (!options.allowMassRemoval) {
        for (const root of [...config.roots.workplans, ...config.roots.adr]) {
          const dir = posix.normalize(root).replace(/\/+$/, '');
          const under = (path: string) => dir === '.' || dir === '' || path.startsWith(`${dir}/`);
          const gone = vanishedEntries.filter((e) => under(e.filePath));
          if (gone.length > 0 && !(await listAll()).files.some((f) => under(f.path))) {
            receipt.massRemoval.reasons.push(
              `${dir}/ has no files left but the mirror has ${gone.length} workplan(s) or ADR(s) from it; a deleted directory or a failed checkout must not remove them`,
            );
          }
        }
      }
      const problems = receipt.massRemoval.reasons.length > 0 ? (await listAll()).problems : [];
      if (problems.length > 0) receipt.massRemoval.reasons.push(`some directories could not be read: ${problems.map((p) => p.path).join(', ')}`);
      if (apply && receipt.massRemoval.reasons.length > 0) {
        throw massRemovalRefused(receipt.massRemoval.reasons, options.repository, repositoryRow);
      }
      if (pending) await apply?.(pending);
      await apply?.(removals);
      // Drift flags the sync settles: files it re-read (and planned from) or that are gone.
      const settled = index.filter(
        (e) => e.drifted && (plannedPaths.has(e.filePath) || (!present.has(e.filePath) && inScope(e.filePath) && !scanProblem(e.filePath))),
      );
      return { receipt, settled };
    };

    /** Plans one batch of files: their rows (taken from where they waited) against the mirror rows they may match. */
    const planPart = async (db: SqlExecutor, repoId: string | undefined, batch: ScannedFile[], present: Set<string>, plannedPaths: Set<string>) => {
      const desired: DesiredWorkstream[] = [];
      const desiredAdrs: DesiredAdr[] = [];
      const pendingIds = new Map<string, PendingId[]>();
      for (const file of batch) {
        const taken = rows.take(file.path);
        if (!taken) continue;
        if (taken.pendingIds.length > 0) pendingIds.set(file.path, taken.pendingIds);
        if (parsed.get(file.path)?.kind === 'workplan') desired.push(taken.rows as DesiredWorkstream);
        else desiredAdrs.push(taken.rows as DesiredAdr);
      }
      let mirrorRows = repoId
        ? await readMirrorWorkstreams(db, repoId, {
            ids: desired.flatMap((d) => (d.uuid ? [d.uuid] : [])),
            fileIds: desired.map((d) => d.fields.fileId),
            filePaths: desired.map((d) => d.fields.filePath),
          })
        : [];
      if (onlyPaths) {
        // An incremental sync sees only some files: a row it matches at a path outside this sync whose
        // file still exists means the new file is a copy (same id), and must not take the row over.
        for (const row of mirrorRows) {
          const rowPath = row.fields.filePath;
          if (row.removed || onlyPaths.has(rowPath)) continue;
          if (!isSourceFile(await source.read(rowPath, 'workplan', config))) continue;
          for (let i = desired.length - 1; i >= 0; i--) {
            const d = desired[i]!;
            if (d.uuid !== row.id && d.fields.fileId !== row.fields.fileId) continue;
            const at = { line: 1, column: 1, offset: 0 };
            diagnostics.push({
              path: d.fields.filePath,
              span: parsed.get(d.fields.filePath)?.idSpan ?? { start: at, end: at },
              severity: 'error',
              ruleId: 'workplan-id-duplicate',
              message: `Workplan id "${d.fields.fileId}" (or its state_hub_workstream_id) is also used by ${rowPath}; this file was not synced`,
              hint: 'A copied workplan keeps its id and mirror id: give the copy a new id and delete its state_hub_* lines.',
            });
            desired.splice(i, 1);
            plannedPaths.delete(d.fields.filePath);
          }
        }
      }
      const stillThere = new Set<string>();
      for (const row of mirrorRows) {
        const rowPath = row.fields.filePath;
        if (plannedPaths.has(rowPath) || row.removed) continue;
        if (present.has(rowPath) || (onlyPaths && !onlyPaths.has(rowPath) && isSourceFile(await source.read(rowPath, 'workplan', config)))) {
          stillThere.add(row.id);
        }
      }
      mirrorRows = mirrorRows.filter((r) => !stillThere.has(r.id));
      const loadedAdrs = repoId
        ? await readMirrorAdrs(db, repoId, {
            fileIds: desiredAdrs.map((d) => d.fields.fileId),
            filePaths: desiredAdrs.map((d) => d.fields.filePath),
          })
        : [];
      // ADR rows are keyed by path: a row of the same id at another path whose file still exists is
      // that file's (two ADRs may share a number), never a candidate for this one.
      const adrPaths = new Set(desiredAdrs.map((d) => d.fields.filePath));
      const mirrorAdrs: typeof loadedAdrs = [];
      for (const row of loadedAdrs) {
        const rowPath = row.fields.filePath;
        if (!adrPaths.has(rowPath)) {
          if (present.has(rowPath) || plannedPaths.has(rowPath)) continue;
          if (onlyPaths && !onlyPaths.has(rowPath) && isSourceFile(await source.read(rowPath, 'adr', config))) continue;
        }
        mirrorAdrs.push(row);
      }
      // Rows loaded for a path whose file failed to parse are not candidates for anything.
      const part = planner.part({ desired, desiredAdrs, mirror: mirrorRows, mirrorAdrs });
      if (writeBack) {
        const readBytes = (path: string) => {
          const source = writeBackSources.peek(path);
          const file = scannedByPath.get(path);
          return source && file ? { bytes: Buffer.from(source.bytes, 'base64'), hash: file.hash } : undefined;
        };
        const tooLarge = (path: string, bytes: number, ids: number) => diagnostics.push(writeBackTooLarge(path, bytes, ids, config.sync.maxFileBytes));
        for (const [path, e] of planWriteBacks(part, pendingIds, readBytes, config.sync.maxFileBytes, tooLarge)) edited.set(path, e);
        // Store the hash the file will have after write-back, so the next sync does not re-parse it.
        for (const w of part.workstreams) {
          const e = edited.get(w.fields.filePath);
          if (e) w.contentHash = e.hash;
        }
      }
      return part;
    };

    let receipt: PlanReceipt;
    if (dryRun) {
      receipt = (await planAndApply(mirror.db, repositoryId, undefined)).receipt;
    } else {
      const txStart = options.now().getTime();
      receipt = await mirror.withRepositoryLock(options.repository.slug, async (tx) => {
        const { id: repoId, generation } = await ensureRepositoryRow(tx, options.repository, options.newId);
        let announced = false;
        const { receipt: r, settled } = await planAndApply(tx, repoId, generation, async (part) => {
          if (isEmptyPlan(part)) return;
          if (!announced) options.onProgress?.({ kind: 'applying' });
          announced = true;
          options.onPlanPart?.(part);
          await applyPlan(tx, repoId, part, options.newId, {
            ...(options.repository.gitCommit ? { gitCommit: options.repository.gitCommit } : {}),
            gitBlob: (path) => edited.get(path)?.blob ?? gitBlobs.get(path),
          });
        });
        await clearDriftFlags(tx, settled);
        await recordSyncRun(tx, repoId, options, r, files.length, toDo.length, started);
        return r;
      });
      writeMs = options.now().getTime() - txStart;
    }
    plan = receipt;
  } catch (error) {
    writeBackSources.close();
    throw error;
  } finally {
    rows.close();
  }

  const writeBacks: WriteBackResult[] = [];
  const writtenHashes = new Map<string, string>();
  // A write-back killed earlier (SIGKILL, power loss) leaves its temp and lock files beside its
  // target. Sweep them (only those of dead processes) where the walk saw some, and where files are
  // written now: a killed process may have renamed every file but not yet released its locks.
  const sweptDirs = writeBack ? [...edited.keys()].map((p) => posix.dirname(p)).concat(listing.leftoverDirs ?? []) : [];
  for (const dir of new Set(sweptDirs)) {
    await sweepStaleTempFiles(join(options.root, ...dir.split('/').filter(Boolean))).catch(() => undefined);
  }
  // Each write-back is an independent compare-and-swap of one file (fsyncs dominate): run several at once.
  await forEachLimited([...edited], 8, async ([path, e]) => {
    try {
      // The text is made again here from the bytes read (the plan kept only the edits: a large sync
      // must not hold the new text of every file it writes ids into).
      const source = writeBackSources.take(path);
      const text = source && editedText(path, Buffer.from(source.bytes, 'base64'), e.edits);
      if (text === undefined) throw new SyncError('INTERNAL', `The bytes of ${path} were not kept for its write-back`);
      await writeFileIfUnchanged(options.root, path, e.expectedHash, text);
      writeBacks.push({ path, outcome: 'written', ids: e.ids });
      writtenHashes.set(path, e.hash);
      // Cross-file summaries of the new text (ids written in), so `check` and the hook need not re-parse it.
      await options.cache?.recordWriteBack?.(source!.prepared, text);
    } catch (error) {
      writeBacks.push({
        path,
        outcome: isSyncError(error, 'WRITE_CONFLICT') ? 'conflict' : 'failed',
        ids: e.ids,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
  writeBacks.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  writeBackSources.close();
  await source.flush?.();

  const failed = [...parsed.values()].filter((p) => !p.synced).length + unreadable.size;
  return {
    plan,
    diagnostics: [...diagnostics, ...crossFile],
    files: { scanned: files.length + unreadable.size, changed: toDo.length, parsed: parsed.size, failed },
    writeBacks,
    dryRun,
    outcome: dryRun ? 'dry-run' : isEmptyPlan(plan) ? 'noop' : 'applied',
    durationMs: options.now().getTime() - started,
    writeMs,
    writtenHashes,
  };
}

/** An id write-back planned with a part of the plan: the edits, and the hashes of the text they make. */
interface PlannedWriteBack {
  edits: TextEdit[];
  /** Content hash and git blob id of the file once written. */
  hash: string;
  blob: string;
  /** The content hash of the text the edits apply to (the file as parsed). */
  expectedHash: string;
  ids: number;
}

/** What a file's id write-back needs: its bytes as parsed (base64, as it waits in a spill) and its prepared file. */
interface WriteBackSource {
  prepared: PreparedFile;
  bytes: string;
}

/** The edits that write the part's assigned ids into their files (from the bytes kept for them), with the hashes of the result. */
function planWriteBacks(
  plan: Plan,
  pendingIds: Map<string, PendingId[]>,
  readBytes: (path: string) => { bytes: Uint8Array; hash: string } | undefined,
  maxFileBytes: number,
  onTooLarge: (path: string, bytes: number, ids: number) => void,
): Map<string, PlannedWriteBack> {
  const byFile = new Map<string, Map<string, string>>();
  for (const a of plan.idAssignments) {
    let m = byFile.get(a.filePath);
    if (!m) byFile.set(a.filePath, (m = new Map()));
    m.set(`${a.kind}:${a.key}`, a.uuid);
  }
  const out = new Map<string, PlannedWriteBack>();
  for (const [path, uuids] of byFile) {
    const pending = pendingIds.get(path);
    const file = pending && readBytes(path);
    if (!pending || !file) continue;
    const edits = pending.map(({ kind, key, edit }) => {
      const uuid = uuids.get(`${kind}:${key}`);
      if (!uuid) throw new SyncError('INTERNAL', `No planned id for ${kind} ${key} in ${path}`);
      return { ...edit, text: edit.text.replace(PLACEHOLDER_UUID, uuid) };
    });
    const text = editedText(path, file.bytes, edits);
    if (text === undefined) continue;
    // Our own write-back must not push a file over the limit every later read enforces: the file
    // would then never be read, and its edits never mirrored, again. Its rows are synced all the same.
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxFileBytes) {
      onTooLarge(path, bytes, edits.length);
      continue;
    }
    out.set(path, { edits, hash: hashText(text), blob: gitBlobHash(Buffer.from(text, 'utf8')), expectedHash: file.hash, ids: edits.length });
  }
  return out;
}

/** At most this many reasons are listed in a refusal; the rest are counted. */
const MAX_REASONS_SHOWN = 5;

/**
 * The mass-removal refusal: its reasons (a few, then a count: 300 damaged files are not one 40 KB line),
 * and, when this checkout is not where the mirror's rows of its repository name were last synced from
 * and has no remote to tell them apart, that the rows may belong to another checkout.
 */
function massRemovalRefused(
  reasons: readonly string[],
  repository: RepositoryIdentity,
  row: { root: string; remoteUrl: string | undefined } | undefined,
): SyncError {
  const shown = reasons.slice(0, MAX_REASONS_SHOWN);
  const more = reasons.length - shown.length;
  const listed = shown.join('; ') + (more > 0 ? `; and ${more} more like these (\`workplan sync --dry-run --allow-mass-removal\` lists every removal)` : '');
  let hint = 'If these removals are intended, run again with --allow-mass-removal.';
  if (row && row.root !== repository.root && !repository.remoteUrl && !row.remoteUrl) {
    const suggestion = `${repository.slug}-${posix.basename(posix.dirname(repository.root.split(sep).join('/'))) || 'copy'}`;
    hint =
      `The mirror's rows for repository "${repository.slug}" were last synced from ${row.root}, not from this checkout ` +
      `(${repository.root}): checkouts without a git remote are named after their folder, and these two share one. ` +
      `If they are different repositories, give this one its own name: WORKPLAN_REPOSITORY_SLUG=${suggestion} workplan sync ` +
      '(or add a git remote). If it is the same repository moved, and the removals are intended, run again with --allow-mass-removal.';
  }
  return new SyncError('MASS_REMOVAL_REFUSED', `Refusing to sync: ${listed}. The mirror was not changed.`, { hint });
}

function writeBackTooLarge(path: string, bytes: number, ids: number, maxFileBytes: number): Diagnostic {
  const at = { line: 1, column: 1, offset: 0 };
  return {
    path,
    span: { start: at, end: at },
    severity: 'warning',
    ruleId: 'write-back-too-large',
    message: `Writing its ${ids} assigned id(s) would make this file ${bytes} bytes, over the ${maxFileBytes}-byte limit (sync.maxFileBytes); its rows were synced, the ids were not written into it`,
    hint: 'Split the file into several workplans, or raise sync.maxFileBytes in workplan.config.json.',
  };
}

function editedText(path: string, bytes: Uint8Array, edits: readonly TextEdit[]): string | undefined {
  const decoded = decodeSource(path, bytes);
  return decoded.value ? applyTextEdits(decoded.value.text, edits) : undefined;
}

/** What a sync keeps of a parsed file once its rows wait in the spill: enough for the cross-file checks and write-back. */
interface ParsedFile {
  path: string;
  kind: 'workplan' | 'adr';
  /** It has rows to sync: false when it has errors of its own or an error of the cross-file rules. */
  synced: boolean;
  /** What the cross-file rules need (reconcile/judge-files.ts). */
  summary?: WorkplanSummary;
  adr?: AdrLinkSubject;
  /** Where the workplan id is written. */
  idSpan?: Span;
}

/** A parsed file's rows and id write-back edits, waiting (in the spill) for its part of the plan. */
interface Waiting {
  rows: DesiredRows;
  pendingIds: PendingId[];
}

function parsedFile(p: PreparedFile): ParsedFile {
  const out: ParsedFile = { path: p.path, kind: p.kind, synced: p.desired !== null };
  if (p.kind === 'workplan') {
    if (p.summary) out.summary = p.summary;
    if (p.idSpan) out.idSpan = p.idSpan;
  } else if (p.adr) {
    const { path, id, links, idSpan, titleHeading, statusSpan, frontmatter } = p.adr;
    out.adr = { path, id, ...(links ? { links } : {}), ...(idSpan ? { idSpan } : {}), ...(titleHeading ? { titleHeading } : {}), ...(statusSpan ? { statusSpan } : {}), ...(frontmatter ? { frontmatter: { ...frontmatter, data: { extra: {} }, fields: [] } } : {}) };
  }
  return out;
}

async function recordSyncRun(
  tx: SqlExecutor,
  repositoryId: string,
  options: SyncOptions,
  plan: PlanReceipt,
  scanned: number,
  changed: number,
  started: number,
): Promise<void> {
  if (isEmptyPlan(plan)) return; // a no-op sync writes nothing, not even its own record
  // One statement: the run's record and the repository's generation (read by concurrent syncs).
  await tx.$executeRawUnsafe(
    `WITH run AS (
       INSERT INTO sync_runs (id, repository_id, trigger, outcome, started_at, finished_at, files_scanned, files_changed,
              created, updated, removed, drifted, ids_assigned, git_commit)
       VALUES ($1::uuid, $2::uuid, $3, 'applied', $4::timestamptz, now(), $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING repository_id)
     UPDATE repositories SET last_synced_at = now(), updated_at = now(), sync_generation = sync_generation + 1
      WHERE id = (SELECT repository_id FROM run)`,
    options.newId(),
    repositoryId,
    options.trigger,
    new Date(started).toISOString(),
    scanned,
    changed,
    plan.counts.created,
    plan.counts.updated,
    plan.counts.removed,
    plan.counts.drifted,
    plan.counts.idsAssigned,
    options.repository.gitCommit ?? null,
  );
}

function indexByPath(index: MirrorIndexEntry[]): Map<string, MirrorIndexEntry> {
  const m = new Map<string, MirrorIndexEntry>();
  for (const e of index) {
    const existing = m.get(e.filePath);
    if (!existing || (existing.removed && !e.removed)) m.set(e.filePath, e);
  }
  return m;
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}
