// The `cleanup` use case (ADR-001): cancel the open tasks that remain in completed or archived
// workstreams — without ever cancelling work a file says is done.
// 1. Sync files → mirror first, so rows changed behind the files' back are restored from the files
//    (counted per workstream as `restoredFromFile`) before anything looks for stale work.
// 2. Find open tasks in closed workplans in the FILES (a completed file with open tasks does not even
//    sync: it fails `completed-with-open-tasks`) and in the MIRROR (open rows of closed workstreams).
// 3. Tasks with a file element are cancelled in the file (status edit + a Closure Review addendum,
//    src/writeback/plan-cleanup-edits.ts), written with compare-and-swap, then synced again.
//    Rows with no file element behind them (a removed workstream, a workplan file that does not list
//    the task: legacy database-first rows) are cancelled in the mirror only, fingerprint recomputed.
//    A row whose file cannot be read is left alone: we cannot tell it is stale.
// 4. One `cleanup.summary` event records the run (also when everything was consistent: a scheduled
//    job leaves a trace of every run). `dryRun` changes nothing and records nothing.
// 5. `commit`: commits exactly the files it changed (src/git/commit-files.ts).
// A library function: the CLI and the watch daemon's schedule both call runCleanup.
import { CLOSED_WORKSTREAM_STATUSES } from '../model/config.js';
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { isSyncError } from '../model/errors.js';
import { listTasks, type Workplan } from '../model/workplan.js';
import { parseWorkplan } from '../parse/workplan.js';
import { writeFileIfUnchanged } from '../fs/atomic-write.js';
import { applyTextEdits } from '../writeback/apply-text-edits.js';
import { planCleanupEdits, type CleanupRecord } from '../writeback/plan-cleanup-edits.js';
import { renderUnifiedDiff } from '../writeback/render-unified-diff.js';
import {
  cancelTaskRowsInMirror,
  insertEvent,
  readOpenTasksInClosedWorkstreams,
  readWorkstreamTasks,
  type OpenTaskRow,
  type WorkstreamTaskRow,
} from '../db/stale-tasks.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { commitFiles } from '../git/commit-files.js';
import { findRepositoryId, type RepositoryIdentity } from '../db/repository-row.js';
import { workingTreeSource } from '../fs/source-files.js';
import type { SourceProvider } from '../model/source-file.js';
import { runSync, type MirrorDatabase } from './sync.js';
import type { SyncResult, SyncTrigger } from '../reconcile/sync-result.js';
import { isUnknownPath, readWorkplanFiles, type WorkplanFile } from './workplan-files.js';

export const CLEANUP_EVENT_KIND = 'cleanup.summary';

/** Errors the cleanup's own edit resolves: a completed workplan with open tasks (and no review yet). */
const FIXED_BY_CLEANUP = new Set(['completed-with-open-tasks', 'closure-review-missing']);
const CLOSED = new Set<string>(CLOSED_WORKSTREAM_STATUSES);

export interface CleanupOptions {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
  mirror: MirrorDatabase;
  /** The date recorded in Closure Review addenda, `YYYY-MM-DD` (the injected clock). */
  date: string;
  dryRun?: boolean;
  /** Commit the files it changed (and nothing else). */
  commit?: boolean;
  /** Extra environment for git (e.g. an author in tests). */
  gitEnv?: NodeJS.ProcessEnv;
  allowMassRemoval?: boolean;
  source?: SourceProvider;
  trigger?: SyncTrigger;
  newId: () => string;
  now: () => Date;
}

export interface CleanupWorkstreamSummary {
  workstream: string;
  filePath: string;
  status: string;
  tasksCancelledInFile: number;
  rowsCancelledInMirror: number;
  restoredFromFile: number;
  alreadyConsistent: number;
  cancelledInFile: string[];
  cancelledInMirror: string[];
  restored: string[];
}

export interface CleanupFileResult {
  path: string;
  workstream: string;
  tasks: string[];
  record: CleanupRecord;
  diff: string;
  outcome: 'planned' | 'written' | 'conflict' | 'failed';
  message?: string;
}

