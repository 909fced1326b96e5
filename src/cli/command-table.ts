// The `workplan` commands: name, arguments, options and help text, and how each runs. One entry per
// command: adding a command is adding an entry here (its help, `--help` and "did you mean" come with it).
// Each command's code is imported only when it runs: start-up time counts, above all for the
// pre-commit hook (`sync --staged`), which runs on every commit.
import type { CliContext } from './main.js';

export interface OptionSpec {
  /** Commander's flags syntax: `--dry-run`, `--date <YYYY-MM-DD>`, `-q, --quiet`. */
  flags: string;
  description: string;
}

export interface CommandSpec {
  /** `sync`, or a group and its action: `db migrate`. */
  name: string;
  /** Commander's argument syntax: `[paths...]`, `<WORKPLAN-ID>`. */
  arguments?: string;
  /** One line, for the command list. */
  summary: string;
  /** More paragraphs for `workplan <command> --help` (after the summary). */
  details?: string;
  options?: OptionSpec[];
  examples?: string[];
  /** Runs the command; `ctx.positionals` holds its arguments. Import the command's module in here. */
  run(ctx: CliContext): Promise<number>;
}

export interface GroupSpec {
  name: string;
  summary: string;
}

const DRY_RUN = { flags: '--dry-run', description: 'print what would change; change nothing' };
const QUIET = { flags: '-q, --quiet', description: 'print less (no plan, no summary line)' };
const DATE = (what: string) => ({ flags: '--date <YYYY-MM-DD>', description: `${what} (default: today, local time)` });

/** Commands with an action of their own (`db migrate`), listed under their group's name. */
export const GROUPS: GroupSpec[] = [
  { name: 'hook', summary: 'Install or remove the pre-commit hook' },
  { name: 'db', summary: 'Apply or show the mirror\'s schema migrations' },
];

