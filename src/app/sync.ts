// The `sync` use case: files → plan → mirror, then ids written back into the files.
// All fallible file work (reading, decoding, parsing) happens before the transaction; the plan is
// computed under the repository lock from a fresh read of the mirror and applied in the same short
// transaction; write-backs happen after commit, each a compare-and-swap (adr/0003).
import { join, posix } from 'node:path';
import type { WorkplanConfig } from '../model/config.js';
import { gitBlobHash, hashText } from '../model/content-hash.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { SyncError, isSyncError } from '../model/errors.js';
import { decodeSource } from '../parse/decode.js';
import { isEmptyPlan, massRemovalShareReason, planReconcile, type Plan } from '../reconcile/plan.js';
import type { DesiredAdr, DesiredWorkstream, MirrorIndexEntry } from '../reconcile/rows.js';
import { applyTextEdits } from '../writeback/apply-text-edits.js';
import { writeFileIfUnchanged } from '../fs/atomic-write.js';
import { sweepStaleTempFiles } from '../fs/sweep-temp-files.js';
import { applyPlan } from '../db/apply-plan.js';
import { clearDriftFlags } from '../db/drift-flags.js';
import { countLiveRows, countLiveTasks, readMirrorAdrs, readMirrorIndex, readMirrorWorkstreams } from '../db/mirror-read.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { isSourceFile, type SourceFile, type SourceProvider } from './source-files.js';
import { PLACEHOLDER_UUID, type PreparedFile } from './prepare-file.js';
import { prepareFiles } from './parse-pool.js';
import type { PreparedCache } from './prepared-cache.js';
import { ensureRepositoryRow, findRepository, type RepositoryIdentity } from './repository-row.js';