export interface CleanupSkip {
  path: string;
  workstream?: string;
  task?: string;
  reason: string;
}

export interface CleanupTotals {
  workstreams: number;
  tasksCancelledInFile: number;
  rowsCancelledInMirror: number;
  restoredFromFile: number;
  alreadyConsistent: number;
}

export type CleanupCommit =
  | { outcome: 'committed'; commit: string; paths: string[]; message: string }
  | { outcome: 'failed'; paths: string[]; message: string };

export interface CleanupResult {
  dryRun: boolean;
  date: string;
  summary: string;
  workstreams: CleanupWorkstreamSummary[];
  totals: CleanupTotals;
  files: CleanupFileResult[];
  mirrorOnly: Array<{ id: string; task: string; workstream: string; status: string; removed: boolean }>;
  skipped: CleanupSkip[];
  /** Diagnostics of files that have errors (they were neither synced nor cleaned). */
  diagnostics: Diagnostic[];
  /** The `cleanup.summary` event's id, or null on a dry run. */
  eventId: string | null;
  commit: CleanupCommit | null;
  /** The sync before the cleanup and, when files were changed, the one after. */
  syncs: SyncResult[];
}

interface FileCandidate {
  file: WorkplanFile;
  workplan: Workplan;
  after: string;
  tasks: string[];
  record: CleanupRecord;
}

