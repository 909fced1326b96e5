// The `workplan` commands: name, arguments, options and help text, and how each runs. One entry per
// command: adding a command is adding an entry here (its help, `--help` and "did you mean" come with it).
// Each command's code is imported only when it runs: start-up time counts, above all for the
// pre-commit hook (`sync --staged`), which runs on every commit.
import type { CliContext } from './context.js';

export interface OptionSpec {
  /** Commander's flags syntax: `--dry-run`, `--date <YYYY-MM-DD>`, `-q, --quiet`. */
  flags: string;
  description: string;
  /** The option may be given several times; its value is the list of what was given. */
  repeatable?: boolean;
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
  { name: 'db', summary: "Apply or show the mirror's schema migrations" },
  { name: 'adr', summary: 'Write a new ADR' },
];

const REPEATABLE = (flags: string, description: string): OptionSpec => ({ flags, description, repeatable: true });
const SCOPE: OptionSpec[] = [
  REPEATABLE('--repo <slug[,slug…]>', 'other repositories of a shared mirror (default: this one)'),
  { flags: '--all-repos', description: 'every repository of the mirror' },
  { flags: '--no-sync', description: 'answer from the mirror as it is, without syncing the changed files first' },
];
const SERVE_OPTIONS: OptionSpec[] = [
  { flags: '--port <n>', description: 'the port to listen on (default 7411; 0: any free port)' },
  { flags: '--host <address>', description: 'the address to listen on (default 127.0.0.1; another needs WORKPLAN_SERVE_TOKEN)' },
  {
    flags: '--allow-writes',
    description: 'enable PATCH /api/tasks/:id (status, priority) with a token: WORKPLAN_SERVE_TOKEN, or one made and printed',
  },
];
const EDIT_NOTE =
  'The file is edited surgically (only the lines that change), re-parsed (an edit that would leave errors is refused), written with compare-and-swap (a file changed meanwhile is exit 3, nothing written), then synced. A running `workplan watch` does the edit for this command.';

