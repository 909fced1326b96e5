// `workplan hook install|uninstall` and `workplan sync --staged` (what the installed hook runs).
// Rendering and exit codes only; the work is src/git/hooks.ts and src/app/hook.ts.
import { runStagedSync, type StagedSyncOutcome } from '../../app/hook.js';
import { openWorkspace } from '../../app/workspace.js';
import { preferQuickStart } from '../../db/store.js';
import { currentInstallation, installPreCommitHook, uninstallPreCommitHook } from '../../git/hooks.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { formatDiagnostic, toJsonDiagnostic } from '../render-diagnostics.js';
import { formatSyncSummary } from '../render-plan.js';
import { reportConfigErrors } from '../report-config-errors.js';

const HOOK_USAGE = 'Usage: workplan hook install | workplan hook uninstall';

export async function runHookCommand(ctx: CliContext): Promise<number> {
  const [action, ...extra] = ctx.positionals;
  if ((action !== 'install' && action !== 'uninstall') || extra.length > 0) {
    ctx.out.error(`workplan hook: ${action ? `unknown action "${[action, ...extra].join(' ')}"` : 'missing action'}.\n${HOOK_USAGE}`);
    return EXIT.usage;
  }
  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (action === 'install') {
    const installation = currentInstallation();
    const r = await installPreCommitHook(ws.root, ctx.env, installation);
    if (ctx.values.json) ctx.out.print(JSON.stringify({ version: 1, ...r, installation }, null, 2));
    else {
      const what = { installed: 'Installed', 'already-installed': 'Already installed:', updated: 'Updated' }[r.outcome];
      ctx.out.print(`${what} the pre-commit hook ${r.hookPath}; it runs \`workplan sync --staged\` on every commit.`);
      if (r.chainedPath) ctx.out.print(`The existing hook was kept as ${r.chainedPath} and runs first.`);
      ctx.out.print(
        `It runs this installation: ${installation.node} ${installation.entry}. Should that go away, commits proceed unchecked, with a message, until you run \`workplan hook install\` again.`,
      );
      ctx.out.print(
        'The hook syncs only what each commit stages: run `workplan sync` once now so that the files committed before it existed reach the mirror too.',
      );
    }
    return EXIT.ok;
  }
  const r = await uninstallPreCommitHook(ws.root, ctx.env);
  if (ctx.values.json) ctx.out.print(JSON.stringify({ version: 1, ...r }, null, 2));
  else if (r.outcome === 'not-installed') ctx.out.print(`No workplan pre-commit hook at ${r.hookPath}; nothing was changed.`);
  else ctx.out.print(`Removed the pre-commit hook ${r.hookPath}${r.restored ? '; the hook it chained is back in its place' : ''}.`);
  return EXIT.ok;
}

/** `workplan sync --staged`: exit 0 lets the commit proceed, anything else blocks it. */
export async function runStagedSyncCommand(ctx: CliContext): Promise<number> {
  if (ctx.values['dry-run']) {
    ctx.out.error('workplan sync: --staged and --dry-run exclude each other (use `workplan check` to validate only).');
    return EXIT.usage;
  }
  // A short process on every commit: start the mirror's WebAssembly quickly rather than optimise it
  // (process-wide, so not inside a test runner's shared process).
  if (!process.env.VITEST) preferQuickStart();
  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (!ws.config) return reportConfigErrors(ctx, ws.configDiagnostics);
  const outcome = await runStagedSync({
    root: ws.root,
    config: ws.config,
    repository: ws.repository,
    env: ctx.env,
    onWait: (m) => ctx.out.error(`workplan: ${m}`),
  });
  const code = exitCodeOf(outcome);
  if (ctx.values.json) ctx.out.print(JSON.stringify(toJsonStagedOutcome(outcome, code), null, 2));
  else renderStagedOutcome(ctx, outcome);
  if (outcome.status === 'mirror-unavailable' && outcome.timedOut && !process.env.VITEST) {
    // The abandoned sync still runs (and closes its store when done); never hold the commit beyond the budget.
    setTimeout(() => process.exit(code), 1_500).unref();
  }
  return code;
}

