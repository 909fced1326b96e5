// The `close` use case: the Workstream Closure Protocol (ADR-001) for one workplan.
// 1. Read and parse the repository's workplans; find the workplan (and the carry-forward target).
// 2. Plan every edit (src/writeback/plan-close.ts, pure) and re-parse the results: an edit that would
//    leave a file with errors is refused before anything is written.
// 3. Write with compare-and-swap: the target first, then the source. If the source then conflicts,
//    the target is restored (again compare-and-swap); the error says exactly what is on disk.
// 4. Sync the files into the mirror (which assigns ids to carried-forward copies and writes them back).
// Steps 2–4 are the shared file-first machinery of every edit (file-changes.ts).
// `dryRun` stops after step 2 and returns the unified diffs. The date comes from the caller's clock.
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { SyncError } from '../model/errors.js';
import { planClose, type CarriedTask, type ParsedWorkplanFile, type PlannedFile } from '../writeback/plan-close.js';
import type { TaskClassification } from '../writeback/render-closure-review.js';
import { renderUnifiedDiff } from '../writeback/render-unified-diff.js';
import type { RepositoryIdentity } from '../db/repository-row.js';
import { workingTreeSource } from '../fs/source-files.js';
import type { SourceProvider } from '../model/source-file.js';
import type { MirrorDatabase } from './sync.js';
import type { SyncResult, SyncTrigger } from '../reconcile/sync-result.js';
import { findErrorsInResult, syncAfterWrite, writeFileChanges } from './file-changes.js';
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
        return refuse(
          'target-invalid',
          `${t.file.path} (${options.carryForwardTo}) has errors; fix them before carrying tasks into it. No files were modified.`,
          errors,
        );
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
  if (plan.kind === 'already-closed')
    return { outcome: 'already-closed', workplan: workplanId, path: found.file.path, message: plan.message };
  if (plan.kind === 'refused') {
    return {
      outcome: 'refused',
      reason: plan.reason,
      message: `${plan.message} No files were modified.`,
      diagnostics: [],
      openTasks: plan.openTasks,
    };
  }

  // Every result must parse without errors before anything is written.
  const invalid = findErrorsInResult(
    plan.files.map((f) => ({ path: f.path, before: f.before, after: f.after })),
    config,
  );
  if (invalid.length > 0) {
    return refuse(
      'invalid-result',
      `The planned edits would leave errors in ${[...new Set(invalid.map((d) => d.path))].join(', ')}; nothing was written (this is a bug in workplan-sync, please report it).`,
      invalid,
    );
  }

  const role = (f: PlannedFile): 'source' | 'target' => (f.path === found.file.path ? 'source' : 'target');
  const results: CloseFileResult[] = plan.files.map((f) => ({
    path: f.path,
    role: role(f),
    diff: renderUnifiedDiff(f.path, f.before, f.after),
    outcome: 'planned',
  }));
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
  // Target first, then source: a conflict on the source restores the target (file-changes.ts).
  const ordered = [...plan.files].sort((a, b) => Number(a.path === found.file.path) - Number(b.path === found.file.path));
  await writeFileChanges(
    options.root,
    ordered.map((f) => ({ path: f.path, before: f.before, after: f.after, expectedHash: hashes.get(f.path)! })),
  );
  for (const r of results) r.outcome = 'written';

  const sync = await syncAfterWrite(
    {
      root: options.root,
      config,
      repository: options.repository,
      source,
      mirror: options.mirror,
      trigger: options.trigger ?? 'cli',
      newId: options.newId,
      now: options.now,
    },
    results.map((r) => r.path),
    `${workplanId} is closed in the files`,
  );
  return { outcome: 'closed', ...base, sync };
}

type Found = { file: WorkplanFile; parsed: ParsedWorkplanFile } | { refused: Extract<CloseResult, { outcome: 'refused' }> };

function findWorkplan(files: readonly WorkplanFile[], id: string): Found {
  const matches = files.filter((f) => f.workplan?.frontmatter.data.id === id);
  if (matches.length > 1) {
    return {
      refused: refuse(
        'ambiguous',
        `Workplan id ${id} is used by ${matches.map((m) => m.path).join(' and ')}; give one of them a new id. No files were modified.`,
        [],
      ),
    };
  }
  const file = matches[0];
  if (!file?.workplan || file.text === undefined) {
    const unparsed = files.filter((f) => !f.workplan).length;
    return {
      refused: refuse(
        'not-found',
        `No workplan with id ${id} was found${unparsed > 0 ? ` (${unparsed} workplan file(s) could not be parsed; "workplan check" lists them)` : ''}. No files were modified.`,
        [],
      ),
    };
  }
  return { file, parsed: { path: file.path, text: file.text, workplan: file.workplan } };
}

function refuse(reason: CloseRefusal, message: string, diagnostics: Diagnostic[]): Extract<CloseResult, { outcome: 'refused' }> {
  return { outcome: 'refused', reason, message, diagnostics, openTasks: [] };
}
