// `workplan close <WORKPLAN-ID>`: the Workstream Closure Protocol (ADR-001) — classify every task,
// write the Closure Review, mark the workplan completed, sync. Rendering and exit codes only; the work
// is src/app/close.ts. The plan is computed (and refused) before the mirror is opened, so a refusal
// needs no database, and a database that cannot be opened stops the command before any file is written.
import { randomUUID } from 'node:crypto';
import { hasErrors } from '../../model/diagnostic.js';
import { isIsoDate } from '../../parse/value-formats.js';
import { runClose, type CloseOptions, type CloseResult } from '../../app/close.js';
import { openMirror } from '../../app/open-mirror.js';
import { openWorkspace } from '../../app/workspace.js';
import { EXIT } from '../exit-codes.js';
import { formatDiagnostic, toJsonDiagnostic } from '../render-diagnostics.js';
import { formatSyncSummary, toJsonSyncResult } from '../render-plan.js';
import type { CliContext } from '../context.js';
import { reportConfigErrors } from '../report-config-errors.js';
import { withStoreClosedOnSignals } from '../signals.js';
import { formatLocalDate } from './local-date.js';

export async function runCloseCommand(ctx: CliContext): Promise<number> {
  const [workplanId, ...extra] = ctx.positionals;
  const usage = (message: string) => {
    ctx.out.error(
      `workplan close: ${message}\nUsage: workplan close <WORKPLAN-ID> [--cancel-open | --carry-forward-to <WORKPLAN-ID>] [--context "…"] [--date YYYY-MM-DD] [--dry-run] [--json]`,
    );
    return EXIT.usage;
  };
  if (!workplanId) return usage('name the workplan to close.');
  if (extra.length > 0) return usage(`unexpected argument "${extra[0]}".`);
  const cancelOpen = ctx.values['cancel-open'] ?? false;
  const carryForwardTo = ctx.values['carry-forward-to'];
  if (cancelOpen && carryForwardTo) return usage('use either --cancel-open or --carry-forward-to, not both.');
  if (carryForwardTo !== undefined && carryForwardTo.trim() === '') return usage('--carry-forward-to needs a workplan id.');
  const date = ctx.values.date ?? formatLocalDate(new Date());
  if (!isIsoDate(date)) return usage(`--date "${date}" is not a YYYY-MM-DD date.`);

  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (!ws.config) return reportConfigErrors(ctx, ws.configDiagnostics);
  const options: CloseOptions = {
    root: ws.root,
    config: ws.config,
    repository: ws.repository,
    workplanId,
    cancelOpen,
    ...(carryForwardTo ? { carryForwardTo: carryForwardTo.trim() } : {}),
    ...(ctx.values.context ? { context: ctx.values.context } : {}),
    date,
    newId: randomUUID,
    now: () => new Date(),
  };
  const preview = await runClose({ ...options, dryRun: true });
  if (preview.outcome !== 'dry-run' || ctx.values['dry-run']) return render(ctx, preview);
  const opened = await openMirror({ root: ws.root, config: ws.config }, ctx.env, {
    onWait: (m) => ctx.out.error(m),
    onProgress: (m) => ctx.out.progress(m),
  });
  return withStoreClosedOnSignals(opened, async () => render(ctx, await runClose({ ...options, mirror: opened.mirror })));
}

function render(ctx: CliContext, result: CloseResult): number {
  if (ctx.values.json) {
    ctx.out.print(JSON.stringify(toJsonCloseResult(result), null, 2));
    return exitCodeOf(result);
  }
  switch (result.outcome) {
    case 'refused':
      for (const d of result.diagnostics) ctx.out.error(formatDiagnostic(d));
      ctx.out.error(`workplan close: ${result.message}`);
      for (const t of result.openTasks) ctx.out.error(`  ${t.id}  ${t.status}  ${t.title}`);
      if (result.reason === 'open-tasks') {
        ctx.out.error('  hint: add --cancel-open to cancel them, or --carry-forward-to <WORKPLAN-ID> to move them into another workplan.');
      }
      break;
    case 'already-closed':
      ctx.out.print(result.message);
      break;
    case 'dry-run':
      for (const f of result.files) ctx.out.print(f.diff.replace(/\n$/, ''));
      ctx.out.print(`Dry run: ${describeClose(result)}. Nothing was written and the mirror was not changed.`);
      break;
    case 'closed': {
      ctx.out.print(`Closed ${result.workplan} on ${result.date}: ${describeClose(result)}.`);
      for (const f of result.files) ctx.out.print(`  wrote ${f.path}`);
      const sync = result.sync!;
      const errors = sync.diagnostics.filter((d) => d.severity === 'error');
      for (const d of errors) ctx.out.print(formatDiagnostic(d));
      if (errors.length > 0) ctx.out.print('Files with errors were not synced; their mirror rows were left as they were.');
      for (const w of sync.writeBacks)
        if (w.outcome !== 'written') ctx.out.error(`${w.path}: ids not written back (${w.outcome}): ${w.message ?? ''}`);
      ctx.out.print(formatSyncSummary(sync, Date.now() - ctx.startedAt));
      break;
    }
  }
  return exitCodeOf(result);
}

function exitCodeOf(result: CloseResult): number {
  if (result.outcome === 'refused') return result.reason === 'not-found' || result.reason === 'ambiguous' ? EXIT.usage : EXIT.invalid;
  if (result.outcome === 'closed' && result.sync?.writeBacks.some((w) => w.outcome !== 'written')) return EXIT.conflict;
  return EXIT.ok;
}

function describeClose(result: Extract<CloseResult, { outcome: 'dry-run' | 'closed' }>): string {
  const count = (c: string) => result.classifications.filter((x) => x.classification === c).length;
  const parts = [`${count('done')} done`, `${count('cancelled')} cancelled`, `${count('carry_forward')} carried forward`];
  const moved = result.carried.map((c) => `${c.from} → ${c.to}${c.created ? '' : ' (already there)'}`);
  const review = result.reviewAdded ? 'Closure Review added' : `a Closure Review of ${result.date} already existed and was kept`;
  return `${parts.join(', ')}${moved.length > 0 ? ` (${moved.join(', ')})` : ''}; ${review}`;
}

function toJsonCloseResult(result: CloseResult) {
  if (result.outcome === 'refused') {
    return { version: 1, ok: false, ...result, diagnostics: result.diagnostics.map(toJsonDiagnostic) };
  }
  if (result.outcome === 'already-closed') return { version: 1, ok: true, ...result };
  const { sync, ...rest } = result;
  return {
    version: 1,
    ok: !(sync && hasErrors(sync.diagnostics.filter((d) => result.files.some((f) => f.path === d.path)))),
    ...rest,
    ...(sync ? { sync: toJsonSyncResult(sync) } : {}),
  };
}
