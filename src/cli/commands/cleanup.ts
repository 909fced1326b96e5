// `workplan cleanup`: cancel open tasks left in completed or archived workstreams — in the file when the
// task has one, in the mirror only for rows without a file (ADR-001). Rendering and exit codes only;
// the work is src/app/cleanup.ts (also called by the watch daemon's schedule).
import { randomUUID } from 'node:crypto';
import { isIsoDate } from '../../parse/value-formats.js';
import { runCleanup, type CleanupResult } from '../../app/cleanup.js';
import { openMirror } from '../../app/open-mirror.js';
import { openWorkspace } from '../../app/workspace.js';
import { EXIT } from '../exit-codes.js';
import { formatDiagnostic, toJsonDiagnostic } from '../render-diagnostics.js';
import type { CliContext } from '../context.js';
import { reportConfigErrors } from '../report-config-errors.js';
import { withStoreClosedOnSignals } from '../signals.js';
import { formatLocalDate } from './local-date.js';

export async function runCleanupCommand(ctx: CliContext): Promise<number> {
  if (ctx.positionals.length > 0) {
    ctx.out.error(
      `workplan cleanup: unexpected argument "${ctx.positionals[0]}".\nUsage: workplan cleanup [--dry-run] [--commit] [--date YYYY-MM-DD] [--json]`,
    );
    return EXIT.usage;
  }
  const dryRun = ctx.values['dry-run'] ?? false;
  if (dryRun && ctx.values.commit) {
    ctx.out.error('workplan cleanup: --commit and --dry-run exclude each other (a dry run changes no file).');
    return EXIT.usage;
  }
  const date = ctx.values.date ?? formatLocalDate(new Date());
  if (!isIsoDate(date)) {
    ctx.out.error(`workplan cleanup: --date "${date}" is not a YYYY-MM-DD date.`);
    return EXIT.usage;
  }
  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (!ws.config) return reportConfigErrors(ctx, ws.configDiagnostics);
  const config = ws.config;
  const opened = await openMirror({ root: ws.root, config }, ctx.env, {
    onWait: (m) => ctx.out.error(m),
    onProgress: (m) => ctx.out.progress(m),
  });
  return withStoreClosedOnSignals(opened, async () => {
    const result = await runCleanup({
      root: ws.root,
      config,
      repository: ws.repository,
      mirror: opened.mirror,
      date,
      dryRun,
      commit: ctx.values.commit ?? false,
      allowMassRemoval: ctx.values['allow-mass-removal'] ?? false,
      trigger: 'cli',
      newId: randomUUID,
      now: () => new Date(),
    });
    if (ctx.values.json) ctx.out.print(JSON.stringify(toJsonCleanupResult(result), null, 2));
    else renderCleanup(ctx, result);
    return exitCodeOf(result);
  });
}

function renderCleanup(ctx: CliContext, result: CleanupResult): void {
  for (const d of result.diagnostics) ctx.out.print(formatDiagnostic(d));
  if (result.diagnostics.length > 0) ctx.out.print('Files with errors were not synced; their mirror rows were left as they were.');
  for (const w of result.workstreams) {
    const parts = [
      `cancelled in file ${w.tasksCancelledInFile}`,
      `in mirror only ${w.rowsCancelledInMirror}`,
      `restored from file ${w.restoredFromFile}`,
      `already consistent ${w.alreadyConsistent}`,
    ];
    ctx.out.print(`  ${w.workstream}  ${w.filePath}  [${w.status}]  ${parts.join(', ')}`);
  }
  for (const f of result.files) {
    if (result.dryRun) ctx.out.print(f.diff.replace(/\n$/, ''));
    else if (f.outcome === 'written') ctx.out.print(`  wrote ${f.path}: cancelled ${f.tasks.join(', ')}`);
    else ctx.out.error(`${f.path}: not written (${f.outcome}): ${f.message ?? ''}`);
  }
  for (const r of result.mirrorOnly) {
    ctx.out.print(
      `  ${result.dryRun ? 'would cancel' : 'cancelled'} in the mirror only: ${r.workstream} ${r.task} (was ${r.status}; no file element${r.removed ? ', row removed' : ''})`,
    );
  }
  for (const s of result.skipped) ctx.out.error(`  skipped ${s.path}${s.task ? ` ${s.task}` : ''}: ${s.reason}`);
  ctx.out.print(result.summary);
  if (result.commit?.outcome === 'committed') ctx.out.print(`Committed ${result.commit.commit.slice(0, 12)}: ${result.commit.message}`);
  else if (result.commit?.outcome === 'failed') {
    ctx.out.error(
      `workplan cleanup: the commit failed: ${result.commit.message}\n  The changed files are left modified in the working tree: ${result.commit.paths.join(', ')}`,
    );
  } else if (!result.dryRun && result.files.some((f) => f.outcome === 'written')) {
    ctx.out.print('The changed files are left modified for review (use --commit to commit them).');
  }
}

function exitCodeOf(result: CleanupResult): number {
  if (result.files.some((f) => f.outcome === 'conflict') || result.syncs.some((s) => s.writeBacks.some((w) => w.outcome !== 'written')))
    return EXIT.conflict;
  if (result.commit?.outcome === 'failed' || result.diagnostics.length > 0 || result.skipped.some((s) => !s.task)) return EXIT.invalid;
  return EXIT.ok;
}

function toJsonCleanupResult(result: CleanupResult) {
  const { syncs, diagnostics, ...rest } = result;
  return {
    version: 1,
    ...rest,
    diagnostics: diagnostics.map(toJsonDiagnostic),
    syncs: syncs.map((s) => ({ outcome: s.outcome, counts: s.plan.counts, drift: s.plan.drift })),
  };
}
