// Applying planned file edits the file-first way, for every command that edits plans (`close`, `set`,
// `add-task`, `new`, `adr new`): preview them as unified diffs, re-parse every result (an edit that
// would leave errors is refused before anything is written), write them with compare-and-swap in
// order (a later conflict restores what was written before it), then sync the written files.
// Orchestration over src/writeback and src/fs.
import type { WorkplanConfig } from '../model/config.js';
import { hashText } from '../model/content-hash.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { SyncError, isSyncError } from '../model/errors.js';
import type { EditedFileView } from '../model/edit-views.js';
import { parseAdr } from '../parse/adr.js';
import { parseWorkplan } from '../parse/workplan.js';
import { renderUnifiedDiff } from '../writeback/render-unified-diff.js';
import { writeFileIfUnchanged } from '../fs/atomic-write.js';
import { createFileExclusive } from '../fs/create-file.js';
import { classifySourcePath } from '../model/source-path.js';
import { runSync, type MirrorDatabase } from './sync.js';
import type { SyncResult, SyncTrigger } from '../reconcile/sync-result.js';
import type { RepositoryIdentity } from '../db/repository-row.js';
import type { SourceProvider } from '../model/source-file.js';
import type { PreparedCache } from '../cache/prepared-cache.js';

/** One file a command will write: an edit of an existing file (`before` and its hash) or a new file. */
export interface PlannedFileChange {
  path: string;
  /** The text as read; undefined for a new file. */
  before: string | undefined;
  after: string;
  /** Hash of the bytes `before` was decoded from (the compare-and-swap precondition); new files have none. */
  expectedHash?: string;
}

/** The unified diff of each change (a new file diffs from /dev/null). */
export function diffFileChanges(changes: readonly PlannedFileChange[]): EditedFileView[] {
  return changes.map((c) => ({
    path: c.path,
    created: c.before === undefined,
    diff: renderUnifiedDiff(c.path, c.before ?? '', c.after, c.before === undefined ? { oldLabel: '/dev/null' } : {}),
  }));
}

/** The errors each changed file would have once written (workplans and ADRs, by where they live). */
export function findErrorsInResult(changes: readonly PlannedFileChange[], config: WorkplanConfig): Diagnostic[] {
  return changes.flatMap((c) => parseChangedFile(c.path, c.after, config).filter((d) => d.severity === 'error'));
}

/** Diagnostics of a workplan or ADR text at `path` (its kind from the configured roots; workplan otherwise). */
export function parseChangedFile(path: string, text: string, config: WorkplanConfig): Diagnostic[] {
  return classifySourcePath(path, config) === 'adr'
    ? parseAdr(path, text, config).diagnostics
    : parseWorkplan(path, text, config).diagnostics;
}

/**
 * Writes the changes in order, each with compare-and-swap (a new file is created, never replacing
 * one). If one fails after others were written, those are put back (again compare-and-swap; a
 * created file is left, see below) and the error says exactly what is on disk.
 */
export async function writeFileChanges(root: string, changes: readonly PlannedFileChange[]): Promise<void> {
  const written: PlannedFileChange[] = [];
  for (const change of changes) {
    try {
      if (change.before === undefined) await createFileExclusive(root, change.path, change.after);
      else await writeFileIfUnchanged(root, change.path, change.expectedHash ?? hashText(change.before), change.after);
      written.push(change);
    } catch (error) {
      if (written.length === 0) throw error; // nothing was written: the error says so already
      throw await restoreAfterFailure(root, written, error);
    }
  }
}

async function restoreAfterFailure(root: string, written: readonly PlannedFileChange[], error: unknown): Promise<SyncError> {
  const reason = error instanceof Error ? error.message.replace(/; nothing was written\.?$/, '') : String(error);
  const restored: string[] = [];
  const stuck: string[] = [];
  for (const w of written) {
    if (w.before === undefined) {
      // A file this command created is left (a new file loses nobody's bytes); it is named below.
      stuck.push(w.path);
      continue;
    }
    try {
      await writeFileIfUnchanged(root, w.path, hashText(w.after), w.before);
      restored.push(w.path);
    } catch {
      stuck.push(w.path);
    }
  }
  const code = isSyncError(error) ? error.code : 'INTERNAL';
  if (stuck.length === 0) {
    return new SyncError(
      code,
      `${reason}; nothing was written (${restored.join(', ')} had been written and was restored to its previous content).`,
      {
        hint: 'Run the same command again: it re-reads the files.',
        cause: error,
      },
    );
  }
  return new SyncError(
    code,
    `${reason}, so it was NOT written; but ${stuck.join(', ')} WAS written and could not be restored because it changed again meanwhile.`,
    {
      hint: 'Run the same command again: it recognises what is already there and does not add it twice.',
      cause: error,
    },
  );
}

export interface SyncAfterWriteOptions {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
  mirror: MirrorDatabase;
  source: SourceProvider;
  trigger: SyncTrigger;
  newId: () => string;
  now: () => Date;
  /** Only these paths (the files just written); every file when absent. */
  paths?: string[];
  cache?: PreparedCache;
}

/**
 * Syncs files a command has just written. A sync that fails says the files ARE written (they are
 * the source of truth) and that `workplan sync` brings the mirror up to date.
 */
export async function syncAfterWrite(options: SyncAfterWriteOptions, written: readonly string[], what: string): Promise<SyncResult> {
  try {
    return await runSync({
      root: options.root,
      config: options.config,
      repository: options.repository,
      source: options.source,
      mirror: options.mirror,
      trigger: options.trigger,
      newId: options.newId,
      now: options.now,
      ...(options.paths ? { paths: options.paths } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SyncError(
      isSyncError(error) ? error.code : 'INTERNAL',
      `${written.join(' and ')} ${written.length === 1 ? 'was' : 'were'} written (${what}), but the sync afterwards failed: ${reason}`,
      {
        hint: 'The files are the source of truth: run "workplan sync" to bring the mirror up to date.',
        cause: error,
      },
    );
  }
}
