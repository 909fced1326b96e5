// The `close` use case: the Workstream Closure Protocol (ADR-001) for one workplan.
// 1. Read and parse the repository's workplans; find the workplan (and the carry-forward target).
// 2. Plan every edit (src/writeback/plan-close.ts, pure) and re-parse the results: an edit that would
//    leave a file with errors is refused before anything is written.
// 3. Write with compare-and-swap: the target first, then the source. If the source then conflicts,
//    the target is restored (again compare-and-swap); the error says exactly what is on disk.
// 4. Sync the files into the mirror (which assigns ids to carried-forward copies and writes them back).
// `dryRun` stops after step 2 and returns the unified diffs. The date comes from the caller's clock.
import type { WorkplanConfig } from '../model/config.js';
import { hashText } from '../model/content-hash.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { SyncError, isSyncError } from '../model/errors.js';
import { parseWorkplan } from '../parse/workplan.js';
import { writeFileIfUnchanged } from '../fs/atomic-write.js';
import { planClose, type CarriedTask, type ParsedWorkplanFile, type PlannedFile } from '../writeback/plan-close.js';
import type { TaskClassification } from '../writeback/render-closure-review.js';
import { renderUnifiedDiff } from '../writeback/render-unified-diff.js';
import type { RepositoryIdentity } from './repository-row.js';
import { workingTreeSource, type SourceProvider } from './source-files.js';
import { runSync, type MirrorDatabase, type SyncResult, type SyncTrigger } from './sync.js';
import { readWorkplanFiles, type WorkplanFile } from './workplan-files.js';

/** Errors `close` itself resolves (a workplan marked completed by hand before its review). */
const FIXED_BY_CLOSE = new Set(['completed-with-open-tasks', 'closure-review-missing']);

export interface CloseOptions {
  root: string;
  config: WorkplanConfig;
  repository: RepositoryIdentity;
  workplanId: string;
  cancelOpen?: boolean;
  carryForwardTo?: string;
  context?: string;
  /** The review date, `YYYY-MM-DD` (the injected clock: `--date`, else today). */
  date: string;
  dryRun?: boolean;
  /** Needed unless `dryRun`: the sync after writing. */
  mirror?: MirrorDatabase;
  source?: SourceProvider;
  trigger?: SyncTrigger;
  newId: () => string;
  now: () => Date;
}

export interface CloseFileResult {
  path: string;
  role: 'source' | 'target';
  diff: string;
  outcome: 'planned' | 'written';
}

export type CloseRefusal = 'not-found' | 'ambiguous' | 'has-errors' | 'open-tasks' | 'target-invalid' | 'invalid-result';

export type CloseResult =
  | {
      outcome: 'refused';
      reason: CloseRefusal;
      message: string;
      diagnostics: Diagnostic[];
      openTasks: Array<{ id: string; title: string; status: string }>;
    }
  | { outcome: 'already-closed'; workplan: string; path: string; message: string }
  | {
      outcome: 'dry-run' | 'closed';
      workplan: string;
      path: string;
      date: string;
      files: CloseFileResult[];
      classifications: TaskClassification[];
      carried: CarriedTask[];
      reviewAdded: boolean;
      /** The sync after writing (absent on a dry run). */
      sync?: SyncResult;
    };