function exitCodeOf(outcome: StagedSyncOutcome): number {
  switch (outcome.status) {
    case 'nothing-staged':
    case 'synced':
    case 'refused':
      return EXIT.ok;
    case 'invalid':
    case 'needs-clean-files':
      return EXIT.invalid;
    case 'mirror-unavailable':
      return outcome.policy === 'block' ? exitCodeFor(outcome.error.code) : EXIT.ok;
  }
}

function renderStagedOutcome(ctx: CliContext, outcome: StagedSyncOutcome): void {
  const files = `${outcome.staged.length} staged file${outcome.staged.length === 1 ? '' : 's'}`;
  const ms = `${outcome.timings.totalMs} ms`;
  switch (outcome.status) {
    case 'nothing-staged':
      return;
    case 'invalid':
      for (const d of outcome.diagnostics) ctx.out.error(formatDiagnostic(d));
      ctx.out.error(
        `workplan: the commit was blocked: ${files} checked, ${outcome.diagnostics.filter((d) => d.severity === 'error').length} error(s) ` +
          '(the staged content was checked, not the working tree). Fix them and `git add` again; nothing was changed.',
      );
      return;
    case 'needs-clean-files':
      ctx.out.error(
        `workplan: the commit was blocked: ids must be written into ${outcome.paths.join(', ')}, which ` +
          `${outcome.paths.length === 1 ? 'has' : 'have'} unstaged changes as well. Stage or stash your other changes to ` +
          `${outcome.paths.length === 1 ? 'it' : 'them'}, or run \`workplan sync\` first (it writes the ids) and \`git add\` the file(s). Nothing was changed.`,
      );
      return;
    case 'synced': {
      for (const d of outcome.diagnostics) ctx.out.error(formatDiagnostic(d));
      const via = outcome.daemonPid !== undefined ? ` by the running watch daemon (pid ${outcome.daemonPid})` : '';
      ctx.out.error(`workplan: ${files} valid; mirror synced${via}: ${formatSyncSummary(outcome.result)} (hook ${ms})`);
      if (outcome.restaged.length > 0) ctx.out.error(`workplan: ids written into and staged: ${outcome.restaged.join(', ')}`);
      for (const n of outcome.notWritten) {
        ctx.out.error(
          `workplan: ${n.path}: ids not written (${n.message}); the commit proceeds without them and the next \`workplan sync\` writes them.`,
        );
      }
      return;
    }
    case 'refused':
      ctx.out.error(
        `workplan: ${files} valid, but the mirror sync was refused: ${outcome.error.message}\n` +
          '  The commit proceeds. If the removals are intended, run `workplan sync --allow-mass-removal` after committing.',
      );
      return;
    case 'mirror-unavailable': {
      const blocked = outcome.policy === 'block';
      ctx.out.error(
        `workplan: ${files} valid; the mirror was not synced: ${outcome.error.message}\n` +
          (blocked
            ? '  The commit was blocked (hook.onDatabaseUnreachable is "block"). Retry when the mirror is reachable, or commit with --no-verify.'
            : '  The commit proceeds (hook.onDatabaseUnreachable is "warn"); run `workplan sync` once the mirror is reachable.'),
      );
      return;
    }
  }
}

function toJsonStagedOutcome(outcome: StagedSyncOutcome, exitCode: number) {
  return {
    version: 1,
    status: outcome.status,
    exitCode,
    staged: outcome.staged,
    timings: outcome.timings,
    diagnostics: outcome.diagnostics.map(toJsonDiagnostic),
    ...(outcome.status === 'needs-clean-files' ? { paths: outcome.paths } : {}),
    ...(outcome.status === 'synced'
      ? {
          outcome: outcome.result.outcome,
          counts: outcome.result.plan.counts,
          restaged: outcome.restaged,
          notWritten: outcome.notWritten,
          ...(outcome.daemonPid !== undefined ? { daemon: { pid: outcome.daemonPid } } : {}),
        }
      : {}),
    ...(outcome.status === 'mirror-unavailable' || outcome.status === 'refused'
      ? { error: { code: outcome.error.code, message: outcome.error.message, hint: outcome.error.hint ?? null } }
      : {}),
  };
}
