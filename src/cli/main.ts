// The `workplan` command line: argv → a use case in src/app → rendered output and an exit code.
// The only module that prints or decides exit codes (through exit-codes.ts).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createRequire } from 'node:module';
import { SyncError, isSyncError } from '../model/errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { createOutput, type Output } from './output.js';
import { redactMessage } from '../db/connection-url.js';
import { PLAN_OPTIONS, PLAN_USAGE, type PlanCliValues } from './commands/plan-options.js';

export const USAGE = `workplan — keep a Postgres mirror of Markdown workplans and ADRs exact (files are the source of truth)

Usage: workplan <command> [options]

Commands:
  check [paths…]        Validate workplans and ADRs; exit 1 when any error is found
  sync                  Reconcile the files into the mirror and write assigned ids back
  status                Task counts per domain and workstream, open tasks in closed workstreams
  close <WORKPLAN-ID>   Close a workplan: classify every task, write its Closure Review, sync
  cleanup               Cancel open tasks left in completed/archived workstreams (files first)
  watch                 Keep the mirror in step with the files as they change (a daemon)
  hook install          Install the pre-commit hook (runs \`workplan sync --staged\`); chains an existing one
  hook uninstall        Remove it and restore the hook it chained
  db migrate            Apply pending mirror migrations
  db status             Show applied and pending migrations

${PLAN_USAGE}

Common options:
  --root <dir>          Repository root (default: the git top level of the current directory)
  --json                Machine-readable output
  -h, --help            Show help
  -v, --version         Show the version

sync options:
  --dry-run             Print the plan; change nothing
  --allow-mass-removal  Allow a sync that removes more than sync.massRemovalThreshold of the rows
  --staged              Check and sync what is staged for the next commit (the pre-commit hook)

close options:
  --cancel-open                 Cancel the open tasks (todo, in_progress, blocked)
  --carry-forward-to <ID>       Copy the open tasks into workplan <ID>; mark them carried_forward
  --context "…"                 The review's Context paragraph
  --date YYYY-MM-DD             Review date (default: today)
  --dry-run                     Print the edits as a unified diff; change nothing

cleanup options:
  --dry-run             Preview: no file, no mirror change, no event
  --commit              Commit exactly the files it changed (other staged changes stay staged)
  --date YYYY-MM-DD     Date recorded in Closure Review addenda (default: today)

watch options:
  --debounce <ms>       Quiet time after a file's last change before it is synced (default 200)
  --schedule "<cron>"   Run cleanup inside the daemon on a 5-field cron schedule, e.g. "0 3 * * *"
  --json                One JSON object per log line

Environment: DATABASE_URL (a postgresql:// URL; without it the embedded store in .workplan/db is used).
Exit codes: 0 ok, 1 invalid files, 2 usage, 3 write conflict, 4 locked, 5 database unreachable,
6 migration failed, 7 mass removal refused, 8 refused input, 70 internal error.`;

const OPTIONS = {
  root: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'dry-run': { type: 'boolean' },
  'allow-mass-removal': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'cancel-open': { type: 'boolean' },
  'carry-forward-to': { type: 'string' },
  context: { type: 'string' },
  date: { type: 'string' },
  commit: { type: 'boolean' },
  staged: { type: 'boolean' },
  debounce: { type: 'string' },
  schedule: { type: 'string' },
  ...PLAN_OPTIONS,
} satisfies ParseArgsConfig['options'];

export type CliValues = {
  root?: string;
  json?: boolean;
  help?: boolean;
  version?: boolean;
  'dry-run'?: boolean;
  'allow-mass-removal'?: boolean;
  quiet?: boolean;
  'cancel-open'?: boolean;
  'carry-forward-to'?: string;
  context?: string;
  date?: string;
  commit?: boolean;
  staged?: boolean;
  debounce?: string;
  schedule?: string;
} & PlanCliValues;

export interface CliContext {
  values: CliValues;
  positionals: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Output;
}

