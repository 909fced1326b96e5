// The `sync` use case: files → plan → mirror, then ids written back into the files.
// All fallible file work (reading, decoding, parsing) happens before the transaction; the plan is
// computed under the repository lock from a fresh read of the mirror and applied in the same short
// transaction; write-backs happen after commit, each a compare-and-swap (adr/0003).
import type { Adr } from '../model/adr.js';
import type { WorkplanConfig } from '../model/config.js';
import { hashText } from '../model/content-hash.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import { SyncError, isSyncError } from '../model/errors.js';
import type { Workplan } from '../model/workplan.js';
import { parseAdr } from '../parse/adr.js';
import { decodeSource } from '../parse/decode.js';
import { parseWorkplan } from '../parse/workplan.js';
import { toDesiredAdr, toDesiredWorkstream } from '../reconcile/desired.js';
import { isEmptyPlan, planReconcile, type Plan } from '../reconcile/plan.js';
import type { DesiredAdr, DesiredWorkstream, MirrorIndexEntry } from '../reconcile/rows.js';
import { applyTextEdits } from '../writeback/apply-text-edits.js';
import { planIdAssignment } from '../writeback/plan-id-assignment.js';
import { writeFileIfUnchanged } from '../fs/atomic-write.js';
import { applyPlan } from '../db/apply-plan.js';
import { countLiveRows, readMirrorAdrs, readMirrorIndex, readMirrorWorkstreams } from '../db/mirror-read.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { isSourceFile, type SourceFile, type SourceProvider } from './source-files.js';
import { ensureRepositoryRow, findRepositoryId, type RepositoryIdentity } from './repository-row.js';

export type SyncTrigger = 'cli' | 'hook' | 'watch' | 'schedule';

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

interface ParsedWorkplan {
  file: SourceFile;
  text: string;
  workplan: Workplan;
  lineShift: (line: number) => number;
}