export type SyncTrigger = 'cli' | 'hook' | 'watch' | 'schedule';

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
}

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
  plan: Plan;
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

  const listing = await source.list(config);
  const onlyPaths = options.paths ? new Set(options.paths) : undefined;
  const listed = onlyPaths ? listing.files.filter((f) => onlyPaths.has(f.path)) : listing.files;
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
  await forEachLimited(listed, 16, async (entry) => {
    const hash = source.knownHash?.(entry.path);
    if (hash) files.push({ path: entry.path, kind: entry.kind, hash });
    else await readInto(entry, files);
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
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

  const prepared = new Map<string, PreparedFile>();
  const needsParse = (index: Map<string, MirrorIndexEntry>, file: ScannedFile) => {
    const entry = index.get(file.path);
    return !entry || entry.removed || entry.drifted || entry.contentHash !== file.hash;
  };
  const gitBlobs = new Map<string, string>();
  const prepare = async (scanned: ScannedFile[]) => {
    const batch = await withBytes(scanned);
    const results = await prepareFiles(batch, config, {
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
      onProgress: (done, total) => options.onProgress?.({ kind: 'parsed', done, total }),
    });
    for (const r of results) {
      prepared.set(r.path, r);
      diagnostics.push(...r.diagnostics);
    }
    // Keep a parsed file's bytes only while a write-back may need them; its git blob id is all the
    // mirror needs (a cold sync of a large repository must not hold every file).
    for (const file of batch) {
      gitBlobs.set(file.path, gitBlobHash(file.bytes));
      if (!prepared.get(file.path)?.pendingIds.length) delete (file as ScannedFile).bytes;
    }
  };
  const firstByPath = indexByPath(firstIndex);
  const toDo = files.filter((f) => needsParse(firstByPath, f));
  await prepare(toDo);
  diagnostics.push(...checkDuplicateIds(prepared, firstIndex, new Set(files.map((f) => f.path))));

  const compute = async (db: SqlExecutor, repoId: string | undefined, generation?: number) => {
    // Under the lock, the first read still holds unless another sync changed the mirror meanwhile (even
    // with an older version of a file we skip as unchanged): then read again. Rows changed behind the
    // files' back meanwhile keep their drift flags for the next sync; those already flagged are re-read.
    const current = repoId !== undefined && repoId === repositoryRow?.id && generation === repositoryRow.generation;
    const index = current ? firstIndex : repoId ? await readMirrorIndex(db, repoId, indexPaths, { taskCounts: false }) : [];
    const byPath = indexByPath(index);
    const present = new Set(files.map((f) => f.path));
    // Another process may have synced meanwhile: parse whatever its writes made stale (rare).
    const late = files.filter((f) => needsParse(byPath, f) && !prepared.has(f.path));
    if (late.length > 0) {
      await prepare(late);
      diagnostics.push(...checkDuplicateIds(prepared, index, present));
    }
    const scanProblem = (path: string) =>
      unreadable.has(path) || listing.problems.some((p) => path === p.path || path.startsWith(`${p.path}/`));
    const inScope = (path: string) => !onlyPaths || onlyPaths.has(path);

    const desired: DesiredWorkstream[] = [];
    const desiredAdrs: DesiredAdr[] = [];
    for (const file of files) {
      const p = prepared.get(file.path);
      if (!p?.desired || !needsParse(byPath, file)) continue;
      if (p.kind === 'workplan') desired.push(p.desired);
      else desiredAdrs.push(p.desired);
    }
    const vanishedEntries = index.filter(
      (e) => !e.removed && inScope(e.filePath) && !present.has(e.filePath) && !scanProblem(e.filePath),
    );
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
          const p = prepared.get(d.fields.filePath);
          const at = { line: 1, column: 1, offset: 0 };
          diagnostics.push({
            path: d.fields.filePath,
            span: (p?.kind === 'workplan' && p.idSpan) || { start: at, end: at },
            severity: 'error',
            ruleId: 'workplan-id-duplicate',
            message: `Workplan id "${d.fields.fileId}" (or its state_hub_workstream_id) is also used by ${rowPath}; this file was not synced`,
            hint: 'A copied workplan keeps its id and mirror id: give the copy a new id and delete its state_hub_* lines.',
          });
          desired.splice(i, 1);
        }
      }
    }
    // Rows loaded by id at a path whose file exists but is not being synced belong to that file: leave them.
    const desiredPaths = new Set(desired.map((d) => d.fields.filePath));
    const stillThere = new Set<string>();
    for (const row of mirrorRows) {
      const rowPath = row.fields.filePath;
      if (desiredPaths.has(rowPath) || row.removed) continue;
      if (present.has(rowPath) || (onlyPaths && !onlyPaths.has(rowPath) && isSourceFile(await source.read(rowPath, 'workplan', config)))) {
        stillThere.add(row.id);
      }
    }
    mirrorRows = mirrorRows.filter((r) => !stillThere.has(r.id));
    const mirrorAdrs = repoId
      ? await readMirrorAdrs(db, repoId, {
          fileIds: desiredAdrs.map((d) => d.fields.fileId),
          filePaths: desiredAdrs.map((d) => d.fields.filePath),
        })
      : [];
    const vanishedWorkstreams = vanishedEntries.filter((e) => e.kind === 'workstream');
    const vanishedTasks = await countLiveTasks(db, vanishedWorkstreams.map((e) => e.id));
    const plan = planReconcile({
      desired,
      desiredAdrs,
      // Rows loaded for a path whose file failed to parse are not candidates for anything.
      mirror: mirrorRows,
      mirrorAdrs,
      vanished: vanishedWorkstreams.map((e) => ({ id: e.id, fileId: e.fileId, filePath: e.filePath, taskCount: vanishedTasks.get(e.id) ?? 0 })),
      vanishedAdrs: vanishedEntries.filter((e) => e.kind === 'adr').map((e) => ({ id: e.id, fileId: e.fileId, filePath: e.filePath })),
      newId: options.newId,
      massRemovalThreshold: config.sync.massRemovalThreshold,
      allowMassRemoval: options.allowMassRemoval ?? false,
    });
    // The share of the mirror a plan removes needs the live row count: counted only when it removes rows.
    if (!options.allowMassRemoval && plan.massRemoval.removedRows > 0) {
      plan.massRemoval.totalRows = repoId ? await countLiveRows(db, repoId) : 0;
      const reason = massRemovalShareReason(plan.massRemoval.removedRows, plan.massRemoval.totalRows, config.sync.massRemovalThreshold);
      if (reason) plan.massRemoval.reasons.push(reason);
    }
    // A configured root with no file left while the mirror holds rows from it (the directory was
    // deleted, a checkout failed) is refused like a file seen empty, whatever its share of rows.
    if (!options.allowMassRemoval) {
      for (const root of [...config.roots.workplans, ...config.roots.adr]) {
        const dir = posix.normalize(root).replace(/\/+$/, '');
        const under = (path: string) => dir === '.' || dir === '' || path.startsWith(`${dir}/`);
        const gone = vanishedEntries.filter((e) => under(e.filePath));
        if (gone.length > 0 && !listing.files.some((f) => under(f.path))) {
          plan.massRemoval.reasons.push(
            `${dir}/ has no files left but the mirror has ${gone.length} workplan(s) or ADR(s) from it; a deleted directory or a failed checkout must not remove them`,
          );
        }
      }
    }
    if (plan.massRemoval.reasons.length > 0 && listing.problems.length > 0) {
      plan.massRemoval.reasons.push(`some directories could not be read: ${listing.problems.map((p) => p.path).join(', ')}`);
    }
    // Drift flags the sync settles: files it re-read (and planned from) or that are gone.
    const planned = new Set([...desiredPaths, ...desiredAdrs.map((d) => d.fields.filePath)]);
    const settled = index.filter((e) => e.drifted && (planned.has(e.filePath) || (!present.has(e.filePath) && inScope(e.filePath) && !scanProblem(e.filePath))));
    return { plan, settled };
  };

  const writeBack = !dryRun && (options.writeBack ?? true);
  let plan: Plan;
  let writeMs = 0;
  let edited = new Map<string, { text: string; hash: string; expectedHash: string; ids: number }>();
  if (dryRun) {
    plan = (await compute(mirror.db, repositoryId)).plan;
  } else {
    const txStart = options.now().getTime();
    plan = await mirror.withRepositoryLock(options.repository.slug, async (tx) => {
      const { id: repoId, generation } = await ensureRepositoryRow(tx, options.repository, options.newId);
      const { plan: p, settled } = await compute(tx, repoId, generation);
      if (p.massRemoval.reasons.length > 0) {
        throw new SyncError('MASS_REMOVAL_REFUSED', `Refusing to sync: ${p.massRemoval.reasons.join('; ')}. The mirror was not changed.`, {
          hint: 'If these removals are intended, run again with --allow-mass-removal.',
        });
      }
      edited = writeBack ? planWriteBacks(p, prepared, files) : new Map();
      // Store the hash the file will have after write-back, so the next sync does not re-parse it.
      for (const w of p.workstreams) {
        const e = edited.get(w.fields.filePath);
        if (e) w.contentHash = e.hash;
      }
      if (!isEmptyPlan(p)) {
        options.onProgress?.({ kind: 'applying' });
        await applyPlan(tx, repoId, p, options.newId, {
          ...(options.repository.gitCommit ? { gitCommit: options.repository.gitCommit } : {}),
          gitBlob: (path) => {
            const e = edited.get(path);
            return e ? gitBlobHash(Buffer.from(e.text, 'utf8')) : gitBlobs.get(path);
          },
        });
      }
      await clearDriftFlags(tx, settled);
      await recordSyncRun(tx, repoId, options, p, files.length, toDo.length, started);
      return p;
    });
    writeMs = options.now().getTime() - txStart;
  }

  const writeBacks: WriteBackResult[] = [];
  const writtenHashes = new Map<string, string>();
  // A write-back killed earlier (SIGKILL, power loss) leaves its temp file beside its target, and
  // that file is written again now: sweep those leftovers first (only those of dead processes).
  for (const dir of new Set([...edited.keys()].map((p) => posix.dirname(p)))) {
    await sweepStaleTempFiles(join(options.root, ...dir.split('/'))).catch(() => undefined);
  }
  // Each write-back is an independent compare-and-swap of one file (fsyncs dominate): run several at once.
  await forEachLimited([...edited], 8, async ([path, e]) => {
    try {
      await writeFileIfUnchanged(options.root, path, e.expectedHash, e.text);
      writeBacks.push({ path, outcome: 'written', ids: e.ids });
      writtenHashes.set(path, e.hash);
      // Cross-file summaries of the new text (ids written in), so `check` and the hook need not re-parse it.
      const written = prepared.get(path);
      if (written) await options.cache?.recordWriteBack?.(written, e.text);
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
  await source.flush?.();

  const failed = [...prepared.values()].filter((p) => p.desired === null).length + unreadable.size;
  return {
    plan,
    diagnostics,
    files: { scanned: files.length + unreadable.size, changed: toDo.length, parsed: prepared.size, failed },
    writeBacks,
    dryRun,
    outcome: dryRun ? 'dry-run' : isEmptyPlan(plan) ? 'noop' : 'applied',
    durationMs: options.now().getTime() - started,
    writeMs,
    writtenHashes,
  };
}

/** Edits that write the plan's assigned ids into their files, with the resulting text and hash. */
function planWriteBacks(
  plan: Plan,
  prepared: Map<string, PreparedFile>,
  files: ScannedFile[],
): Map<string, { text: string; hash: string; expectedHash: string; ids: number }> {
  const byFile = new Map<string, Map<string, string>>();
  for (const a of plan.idAssignments) {
    let m = byFile.get(a.filePath);
    if (!m) byFile.set(a.filePath, (m = new Map()));
    m.set(`${a.kind}:${a.key}`, a.uuid);
  }
  const out = new Map<string, { text: string; hash: string; expectedHash: string; ids: number }>();
  for (const [path, uuids] of byFile) {
    const p = prepared.get(path);
    const file = files.find((f) => f.path === path);
    if (!p || p.kind !== 'workplan' || !file?.bytes || p.pendingIds.length === 0) continue;
    const edits = p.pendingIds.map(({ kind, key, edit }) => {
      const uuid = uuids.get(`${kind}:${key}`);
      if (!uuid) throw new SyncError('INTERNAL', `No planned id for ${kind} ${key} in ${path}`);
      return { ...edit, text: edit.text.replace(PLACEHOLDER_UUID, uuid) };
    });
    const decoded = decodeSource(path, file.bytes);
    if (!decoded.value) continue;
    const text = applyTextEdits(decoded.value.text, edits);
    out.set(path, { text, hash: hashText(text), expectedHash: file.hash, ids: edits.length });
  }
  return out;
}

/** Two files naming the same workplan id: neither is synced (both would claim the same rows). */
function checkDuplicateIds(prepared: Map<string, PreparedFile>, index: MirrorIndexEntry[], present: Set<string>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, PreparedFile & { kind: 'workplan' }>();
  const owners = new Map<string, string>();
  for (const e of index) if (e.kind === 'workstream' && !e.removed && present.has(e.filePath)) owners.set(e.fileId, e.filePath);
  for (const p of prepared.values()) {
    if (p.kind !== 'workplan' || !p.desired) continue;
    const id = p.desired.fields.fileId;
    const other = seen.get(id);
    const otherPath = other?.path ?? owners.get(id);
    if (otherPath && otherPath !== p.path && (other || !prepared.has(otherPath))) {
      const at = { line: 1, column: 1, offset: 0 };
      diagnostics.push({
        path: p.path,
        span: p.idSpan ?? { start: at, end: at },
        severity: 'error',
        ruleId: 'workplan-id-duplicate',
        message: `Workplan id "${id}" is also used by ${otherPath}; neither file was synced`,
        hint: 'Give one of the workplans a new id.',
      });
      p.desired = null;
      if (other) other.desired = null;
      continue;
    }
    seen.set(id, p);
  }
  return diagnostics;
}

async function recordSyncRun(
  tx: SqlExecutor,
  repositoryId: string,
  options: SyncOptions,
  plan: Plan,
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