/** Runs one cleanup. Throws SyncError for exceptional conditions (lock, database, mass removal). */
export async function runCleanup(options: CleanupOptions): Promise<CleanupResult> {
  const { config, mirror } = options;
  const dryRun = options.dryRun ?? false;
  const source = options.source ?? workingTreeSource(options.root);
  const trigger = options.trigger ?? 'cli';
  const syncBase = {
    root: options.root,
    config,
    repository: options.repository,
    source,
    mirror,
    trigger,
    newId: options.newId,
    now: options.now,
  };

  // 1. Files → mirror first.
  const first = await runSync({ ...syncBase, dryRun, ...(options.allowMassRemoval ? { allowMassRemoval: true } : {}) });
  const restoredByPath = new Map<string, Set<string>>();
  for (const d of first.plan.drift) {
    if (d.entity !== 'task') continue;
    let s = restoredByPath.get(d.filePath);
    if (!s) restoredByPath.set(d.filePath, (s = new Set()));
    s.add(d.fileId);
  }

  // 2a. Open tasks of closed workplans, in the files.
  const { files, unknownPaths } = await readWorkplanFiles(source, config);
  const skipped: CleanupSkip[] = [];
  const candidates: FileCandidate[] = [];
  for (const file of files) {
    const workplan = file.workplan;
    if (!workplan || file.text === undefined || !CLOSED.has(workplan.frontmatter.data.status)) continue;
    const plan = planCleanupEdits(file.text, workplan, options.date);
    if (!plan) continue;
    const blocking = file.diagnostics.filter((d) => d.severity === 'error' && !FIXED_BY_CLEANUP.has(d.ruleId));
    const workstream = workplan.frontmatter.data.id;
    if (blocking.length > 0) {
      skipped.push({
        path: file.path,
        workstream,
        reason: `has errors (${[...new Set(blocking.map((d) => d.ruleId))].join(', ')}); its open tasks were not cancelled`,
      });
      continue;
    }
    const after = applyTextEdits(file.text, plan.edits);
    const errors = parseWorkplan(file.path, after, config).diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      skipped.push({
        path: file.path,
        workstream,
        reason: `the cleanup edit would leave errors (${errors.map((d) => d.ruleId).join(', ')}); nothing was written (a bug, please report it)`,
      });
      continue;
    }
    candidates.push({ file, workplan, after, tasks: plan.cancelled.map((t) => t.taskId), record: plan.record });
  }

  // 2b. Open rows of closed workstreams, in the mirror; keep those with no file element behind them.
  const repositoryId = await findRepositoryId(mirror.db, options.repository);
  const openRows = repositoryId ? await readOpenTasksInClosedWorkstreams(mirror.db, repositoryId) : [];
  const mirrorOnly: OpenTaskRow[] = [];
  for (const row of openRows) {
    const backing = findBackingFile(files, row);
    if (backing === 'unknown' || isUnknownPath(row.workstreamFilePath, unknownPaths)) {
      skipped.push({
        path: row.workstreamFilePath,
        workstream: row.workstreamFileId,
        task: row.fileId,
        reason: 'its workplan file could not be read, so it cannot be told whether the file still lists the task; left as it is',
      });
      continue;
    }
    if (backing && hasTaskElement(backing, row)) continue; // the file decides (cancelled in the file above, or the file says it is not open)
    mirrorOnly.push(row);
  }

  const fileResults: CleanupFileResult[] = candidates.map((c) => ({
    path: c.file.path,
    workstream: c.workplan.frontmatter.data.id,
    tasks: c.tasks,
    record: c.record,
    diff: renderUnifiedDiff(c.file.path, c.file.text!, c.after),
    outcome: 'planned',
  }));

  const syncs = [first];
  let cancelledRowIds: string[] = mirrorOnly.map((r) => r.id);
  let eventId: string | null = null;
  let commit: CleanupCommit | null = null;
  let workstreams: CleanupWorkstreamSummary[];

  if (dryRun) {
    workstreams = await summarise(mirror.db, repositoryId, { restoredByPath, fileResults, mirrorOnly, cancelledRowIds, files, dryRun });
  } else {
    // 3. Files first (compare-and-swap each), then sync them, then the mirror-only rows + the event.
    for (const [i, c] of candidates.entries()) {
      const result = fileResults[i]!;
      try {
        await writeFileIfUnchanged(options.root, c.file.path, c.file.hash, c.after);
        result.outcome = 'written';
      } catch (error) {
        result.outcome = isSyncError(error, 'WRITE_CONFLICT') ? 'conflict' : 'failed';
        result.message = error instanceof Error ? error.message : String(error);
      }
    }
    const writtenPaths = fileResults.filter((r) => r.outcome === 'written').map((r) => r.path);
    if (writtenPaths.length > 0) syncs.push(await runSync({ ...syncBase, paths: writtenPaths }));

    const repoId = repositoryId ?? (await findRepositoryId(mirror.db, options.repository));
    if (repoId) {
      const recorded = await mirror.withRepositoryLock(options.repository.slug, async (tx) => {
        cancelledRowIds = await cancelTaskRowsInMirror(
          tx,
          repoId,
          mirrorOnly.map((r) => r.id),
        );
        const changed = new Set(cancelledRowIds);
        const summary = await summarise(tx, repoId, {
          restoredByPath,
          fileResults,
          mirrorOnly: mirrorOnly.filter((r) => changed.has(r.id)),
          cancelledRowIds,
          files,
          dryRun,
        });
        const totals = sumTotals(summary);
        const id = await insertEvent(tx, {
          id: options.newId(),
          repositoryId: repoId,
          kind: CLEANUP_EVENT_KIND,
          summary: formatCleanupSummary(totals, false),
          payload: {
            version: 1,
            date: options.date,
            trigger,
            totals,
            workstreams: summary,
            files: fileResults.map(({ diff: _diff, ...rest }) => rest),
            skipped,
          },
        });
        return { summary, id };
      });
      workstreams = recorded.summary;
      eventId = recorded.id;
    } else {
      workstreams = await summarise(mirror.db, undefined, { restoredByPath, fileResults, mirrorOnly, cancelledRowIds, files, dryRun });
    }

    // 5. Commit exactly the files written.
    if (options.commit && writtenPaths.length > 0) {
      const n = fileResults.filter((r) => r.outcome === 'written').reduce((sum, r) => sum + r.tasks.length, 0);
      const message = `workplan cleanup: cancel ${n} open task(s) in completed workstreams`;
      const body = fileResults
        .filter((r) => r.outcome === 'written')
        .map((r) => `- ${r.path}: ${r.tasks.join(', ')}`)
        .join('\n');
      try {
        const done = await commitFiles({
          cwd: options.root,
          paths: writtenPaths,
          message: `${message}\n\n${body}`,
          ...(options.gitEnv ? { env: options.gitEnv } : {}),
        });
        commit = { outcome: 'committed', commit: done.commit, paths: done.paths, message };
      } catch (error) {
        commit = { outcome: 'failed', paths: writtenPaths, message: error instanceof Error ? error.message : String(error) };
      }
    }
  }

  const totals = sumTotals(workstreams);
  const mirrorCancelled = new Set(cancelledRowIds);
  return {
    dryRun,
    date: options.date,
    summary: formatCleanupSummary(totals, dryRun),
    workstreams,
    totals,
    files: fileResults,
    mirrorOnly: mirrorOnly
      .filter((r) => mirrorCancelled.has(r.id))
      .map((r) => ({
        id: r.id,
        task: r.fileId,
        workstream: r.workstreamFileId,
        status: r.status,
        removed: r.removed || r.workstreamRemoved,
      })),
    skipped,
    // A cleaned file's `completed-with-open-tasks` error is gone: report what is still wrong.
    diagnostics: [
      ...first.diagnostics.filter(
        (d) => d.severity === 'error' && !fileResults.some((f) => f.path === d.path && f.outcome !== 'conflict' && f.outcome !== 'failed'),
      ),
      ...syncs.slice(1).flatMap((s) => s.diagnostics.filter((d) => d.severity === 'error')),
    ],
    eventId,
    commit,
    syncs,
  };
}