export const COMMANDS: CommandSpec[] = [
  {
    name: 'check',
    arguments: '[paths...]',
    summary: 'Validate workplans and ADRs; exit 1 when any error is found',
    details:
      'Checks every workplan and ADR of the repository, or only the files and directories given (inside the repository). Prints diagnostics compiler-style (path:line:col). Opens no database.',
    options: [QUIET],
    examples: ['workplan check', 'workplan check workplans/api.md --json'],
    run: async (ctx) => (await import('./commands/check.js')).runCheckCommand(ctx),
  },
  {
    name: 'sync',
    summary: 'Reconcile the files into the mirror and write assigned ids back',
    details:
      "Creates, updates and removes mirror rows so they equal the files; rows changed behind the files' back (drift) are restored. Assigned ids are written into the files (compare-and-swap). Without DATABASE_URL the embedded store in .workplan/db is used (created on first use); a running `workplan watch` runs the sync for this command.",
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
    details: "The mirror's view of this repository, files that currently have errors, and the last sync that changed something.",
    examples: ['workplan status', 'workplan status --json'],
    run: async (ctx) => (await import('./commands/status.js')).runStatusCommand(ctx),
  },
  {
    name: 'close',
    arguments: '<WORKPLAN-ID>',
    summary: 'Close a workplan: classify every task, write its Closure Review, sync',
    details:
      'Every task must end done, cancelled or carried forward. Writes the `## Closure Review`, sets `status: completed`, `completed:` and `updated:`, then syncs. Refuses (exit 1) while tasks are open unless --cancel-open or --carry-forward-to says what to do with them.',
    options: [
      { flags: '--cancel-open', description: 'cancel the open tasks (todo, in_progress, blocked)' },
      { flags: '--carry-forward-to <WORKPLAN-ID>', description: 'copy the open tasks into that workplan; mark them carried_forward' },
      { flags: '--context <text>', description: "the review's Context paragraph" },
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
      'Runs one full sync, then syncs each file that changes. SIGINT or SIGTERM lets the current sync finish, closes the store and exits 0. Run it directly (node_modules/.bin/workplan watch) under a supervisor, not through npx: signals must reach this process.',
    options: [
      { flags: '--debounce <ms>', description: "quiet time after a file's last change before it is synced (default 200)" },
      { flags: '--schedule <cron>', description: 'run cleanup inside the daemon on a 5-field cron schedule, e.g. "0 3 * * *"' },
      { flags: '--serve', description: 'also serve the HTTP API and dashboard from this process (see `workplan serve`)' },
      ...SERVE_OPTIONS,
    ],
    examples: ['workplan watch', 'workplan watch --json --schedule "15 6 * * *"', 'workplan watch --serve --port 8080'],
    run: async (ctx) => (await import('./commands/watch.js')).runWatchCommand(ctx),
  },
  {
    name: 'list',
    arguments: '<workstreams|tasks|adrs|domains|repositories>',
    summary: 'One page of the mirror as a table (files synced first)',
    details:
      'Filters take comma-separated values or repeat; vocabulary aliases are accepted and a wrong value names the allowed ones (exit 2). --json prints the documented, versioned shape (docs/queries.md).',
    options: [
      REPEATABLE('--status <s[,s…]>', 'filter by status'),
      REPEATABLE('--domain <d[,d…]>', 'filter by domain'),
      REPEATABLE('--workstream <ID[,ID…]>', 'tasks of these workplans'),
      REPEATABLE('--priority <p[,p…]>', 'tasks of these priorities'),
      { flags: '--stale', description: 'open tasks in completed or archived workplans' },
      { flags: '--blocked', description: 'tasks (or workplans) waiting for an unfinished workplan' },
      { flags: '--sort <key[:desc]>', description: 'sort key (tasks: id, priority, status, workstream, title, domain, updated)' },
      { flags: '--limit <n>', description: 'page size (default 100)' },
      { flags: '--offset <n>', description: 'rows to skip' },
      ...SCOPE,
    ],
    examples: [
      'workplan list tasks --status todo,in_progress --sort priority',
      'workplan list tasks --stale --json',
      'workplan list domains',
    ],
    run: async (ctx) => (await import('./commands/list.js')).runListCommand(ctx),
  },
  {
    name: 'show',
    arguments: '<ID>',
    summary: 'A workplan, task or ADR: every field, phases, dependencies, reviews, file:line',
    details: 'Takes a workplan id, a task id, an ADR id (ADR-7, ADR-007) or a file path. An unknown id is exit 2.',
    options: [...SCOPE],
    examples: ['workplan show DOC-WP-0101', 'workplan show DOC-WP-0101-T02 --json', 'workplan show ADR-2'],
    run: async (ctx) => (await import('./commands/show.js')).runShowCommand(ctx),
  },
  {
    name: 'next',
    summary: "Open tasks whose workplan's dependencies are done, most urgent first",
    options: [
      REPEATABLE('--domain <d[,d…]>', 'tasks of these domains'),
      REPEATABLE('--workstream <ID[,ID…]>', 'tasks of these workplans'),
      { flags: '--limit <n>', description: 'how many (default 100)' },
      ...SCOPE,
    ],
    examples: ['workplan next --limit 5', 'workplan next --domain docs --json'],
    run: async (ctx) => (await import('./commands/next.js')).runNextCommand(ctx),
  },
  {
    name: 'set',
    arguments: '<TASK-ID> <assignments...>',
    summary: "Set a task's status and/or priority in its file (status=<s> priority=<p>)",
    details: EDIT_NOTE,
    options: [{ flags: '--dry-run', description: 'print the unified diff; write nothing' }],
    examples: ['workplan set DOC-WP-0100-T03 status=in_progress', 'workplan set DOC-WP-0100-T03 status=done priority=low --dry-run'],
    run: async (ctx) => (await import('./commands/set.js')).runSetCommand(ctx),
  },
  {
    name: 'add-task',
    arguments: '<WORKPLAN-ID>',
    summary: 'Add a task to a phase of a workplan (the next free task id)',
    details: EDIT_NOTE,
    options: [
      { flags: '--phase <n>', description: 'the phase number (a new phase when it does not exist; see --phase-title)' },
      { flags: '--phase-title <text>', description: 'title of a new phase' },
      { flags: '--title <text>', description: "the task's title (required)" },
      REPEATABLE('--priority <p>', "priority (default: the vocabulary's default)"),
      REPEATABLE('--status <s>', 'status (default todo)'),
      { flags: '--description <text>', description: "the task's description" },
      { flags: '--dry-run', description: 'print the unified diff; write nothing' },
    ],
    examples: ['workplan add-task DOC-WP-0100 --phase 2 --title "Write the search docs" --priority high'],
    run: async (ctx) => (await import('./commands/add-task.js')).runAddTaskCommand(ctx),
  },
  {
    name: 'new',
    arguments: '<WORKPLAN-ID>',
    summary: 'Write a new workplan file in the documented format',
    details: 'The file is created only if no file is there (workplans/<ID>-<slug>.md unless --file), then synced.',
    options: [
      { flags: '--title <text>', description: "the workplan's title (required)" },
      REPEATABLE('--domain <slug>', 'its domain (required)'),
      REPEATABLE('--status <s>', 'status (default planned)'),
      { flags: '--owner <name>', description: 'owner' },
      { flags: '--summary <text>', description: 'summary paragraph' },
      REPEATABLE('--depends-on <ID[,ID…]>', 'workplans it depends on'),
      { flags: '--file <path>', description: 'where to write it (inside a workplan root)' },
      DATE('created date'),
      { flags: '--dry-run', description: 'print the new file as a diff; write nothing' },
    ],
    examples: ['workplan new DOC-WP-0042 --title "Search v2" --domain docs --depends-on DOC-WP-0041'],
    run: async (ctx) => (await import('./commands/new.js')).runNewCommand(ctx),
  },
  {
    name: 'adr new',
    arguments: '<title>',
    summary: "Write the next ADR in the repository's style (MADR or Nygard)",
    details: 'The next number of the ADR root; the style is adr.style, else detected from the existing ADRs.',
    options: [
      REPEATABLE('--status <s>', 'status (default proposed)'),
      { flags: '--style <madr|nygard>', description: 'the ADR style (default: configured or detected)' },
      DATE('decision date'),
      REPEATABLE('--decision-maker <name>', 'a decision maker (repeatable)'),
      { flags: '--context <text>', description: 'the Context section' },
      { flags: '--decision <text>', description: 'the Decision section' },
      { flags: '--consequences <text>', description: 'the Consequences section' },
      { flags: '--dry-run', description: 'print the new file as a diff; write nothing' },
    ],
    examples: ['workplan adr new "Use Postgres for the mirror"', 'workplan adr new "Drop the cache" --style nygard --dry-run'],
    run: async (ctx) => (await import('./commands/adr.js')).runAdrCommand({ ...ctx, positionals: ['new', ...ctx.positionals] }),
  },
  {
    name: 'serve',
    summary: 'An HTTP API and a live web dashboard over the mirror (docs/serve.md)',
    details:
      'Serves the JSON API (/api/…, described at /api/openapi.json) and the dashboard (/) until SIGINT/SIGTERM, read-only unless --allow-writes. On a Postgres mirror (DATABASE_URL) it reads what other processes keep in step; on the embedded store it runs the watch daemon in this process too (as `workplan watch --serve`), which the other commands hand their work to.',
    options: SERVE_OPTIONS,
    examples: ['workplan serve', 'workplan serve --port 8080', 'WORKPLAN_SERVE_TOKEN=… workplan serve --host 0.0.0.0'],
    run: async (ctx) => (await import('./commands/serve.js')).runServeCommand(ctx),
  },
  {
    name: 'mcp',
    summary: 'A Model Context Protocol server over stdio, for agents (docs/mcp.md)',
    details: 'Tools to read and change the plans, file-first, through the same code as these commands.',
    options: [{ flags: '--read-only', description: 'offer only the tools that read' }],
    examples: ['workplan mcp', 'workplan mcp --read-only'],
    run: async (ctx) => (await import('./commands/mcp.js')).runMcpCommand(ctx),
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