export const COMMANDS: CommandSpec[] = [
  {
    name: 'check',
    arguments: '[paths...]',
    summary: 'Validate workplans and ADRs; exit 1 when any error is found',
    details:
      'Checks every workplan and ADR of the repository, or only the files and directories given (inside the\n' +
      'repository). Prints diagnostics compiler-style (path:line:col). Opens no database.',
    options: [QUIET],
    examples: ['workplan check', 'workplan check workplans/api.md --json'],
    run: async (ctx) => (await import('./commands/check.js')).runCheckCommand(ctx),
  },
  {
    name: 'sync',
    summary: 'Reconcile the files into the mirror and write assigned ids back',
    details:
      'Creates, updates and removes mirror rows so they equal the files; rows changed behind the files\'\n' +
      'back (drift) are restored. Assigned ids are written into the files (compare-and-swap). Without\n' +
      'DATABASE_URL the embedded store in .workplan/db is used (created on first use); a running\n' +
      '`workplan watch` runs the sync for this command.',
    options: [
      { flags: '--dry-run', description: 'print the plan; change nothing (neither the mirror nor any file)' },
      { flags: '--allow-mass-removal', description: 'allow a sync that removes more than sync.massRemovalThreshold of the rows' },
      { flags: '--staged', description: 'check and sync what is staged for the next commit (what the pre-commit hook runs)' },
      QUIET,
    ],
    examples: ['workplan sync', 'workplan sync --dry-run --json'],
    run: async (ctx) =>
      ctx.values.staged
        ? (await import('./commands/hook.js')).runStagedSyncCommand(ctx)
        : (await import('./commands/sync.js')).runSyncCommand(ctx),
  },
  {
    name: 'status',
    summary: 'Task counts per domain and workstream, open tasks in closed workstreams',
    details: 'The mirror\'s view of this repository, files that currently have errors, and the last sync that changed something.',
    examples: ['workplan status', 'workplan status --json'],
    run: async (ctx) => (await import('./commands/status.js')).runStatusCommand(ctx),
  },
  {
    name: 'close',
    arguments: '<WORKPLAN-ID>',
    summary: 'Close a workplan: classify every task, write its Closure Review, sync',
    details:
      'Every task must end done, cancelled or carried forward. Writes the `## Closure Review`, sets\n' +
      '`status: completed`, `completed:` and `updated:`, then syncs. Refuses (exit 1) while tasks are open\n' +
      'unless --cancel-open or --carry-forward-to says what to do with them.',
    options: [
      { flags: '--cancel-open', description: 'cancel the open tasks (todo, in_progress, blocked)' },
      { flags: '--carry-forward-to <WORKPLAN-ID>', description: 'copy the open tasks into that workplan; mark them carried_forward' },
      { flags: '--context <text>', description: 'the review\'s Context paragraph' },
      DATE('review date'),
      { flags: '--dry-run', description: 'print the edits as a unified diff; change nothing' },
    ],
    examples: ['workplan close DOC-WP-0200 --cancel-open', 'workplan close DOC-WP-0200 --carry-forward-to DOC-WP-0201 --dry-run'],
    run: async (ctx) => (await import('./commands/close.js')).runCloseCommand(ctx),
  },
  {
    name: 'cleanup',
    summary: 'Cancel open tasks left in completed/archived workstreams (files first)',
    details: 'Syncs first, then cancels such tasks in their files (or in the mirror only, for rows without a file).',
    options: [
      { flags: '--dry-run', description: 'preview: no file, no mirror change, no event' },
      { flags: '--commit', description: 'commit exactly the files it changed (other staged changes stay staged)' },
      DATE('date recorded in Closure Review addenda'),
      { flags: '--allow-mass-removal', description: 'allow its sync to remove more than sync.massRemovalThreshold of the rows' },
    ],
    examples: ['workplan cleanup --dry-run', 'workplan cleanup --commit'],
    run: async (ctx) => (await import('./commands/cleanup.js')).runCleanupCommand(ctx),
  },
  {
    name: 'watch',
    summary: 'Keep the mirror in step with the files as they change (a daemon)',
    details:
      'Runs one full sync, then syncs each file that changes. SIGINT or SIGTERM lets the current sync\n' +
      'finish, closes the store and exits 0. Run it directly (node_modules/.bin/workplan watch) under a\n' +
      'supervisor, not through npx: signals must reach this process.',
    options: [
      { flags: '--debounce <ms>', description: 'quiet time after a file\'s last change before it is synced (default 200)' },
      { flags: '--schedule <cron>', description: 'run cleanup inside the daemon on a 5-field cron schedule, e.g. "0 3 * * *"' },
    ],
    examples: ['workplan watch', 'workplan watch --json --schedule "15 6 * * *"'],
    run: async (ctx) => (await import('./commands/watch.js')).runWatchCommand(ctx),
  },
  {
    name: 'hook install',
    summary: 'Install the pre-commit hook (runs `workplan sync --staged`); chains an existing one',
    details:
      'The hook runs this installation of workplan (its node and its bin script, by absolute path).\n' +
      'Files committed before the hook existed reach the mirror with one `workplan sync`.',
    examples: ['workplan hook install'],
    run: async (ctx) => (await import('./commands/hook.js')).runHookCommand({ ...ctx, positionals: ['install'] }),
  },
  {
    name: 'hook uninstall',
    summary: 'Remove the pre-commit hook and restore the hook it chained',
    run: async (ctx) => (await import('./commands/hook.js')).runHookCommand({ ...ctx, positionals: ['uninstall'] }),
  },
  {
    name: 'db migrate',
    summary: 'Apply pending mirror migrations',
    run: async (ctx) => (await import('./commands/db.js')).runDbCommand({ ...ctx, positionals: ['migrate'] }),
  },
  {
    name: 'db status',
    summary: 'Show applied and pending migrations, and how the schema differs from them',
    run: async (ctx) => (await import('./commands/db.js')).runDbCommand({ ...ctx, positionals: ['status'] }),
  },
];