/** Closes one workplan. Throws SyncError (WRITE_CONFLICT, database errors) for exceptional conditions. */
export async function runClose(options: CloseOptions): Promise<CloseResult> {
  const { config, workplanId } = options;
  const source = options.source ?? workingTreeSource(options.root);
  const { files } = await readWorkplanFiles(source, config);
  const found = findWorkplan(files, workplanId);
  if ('refused' in found) return found.refused;
  const blocking = found.file.diagnostics.filter((d) => d.severity === 'error' && !FIXED_BY_CLOSE.has(d.ruleId));
  if (blocking.length > 0) {
    return refuse('has-errors', `${found.file.path} has errors; fix them before closing ${workplanId}. No files were modified.`, blocking);
  }
  let target: ParsedWorkplanFile | undefined;
  if (options.carryForwardTo && !options.cancelOpen) {
    const t = findWorkplan(files, options.carryForwardTo);
    if ('file' in t) {
      const errors = t.file.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        return refuse('target-invalid', `${t.file.path} (${options.carryForwardTo}) has errors; fix them before carrying tasks into it. No files were modified.`, errors);
      }
      target = t.parsed;
    } else if (t.refused.reason === 'ambiguous') return t.refused;
  }

  const plan = planClose({
    source: found.parsed,
    ...(target ? { target } : {}),
    date: options.date,
    cancelOpen: options.cancelOpen ?? false,
    ...(options.carryForwardTo ? { carryForwardTo: options.carryForwardTo } : {}),
    ...(options.context ? { context: options.context } : {}),
  });
  if (plan.kind === 'already-closed') return { outcome: 'already-closed', workplan: workplanId, path: found.file.path, message: plan.message };
  if (plan.kind === 'refused') {
    return { outcome: 'refused', reason: plan.reason, message: `${plan.message} No files were modified.`, diagnostics: [], openTasks: plan.openTasks };
  }

  // Every result must parse without errors before anything is written.
  const invalid = plan.files.flatMap((f) => parseWorkplan(f.path, f.after, config).diagnostics.filter((d) => d.severity === 'error'));
  if (invalid.length > 0) {
    return refuse('invalid-result', `The planned edits would leave errors in ${[...new Set(invalid.map((d) => d.path))].join(', ')}; nothing was written (this is a bug in workplan-sync, please report it).`, invalid);
  }

  const role = (f: PlannedFile): 'source' | 'target' => (f.path === found.file.path ? 'source' : 'target');
  const results: CloseFileResult[] = plan.files.map((f) => ({ path: f.path, role: role(f), diff: renderUnifiedDiff(f.path, f.before, f.after), outcome: 'planned' }));
  const base = {
    workplan: workplanId,
    path: found.file.path,
    date: options.date,
    files: results,
    classifications: plan.classifications,
    carried: plan.carried,
    reviewAdded: plan.reviewAdded,
  };
  if (options.dryRun) return { outcome: 'dry-run', ...base };
  if (!options.mirror) throw new SyncError('INTERNAL', 'runClose needs a mirror unless dryRun is set.');

  const hashes = new Map(files.map((f) => [f.path, f.hash]));
  await writeTargetThenSource(options.root, plan.files, hashes, found.file.path, results);

  let sync: SyncResult;
  try {
    sync = await runSync({
      root: options.root,
      config,
      repository: options.repository,
      source,
      mirror: options.mirror,
      trigger: options.trigger ?? 'cli',
      newId: options.newId,
      now: options.now,
    });
  } catch (error) {
    const written = results.map((r) => r.path).join(' and ');
    const reason = error instanceof Error ? error.message : String(error);
    throw new SyncError(isSyncError(error) ? error.code : 'INTERNAL', `${written} ${results.length === 1 ? 'was' : 'were'} written (${workplanId} is closed in the files), but the sync afterwards failed: ${reason}`, {
      hint: 'The files are the source of truth: run "workplan sync" to bring the mirror up to date.',
      cause: error,
    });
  }
  return { outcome: 'closed', ...base, sync };
}

/** Target first, then source; a source conflict restores the target when nobody touched it since. */
async function writeTargetThenSource(
  root: string,
  planned: readonly PlannedFile[],
  hashes: ReadonlyMap<string, string>,
  sourcePath: string,
  results: CloseFileResult[],
): Promise<void> {
  const ordered = [...planned].sort((a, b) => Number(a.path === sourcePath) - Number(b.path === sourcePath));
  const written: PlannedFile[] = [];
  for (const file of ordered) {
    try {
      await writeFileIfUnchanged(root, file.path, hashes.get(file.path)!, file.after);
      written.push(file);
      results.find((r) => r.path === file.path)!.outcome = 'written';
    } catch (error) {
      if (written.length === 0) throw error; // nothing was written: the error says so already
      const reason = error instanceof Error ? error.message.replace(/; nothing was written\.?$/, '') : String(error);
      const restored: string[] = [];
      const stuck: string[] = [];
      for (const w of written) {
        try {
          await writeFileIfUnchanged(root, w.path, hashText(w.after), w.before);
          restored.push(w.path);
        } catch {
          stuck.push(w.path);
        }
      }
      const code = isSyncError(error) ? error.code : 'INTERNAL';
      if (stuck.length === 0) {
        throw new SyncError(code, `${reason}; nothing was written (${restored.join(', ')} had been written and was restored to its previous content).`, {
          hint: 'Run the same close again: it re-reads both files.',
          cause: error,
        });
      }
      throw new SyncError(
        code,
        `${reason}, so it was NOT written; but ${stuck.join(', ')} WAS written (carried-forward copies added) and could not be restored because it changed again meanwhile.`,
        { hint: 'Run the same close again: copies already in the target are recognised by their "Carried forward from" line and not added twice.', cause: error },
      );
    }
  }
}

type Found = { file: WorkplanFile; parsed: ParsedWorkplanFile } | { refused: Extract<CloseResult, { outcome: 'refused' }> };

function findWorkplan(files: readonly WorkplanFile[], id: string): Found {
  const matches = files.filter((f) => f.workplan?.frontmatter.data.id === id);
  if (matches.length > 1) {
    return { refused: refuse('ambiguous', `Workplan id ${id} is used by ${matches.map((m) => m.path).join(' and ')}; give one of them a new id. No files were modified.`, []) };
  }
  const file = matches[0];
  if (!file || !file.workplan || file.text === undefined) {
    const unparsed = files.filter((f) => !f.workplan).length;
    return {
      refused: refuse('not-found', `No workplan with id ${id} was found${unparsed > 0 ? ` (${unparsed} workplan file(s) could not be parsed; "workplan check" lists them)` : ''}. No files were modified.`, []),
    };
  }
  return { file, parsed: { path: file.path, text: file.text, workplan: file.workplan } };
}

function refuse(reason: CloseRefusal, message: string, diagnostics: Diagnostic[]): Extract<CloseResult, { outcome: 'refused' }> {
  return { outcome: 'refused', reason, message, diagnostics, openTasks: [] };
}