/** Runs the CLI; returns the exit code. Never calls process.exit itself. */
export async function main(argv: string[], io: { cwd?: string; env?: NodeJS.ProcessEnv; out?: Output } = {}): Promise<number> {
  const out = io.out ?? createOutput();
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    out.error(`workplan: ${(error as Error).message}\nRun "workplan --help" for usage.`);
    return EXIT.usage;
  }
  const values = parsed.values as CliValues;
  const [command, ...rest] = parsed.positionals;
  if (values.version) {
    out.print(readVersion());
    return EXIT.ok;
  }
  if (values.help || !command || command === 'help') {
    out.print(USAGE);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  const ctx: CliContext = { values, positionals: rest, cwd: io.cwd ?? process.cwd(), env: io.env ?? process.env, out };
  // Each command's modules are loaded only when it runs: start-up time counts, above all for the
  // pre-commit hook (`sync --staged`), which runs on every commit.
  try {
    switch (command) {
      case 'check':
        return await (await import('./commands/check.js')).runCheckCommand(ctx);
      case 'sync': {
        if (values.staged) return await (await import('./commands/hook.js')).runStagedSyncCommand(ctx);
        // (A running `workplan watch` owns the embedded store: runSyncCommand hands the sync to it.)
        return await (await import('./commands/sync.js')).runSyncCommand(ctx);
      }
      case 'status':
        return await (await import('./commands/status.js')).runStatusCommand(ctx);
      case 'db':
        return await (await import('./commands/db.js')).runDbCommand(ctx);
      case 'close':
        return await (await import('./commands/close.js')).runCloseCommand(ctx);
      case 'cleanup':
        return await (await import('./commands/cleanup.js')).runCleanupCommand(ctx);
      case 'watch':
        return await (await import('./commands/watch.js')).runWatchCommand(ctx);
      case 'hook':
        return await (await import('./commands/hook.js')).runHookCommand(ctx);
      case 'list':
        return await (await import('./commands/list.js')).runListCommand(ctx);
      case 'show':
        return await (await import('./commands/show.js')).runShowCommand(ctx);
      case 'next':
        return await (await import('./commands/next.js')).runNextCommand(ctx);
      case 'set':
        return await (await import('./commands/set.js')).runSetCommand(ctx);
      case 'add-task':
        return await (await import('./commands/add-task.js')).runAddTaskCommand(ctx);
      case 'new':
        return await (await import('./commands/new.js')).runNewCommand(ctx);
      case 'adr':
        return await (await import('./commands/adr.js')).runAdrCommand(ctx);
      case 'mcp':
        return await (await import('./commands/mcp.js')).runMcpCommand(ctx);
      default:
        out.error(`workplan: unknown command "${command}"\nRun "workplan --help" for usage.`);
        return EXIT.usage;
    }
  } catch (error) {
    return reportFailure(error, ctx);
  }
}

/** Prints a typed error (or an unexpected one) without secrets, and maps it to its exit code. */
export function reportFailure(error: unknown, ctx: Pick<CliContext, 'out' | 'values' | 'env'>): number {
  const clean = (s: string) => redactMessage(s, passwordOf(ctx.env.DATABASE_URL));
  if (isSyncError(error)) {
    if (ctx.values.json) {
      ctx.out.print(JSON.stringify({ error: { code: error.code, message: clean(error.message), hint: error.hint ?? null } }));
    } else {
      ctx.out.error(`workplan: ${error.code}: ${clean(error.message)}${error.hint ? `\n  hint: ${clean(error.hint)}` : ''}`);
    }
    return exitCodeFor(error.code);
  }
  const message = error instanceof Error ? error.stack ?? error.message : String(error);
  ctx.out.error(`workplan: internal error: ${clean(message)}\nPlease report this with the command you ran.`);
  return EXIT.internal;
}

function passwordOf(url: string | undefined): { password: string | undefined } {
  if (!url) return { password: undefined };
  try {
    return { password: decodeURIComponent(new URL(url).password) || undefined };
  } catch {
    return { password: undefined };
  }
}

function readVersion(): string {
  const require = createRequire(import.meta.url);
  const pkg = require('../../package.json') as { version: string };
  return pkg.version;
}

export { SyncError };