/** The one-line summary printed and stored in the event. */
export function formatCleanupSummary(totals: CleanupTotals, dryRun: boolean): string {
  const prefix = dryRun ? 'cleanup (dry run, nothing changed)' : 'cleanup';
  const changed = totals.tasksCancelledInFile + totals.rowsCancelledInMirror;
  if (changed === 0 && totals.restoredFromFile === 0) {
    return `${prefix}: all consistent; ${totals.workstreams} workstream(s), ${totals.alreadyConsistent} task(s) checked, nothing to cancel`;
  }
  const restored = `${totals.restoredFromFile} row(s) ${dryRun ? 'to restore' : 'restored'} to their file values`;
  const verb = dryRun ? 'to cancel' : 'cancelled';
  return `${prefix}: ${totals.tasksCancelledInFile} task(s) ${verb} in files, ${totals.rowsCancelledInMirror} mirror-only row(s) ${verb}, ${restored}, ${totals.alreadyConsistent} already consistent`;
}

/** The file element behind a row's workstream: by workstream uuid, else by workplan id, else by path. */
function findBackingFile(files: readonly WorkplanFile[], row: OpenTaskRow): Workplan | 'unknown' | undefined {
  const parsed = files.filter((f) => f.workplan);
  const hit =
    parsed.find((f) => f.workplan!.frontmatter.data.workstreamUuid === row.workstreamId) ??
    parsed.find((f) => f.workplan!.frontmatter.data.id === row.workstreamFileId) ??
    parsed.find((f) => f.path === row.workstreamFilePath && !f.workplan!.frontmatter.data.workstreamUuid);
  if (hit) return hit.workplan;
  // A file at the row's path that could not be parsed: it may well list the task.
  if (files.some((f) => f.path === row.workstreamFilePath && !f.workplan)) return 'unknown';
  return undefined;
}

function hasTaskElement(workplan: Workplan, row: OpenTaskRow): boolean {
  return listTasks(workplan).some((t) => t.taskUuid === row.id || (!t.taskUuid && t.id === row.fileId));
}

interface SummaryInput {
  restoredByPath: Map<string, Set<string>>;
  fileResults: CleanupFileResult[];
  mirrorOnly: OpenTaskRow[];
  cancelledRowIds: string[];
  files: readonly WorkplanFile[];
  dryRun: boolean;
}

