// `workplan sync`: reconcile the files into the mirror; print the plan and a one-line summary.
import { randomUUID } from 'node:crypto';
import { hasErrors } from '../../model/diagnostic.js';
import { runSync } from '../../app/sync.js';
import type { SyncResult } from '../../reconcile/sync-result.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { openMirrorOrHandOff } from '../../app/open-mirror.js';
import { requestDaemonSync } from '../../watch/daemon-client.js';
import { workingTreeSource } from '../../fs/source-files.js';
import { openFileHashCache } from '../../cache/file-hash-cache.js';
import { cacheDirFor, openWorkspace } from '../../app/workspace.js';
import { openPreparedCache } from '../../cache/prepared-cache.js';
import { EXIT } from '../exit-codes.js';
import { formatDiagnostic } from '../render-diagnostics.js';
import { formatPlan, formatSyncSummary, toJsonSyncResult } from '../render-plan.js';
import type { CliContext } from '../context.js';
import { reportConfigErrors } from '../report-config-errors.js';
import { withStoreClosedOnSignals } from '../signals.js';
import { preferQuickStart } from '../../db/store.js';

export async function runSyncCommand(ctx: CliContext): Promise<number> {
  // Baseline WebAssembly compiles: the embedded store's start-up CPU halves, and a cold sync of 1,000
  // workplans costs no more (adr/0013). Process-wide, so not inside the test runner.
  if (!process.env.VITEST) preferQuickStart();
  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (!ws.config) return reportConfigErrors(ctx, ws.configDiagnostics);
  const config = ws.config;
  const dryRun = ctx.values['dry-run'] ?? false;
  const allowMassRemoval = ctx.values['allow-mass-removal'] ?? false;
  // A `workplan watch` daemon that owns the embedded store (or is starting and will) runs the sync for us.
  const opening = await openMirrorOrHandOff(
    { root: ws.root, config },
    ctx.env,
    (socket) => requestDaemonSync(socket, ws.root, { trigger: 'cli', dryRun, allowMassRemoval }),
    { onWait: (m) => ctx.out.error(m), onProgress: (m) => ctx.out.progress(m), prismaClient: false },
  );
  if (opening.kind === 'handed-off') return reportSyncResult(ctx, opening.value.result, ws.configDiagnostics, opening.value.daemonPid);
  const opened = opening.opened;
  return withStoreClosedOnSignals(opened, async () => {
    const result = await runSync({
      root: ws.root,
      config,
      repository: ws.repository,
      source: workingTreeSource(ws.root, { hashes: await openFileHashCache(ws.root, cacheDirFor(ws.root)) }),
      mirror: opened.mirror,
      trigger: 'cli',
      dryRun,
      allowMassRemoval,
      newId: randomUUID,
      cache: openPreparedCache(cacheDirFor(ws.root), config),
      now: () => new Date(),
      onProgress: (p) => {
        if (p.kind === 'scanned') ctx.out.progress(`reading ${p.files} file${p.files === 1 ? '' : 's'}…`);
        if (p.kind === 'parsed') ctx.out.progress(`parsing ${p.done}/${p.total} files…`);
        if (p.kind === 'applying') ctx.out.progress('writing the mirror…');
      },
    });
    return reportSyncResult(ctx, result, ws.configDiagnostics);
  });
}

/** Prints a sync's diagnostics, plan and summary (or its JSON); returns the exit code it earns. */
export function reportSyncResult(ctx: CliContext, result: SyncResult, configDiagnostics: Diagnostic[], daemonPid?: number): number {
  const diagnostics = [...configDiagnostics, ...result.diagnostics];
  if (ctx.values.json) {
    const json = { ...toJsonSyncResult({ ...result, diagnostics }), commandMs: Date.now() - ctx.startedAt };
    ctx.out.print(JSON.stringify(daemonPid === undefined ? json : { ...json, daemon: { pid: daemonPid } }, null, 2));
  } else {
    for (const d of diagnostics) ctx.out.print(formatDiagnostic(d));
    if (hasErrors(diagnostics)) ctx.out.print('Files with errors were not synced; their mirror rows were left as they were.');
    const planLines = formatPlan(result.plan);
    if (planLines.length > 0 && !ctx.values.quiet) {
      ctx.out.print(result.dryRun ? 'Plan (dry run, nothing changed):' : 'Applied:');
      for (const line of planLines) ctx.out.print(line);
    }
    for (const w of result.writeBacks) {
      if (w.outcome === 'written') continue;
      ctx.out.error(`${w.path}: ids not written back (${w.outcome}): ${w.message ?? ''}`);
    }
    const by = daemonPid === undefined ? '' : ` — synced by the running watch daemon (pid ${daemonPid})`;
    ctx.out.print(`${formatSyncSummary(result, Date.now() - ctx.startedAt)}${by}`);
  }
  if (result.writeBacks.some((w) => w.outcome !== 'written')) return EXIT.conflict;
  return hasErrors(diagnostics) ? EXIT.invalid : EXIT.ok;
}