/** Runs one sync. Throws SyncError for exceptional conditions (lock, database, mass removal). */
export async function runSync(options: SyncOptions): Promise<SyncResult> {
  const started = options.now().getTime();
  const { config, source, mirror } = options;
  const dryRun = options.dryRun ?? false;
  const diagnostics: Diagnostic[] = [];

  const listing = await source.list(config);
  const onlyPaths = options.paths ? new Set(options.paths) : undefined;
  const listed = onlyPaths ? listing.files.filter((f) => onlyPaths.has(f.path)) : listing.files;
  options.onProgress?.({ kind: 'scanned', files: listed.length });

  // Read every listed file (cheap) and hash it; parse only those the mirror does not already hold.
  const files: SourceFile[] = [];
  const unreadable = new Set<string>();
  await forEachLimited(listed, 16, async (entry) => {
    const read = await source.read(entry.path, entry.kind, config);
    if (isSourceFile(read)) files.push(read);
    else if (!('missing' in read)) {
      diagnostics.push(read);
      unreadable.add(entry.path);
    }
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const repositoryId = dryRun
    ? await findRepositoryId(mirror.db, options.repository)
    : await ensureRepositoryRow(mirror.db, options.repository, options.newId);
  const firstIndex = repositoryId ? await readMirrorIndex(mirror.db, repositoryId) : [];

  const parsedWorkplans = new Map<string, ParsedWorkplan | null>();
  const parsedAdrs = new Map<string, { file: SourceFile; adr: Adr } | null>();
  let parsedCount = 0;
  const parseFile = (file: SourceFile) => {
    parsedCount++;
    const decoded = decodeSource(file.path, file.bytes);
    diagnostics.push(...decoded.diagnostics);
    if (!decoded.value) {
      (file.kind === 'workplan' ? parsedWorkplans : parsedAdrs).set(file.path, null);
      return;
    }
    const text = decoded.value.text;
    if (file.kind === 'workplan') {
      const result = parseWorkplan(file.path, text, config);
      diagnostics.push(...result.diagnostics);
      if (!result.value || hasErrors(result.diagnostics)) parsedWorkplans.set(file.path, null);
      else parsedWorkplans.set(file.path, { file, text, workplan: result.value, lineShift: planLineShift(result.value, text) });
    } else {
      const result = parseAdr(file.path, text, config);
      diagnostics.push(...result.diagnostics);
      parsedAdrs.set(file.path, !result.value || hasErrors(result.diagnostics) ? null : { file, adr: result.value });
    }
  };
  const needsParse = (index: Map<string, MirrorIndexEntry>, file: SourceFile) => {
    const entry = index.get(file.path);
    return !entry || entry.removed || entry.drifted || entry.contentHash !== file.hash;
  };
  const toDo = files.filter((f) => needsParse(indexByPath(firstIndex), f));
  for (const file of toDo) {
    parseFile(file);
    options.onProgress?.({ kind: 'parsed', done: parsedCount, total: toDo.length });
  }
  diagnostics.push(...checkDuplicateIds(parsedWorkplans, firstIndex, new Set(files.map((f) => f.path))));

  const compute = async (db: SqlExecutor, repoId: string | undefined) => {
    const index = repoId ? await readMirrorIndex(db, repoId) : [];
    const byPath = indexByPath(index);
    // Another process may have synced meanwhile: parse whatever its writes made stale (rare).
    for (const file of files) {
      if (needsParse(byPath, file) && !parsedWorkplans.has(file.path) && !parsedAdrs.has(file.path)) parseFile(file);
    }
    const present = new Set(files.map((f) => f.path));
    const scanProblem = (path: string) =>
      unreadable.has(path) || listing.problems.some((p) => path === p.path || path.startsWith(`${p.path}/`));
    const inScope = (path: string) => !onlyPaths || onlyPaths.has(path);

    const desired: DesiredWorkstream[] = [];
    for (const file of files) {
      const parsed = parsedWorkplans.get(file.path);
      if (!parsed || !needsParse(byPath, file)) continue;
      desired.push(toDesiredWorkstream(parsed.workplan, file.hash, parsed.lineShift));
    }
    const desiredAdrs: DesiredAdr[] = [];
    for (const file of files) {
      const parsed = parsedAdrs.get(file.path);
      if (!parsed || !needsParse(byPath, file)) continue;
      desiredAdrs.push(toDesiredAdr(parsed.adr, file.hash));
    }
    const vanishedEntries = index.filter(
      (e) => !e.removed && inScope(e.filePath) && !present.has(e.filePath) && !scanProblem(e.filePath),
    );
    const mirrorRows = repoId
      ? await readMirrorWorkstreams(db, repoId, {
          ids: desired.flatMap((d) => (d.uuid ? [d.uuid] : [])),
          fileIds: desired.map((d) => d.fields.fileId),
          filePaths: desired.map((d) => d.fields.filePath),
        })
      : [];
    const mirrorAdrs = repoId
      ? await readMirrorAdrs(db, repoId, {
          fileIds: desiredAdrs.map((d) => d.fields.fileId),
          filePaths: desiredAdrs.map((d) => d.fields.filePath),
        })
      : [];
    const plan = planReconcile({
      desired,
      desiredAdrs,
      // Rows loaded for a path whose file failed to parse are not candidates for anything.
      mirror: mirrorRows,
      mirrorAdrs,
      vanished: vanishedEntries
        .filter((e) => e.kind === 'workstream')
        .map((e) => ({ id: e.id, fileId: e.fileId, filePath: e.filePath, taskCount: e.taskCount })),
      vanishedAdrs: vanishedEntries.filter((e) => e.kind === 'adr').map((e) => ({ id: e.id, fileId: e.fileId, filePath: e.filePath })),
      totalRows: repoId ? await countLiveRows(db, repoId) : 0,
      newId: options.newId,
      massRemovalThreshold: config.sync.massRemovalThreshold,
      allowMassRemoval: options.allowMassRemoval ?? false,
    });
    if (plan.massRemoval.reasons.length > 0 && listing.problems.length > 0) {
      plan.massRemoval.reasons.push(`some directories could not be read: ${listing.problems.map((p) => p.path).join(', ')}`);
    }
    return plan;
  };

  const writeBack = !dryRun && (options.writeBack ?? true);
  let plan: Plan;
  let writeMs = 0;
  let edited = new Map<string, { text: string; hash: string; expectedHash: string; ids: number }>();
  if (dryRun) {
    plan = await compute(mirror.db, repositoryId);
  } else {
    const txStart = options.now().getTime();
    plan = await mirror.withRepositoryLock(options.repository.slug, async (tx) => {
      const p = await compute(tx, repositoryId!);
      if (p.massRemoval.reasons.length > 0) {
        throw new SyncError('MASS_REMOVAL_REFUSED', `Refusing to sync: ${p.massRemoval.reasons.join('; ')}. The mirror was not changed.`, {
          hint: 'If these removals are intended, run again with --allow-mass-removal.',
        });
      }
      edited = writeBack ? planWriteBacks(p, parsedWorkplans) : new Map();
      // Store the hash the file will have after write-back, so the next sync does not re-parse it.
      for (const w of p.workstreams) {
        const e = edited.get(w.fields.filePath);
        if (e) w.contentHash = e.hash;
      }
      if (!isEmptyPlan(p)) {
        options.onProgress?.({ kind: 'applying' });
        await applyPlan(tx, repositoryId!, p, options.newId);
      }
      await recordSyncRun(tx, repositoryId!, options, p, files.length, toDo.length, started);
      return p;
    });
    writeMs = options.now().getTime() - txStart;
  }

  const writeBacks: WriteBackResult[] = [];
  const writtenHashes = new Map<string, string>();
  for (const [path, e] of edited) {
    try {
      const r = await writeFileIfUnchanged(options.root, path, e.expectedHash, e.text);
      writeBacks.push({ path, outcome: r.written ? 'written' : 'written', ids: e.ids });
      writtenHashes.set(path, e.hash);
    } catch (error) {
      writeBacks.push({
        path,
        outcome: isSyncError(error, 'WRITE_CONFLICT') ? 'conflict' : 'failed',
        ids: e.ids,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  const failed = [...parsedWorkplans.values(), ...parsedAdrs.values()].filter((v) => v === null).length + unreadable.size;
  return {
    plan,
    diagnostics,
    files: { scanned: files.length + unreadable.size, changed: toDo.length, parsed: parsedCount, failed },
    writeBacks,
    dryRun,
    outcome: dryRun ? 'dry-run' : isEmptyPlan(plan) ? 'noop' : 'applied',
    durationMs: options.now().getTime() - started,
    writeMs,
    writtenHashes,
  };
}

/** Maps each source line to its line after the file's pending id insertions (uuids are fixed-length). */
function planLineShift(workplan: Workplan, text: string): (line: number) => number {
  const placeholder = '00000000-0000-4000-8000-000000000000';
  const { edits } = planIdAssignment(workplan, text, () => placeholder);
  if (edits.length === 0) return (line) => line;
  const inserted = edits
    .map((e) => ({ offset: e.start, lines: countLineBreaks(e.text) }))
    .sort((a, b) => a.offset - b.offset);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return (line) => {
    const start = lineStarts[line - 1] ?? text.length;
    let shift = 0;
    for (const ins of inserted) if (ins.offset <= start) shift += ins.lines;
    return line + shift;
  };
}

function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/** Edits that write the plan's assigned ids into their files, with the resulting text and hash. */
function planWriteBacks(
  plan: Plan,
  parsed: Map<string, ParsedWorkplan | null>,
): Map<string, { text: string; hash: string; expectedHash: string; ids: number }> {
  const byFile = new Map<string, Map<string, string>>();
  for (const a of plan.idAssignments) {
    let m = byFile.get(a.filePath);
    if (!m) byFile.set(a.filePath, (m = new Map()));
    m.set(`${a.kind}:${a.key}`, a.uuid);
  }
  const out = new Map<string, { text: string; hash: string; expectedHash: string; ids: number }>();
  for (const [path, uuids] of byFile) {
    const p = parsed.get(path);
    if (!p) continue;
    // First pass learns which element each draw is for (file order); the second supplies the planned uuid.
    const order = planIdAssignment(p.workplan, p.text, () => '00000000-0000-4000-8000-000000000000').assigned;
    let i = 0;
    const { edits } = planIdAssignment(p.workplan, p.text, () => {
      const a = order[i++];
      const uuid = a ? uuids.get(`${a.kind}:${a.key}`) : undefined;
      if (!uuid) throw new SyncError('INTERNAL', `No planned id for ${a?.kind} ${a?.key} in ${path}`);
      return uuid;
    });
    if (edits.length === 0) continue;
    const text = applyTextEdits(p.text, edits);
    out.set(path, { text, hash: hashText(text), expectedHash: p.file.hash, ids: edits.length });
  }
  return out;
}

/** Two files naming the same workplan id: neither is synced (both would claim the same rows). */
function checkDuplicateIds(
  parsed: Map<string, ParsedWorkplan | null>,
  index: MirrorIndexEntry[],
  present: Set<string>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, ParsedWorkplan>();
  const owners = new Map<string, string>();
  for (const e of index) if (e.kind === 'workstream' && !e.removed && present.has(e.filePath)) owners.set(e.fileId, e.filePath);
  for (const [path, p] of parsed) {
    if (!p) continue;
    const id = p.workplan.frontmatter.data.id;
    const other = seen.get(id);
    const otherPath = other?.file.path ?? owners.get(id);
    if (otherPath && otherPath !== path && (other || !parsed.has(otherPath))) {
      const field = p.workplan.frontmatter.fields.find((f) => f.key === 'id');
      const span = field?.valueSpan ?? p.workplan.frontmatter.span;
      diagnostics.push({
        path,
        span,
        severity: 'error',
        ruleId: 'workplan-id-duplicate',
        message: `Workplan id "${id}" is also used by ${otherPath}; neither file was synced`,
        hint: 'Give one of the workplans a new id.',
      });
      parsed.set(path, null);
      if (other) parsed.set(other.file.path, null);
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
  await tx.$executeRawUnsafe(
    `INSERT INTO sync_runs (id, repository_id, trigger, outcome, started_at, finished_at, files_scanned, files_changed,
            created, updated, removed, drifted, ids_assigned, git_commit)
     VALUES ($1::uuid, $2::uuid, $3, 'applied', $4::timestamptz, now(), $5, $6, $7, $8, $9, $10, $11, $12)`,
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
  await tx.$executeRawUnsafe(`UPDATE repositories SET last_synced_at = now(), updated_at = now() WHERE id = $1::uuid`, repositoryId);
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