/** Per workstream: what this run changed, and how many of its tasks were already consistent. */
async function summarise(db: SqlExecutor, repositoryId: string | undefined, input: SummaryInput): Promise<CleanupWorkstreamSummary[]> {
  const cancelledInFile = input.fileResults.filter((r) => (input.dryRun ? r.outcome === 'planned' : r.outcome === 'written'));
  const rows: WorkstreamTaskRow[] = repositoryId
    ? await readWorkstreamTasks(db, repositoryId, {
        ids: input.mirrorOnly.map((r) => r.workstreamId),
        paths: [...input.restoredByPath.keys(), ...cancelledInFile.map((r) => r.path)],
      })
    : [];
  const out = new Map<string, CleanupWorkstreamSummary & { live: string[] }>();
  const entry = (key: string, init: () => { workstream: string; filePath: string; status: string; live: string[] }) => {
    let e = out.get(key);
    if (!e) {
      e = {
        ...init(),
        tasksCancelledInFile: 0,
        rowsCancelledInMirror: 0,
        restoredFromFile: 0,
        alreadyConsistent: 0,
        cancelledInFile: [],
        cancelledInMirror: [],
        restored: [],
      };
      out.set(key, e);
    }
    return e;
  };
  const byPath = new Map<string, string>();
  for (const w of rows) {
    entry(w.workstreamId, () => ({ workstream: w.workstreamFileId, filePath: w.filePath, status: w.status, live: w.tasks }));
    if (!w.removed) byPath.set(w.filePath, w.workstreamId);
  }
  const fromFile = (path: string) => {
    const workplan = input.files.find((f) => f.path === path)?.workplan;
    return {
      workstream: workplan?.frontmatter.data.id ?? path,
      filePath: path,
      status: workplan?.frontmatter.data.status ?? 'unknown',
      live: workplan ? listTasks(workplan).map((t) => t.id) : [],
    };
  };
  for (const [path, tasks] of input.restoredByPath) {
    const e = entry(byPath.get(path) ?? `path:${path}`, () => fromFile(path));
    e.restored.push(...tasks);
  }
  for (const r of cancelledInFile) {
    const e = entry(byPath.get(r.path) ?? `path:${r.path}`, () => fromFile(r.path));
    e.cancelledInFile.push(...r.tasks);
  }
  const cancelled = new Set(input.cancelledRowIds);
  for (const r of input.mirrorOnly) {
    if (!cancelled.has(r.id)) continue;
    const e = entry(r.workstreamId, () => ({
      workstream: r.workstreamFileId,
      filePath: r.workstreamFilePath,
      status: r.workstreamStatus,
      live: [],
    }));
    e.cancelledInMirror.push(r.fileId);
  }
  const result: CleanupWorkstreamSummary[] = [];
  for (const e of out.values()) {
    const touched = new Set([...e.restored, ...e.cancelledInFile, ...e.cancelledInMirror]);
    const { live, ...summary } = e;
    summary.tasksCancelledInFile = e.cancelledInFile.length;
    summary.rowsCancelledInMirror = e.cancelledInMirror.length;
    summary.restoredFromFile = e.restored.length;
    summary.alreadyConsistent = live.filter((t) => !touched.has(t)).length;
    result.push(summary);
  }
  return result.sort((a, b) => (a.workstream < b.workstream ? -1 : a.workstream > b.workstream ? 1 : 0));
}

function sumTotals(workstreams: readonly CleanupWorkstreamSummary[]): CleanupTotals {
  const sum = (f: (w: CleanupWorkstreamSummary) => number) => workstreams.reduce((n, w) => n + f(w), 0);
  return {
    workstreams: workstreams.length,
    tasksCancelledInFile: sum((w) => w.tasksCancelledInFile),
    rowsCancelledInMirror: sum((w) => w.rowsCancelledInMirror),
    restoredFromFile: sum((w) => w.restoredFromFile),
    alreadyConsistent: sum((w) => w.alreadyConsistent),
  };
}
