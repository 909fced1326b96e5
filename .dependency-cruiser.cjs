// Import boundaries (`npm run boundaries`): the layers STYLE.md describes, checked on every CI run.
//   core      src/model, src/parse, src/reconcile, src/writeback   pure: no I/O, nothing from outer layers
//   adapters  src/fs, src/db, src/git, src/watch, src/http, src/cache, src/workers   I/O; no use case, no CLI
//   use cases src/app
//   front doors src/cli (and src/mcp)   the CLI sits on the public API, src/index.ts
// Why: adr/0014-libraries-and-tooling-over-hand-written-code.md.
const CORE = '^src/(model|parse|reconcile|writeback)/';
const ADAPTERS = '^src/(fs|db|git|watch|http|cache|workers)/';

/** Node's modules that reach the outside world or the clock (the core may hash and join paths). */
const IO_BUILTINS = '^(node:)?(fs|fs/promises|child_process|net|http|https|http2|dgram|dns|tls|os|worker_threads|cluster|process|readline|inspector|perf_hooks|timers|timers/promises|v8|vm|module)$';
/** Packages that talk to a database, the file system, threads or the terminal. */
const IO_PACKAGES = '(^|/)node_modules/(pg|@prisma/[^/]+|@electric-sql/pglite|pglite-prisma-adapter|chokidar|tinypool|commander|@modelcontextprotocol/[^/]+)/';


// Known violations, listed so that the check passes today and names what is left to remove (issue 15,
// points 3 and 4: the CLI goes through src/index.ts, the watch adapters stop importing use cases, the
// CLI's import circle is broken). Delete an entry once its import is gone; with nothing left to list,
// delete the lists. `npx depcruise-baseline src --config .dependency-cruiser.cjs -f /dev/stdout` prints
// what is still violated.
const KNOWN_DEPENDENCIES = {
  'cli-only-public-api': [
    ['src/cli/commands/check.ts', 'src/app/check.ts'],
    ['src/cli/commands/check.ts', 'src/app/prepared-cache.ts'],
    ['src/cli/commands/check.ts', 'src/app/source-files.ts'],
    ['src/cli/commands/check.ts', 'src/app/workspace.ts'],
    ['src/cli/commands/check.ts', 'src/fs/repo-path.ts'],
    ['src/cli/commands/check.ts', 'src/fs/state-dir.ts'],
    ['src/cli/commands/check.ts', 'src/model/diagnostic.ts'],
    ['src/cli/commands/check.ts', 'src/model/errors.ts'],
    ['src/cli/commands/cleanup.ts', 'src/app/cleanup.ts'],
    ['src/cli/commands/cleanup.ts', 'src/app/open-mirror.ts'],
    ['src/cli/commands/cleanup.ts', 'src/app/workspace.ts'],
    ['src/cli/commands/cleanup.ts', 'src/parse/value-formats.ts'],
    ['src/cli/commands/close.ts', 'src/app/close.ts'],
    ['src/cli/commands/close.ts', 'src/app/open-mirror.ts'],
    ['src/cli/commands/close.ts', 'src/app/workspace.ts'],
    ['src/cli/commands/close.ts', 'src/model/diagnostic.ts'],
    ['src/cli/commands/close.ts', 'src/parse/value-formats.ts'],
    ['src/cli/commands/db.ts', 'src/app/workspace.ts'],
    ['src/cli/commands/db.ts', 'src/db/migrate.ts'],
    ['src/cli/commands/db.ts', 'src/db/schema-check.ts'],
    ['src/cli/commands/db.ts', 'src/db/store.ts'],
    ['src/cli/commands/hook.ts', 'src/app/hook.ts'],
    ['src/cli/commands/hook.ts', 'src/app/workspace.ts'],
    ['src/cli/commands/hook.ts', 'src/db/store.ts'],
    ['src/cli/commands/hook.ts', 'src/git/hooks.ts'],
    ['src/cli/commands/status.ts', 'src/app/check.ts'],
    ['src/cli/commands/status.ts', 'src/app/open-mirror.ts'],
    ['src/cli/commands/status.ts', 'src/app/source-files.ts'],
    ['src/cli/commands/status.ts', 'src/app/status.ts'],
    ['src/cli/commands/status.ts', 'src/app/workspace.ts'],
    ['src/cli/commands/sync.ts', 'src/app/file-hash-cache.ts'],
    ['src/cli/commands/sync.ts', 'src/app/open-mirror.ts'],
    ['src/cli/commands/sync.ts', 'src/app/prepared-cache.ts'],
    ['src/cli/commands/sync.ts', 'src/app/source-files.ts'],
    ['src/cli/commands/sync.ts', 'src/app/sync.ts'],
    ['src/cli/commands/sync.ts', 'src/app/workspace.ts'],
    ['src/cli/commands/sync.ts', 'src/model/diagnostic.ts'],
    ['src/cli/commands/sync.ts', 'src/watch/daemon-client.ts'],
    ['src/cli/commands/watch.ts', 'src/app/cleanup.ts'],
    ['src/cli/commands/watch.ts', 'src/app/open-mirror.ts'],
    ['src/cli/commands/watch.ts', 'src/app/watch.ts'],
    ['src/cli/commands/watch.ts', 'src/app/workspace.ts'],
    ['src/cli/commands/watch.ts', 'src/db/connection-url.ts'],
    ['src/cli/commands/watch.ts', 'src/db/embedded-lock.ts'],
    ['src/cli/commands/watch.ts', 'src/db/store.ts'],
    ['src/cli/commands/watch.ts', 'src/watch/cron.ts'],
    ['src/cli/commands/watch.ts', 'src/watch/daemon-protocol.ts'],
    ['src/cli/commands/watch.ts', 'src/watch/daemon-socket.ts'],
    ['src/cli/exit-codes.ts', 'src/model/errors.ts'],
    ['src/cli/main.ts', 'src/db/connection-url.ts'],
    ['src/cli/main.ts', 'src/model/errors.ts'],
    ['src/cli/render-diagnostics.ts', 'src/model/diagnostic.ts'],
    ['src/cli/render-plan.ts', 'src/app/sync.ts'],
    ['src/cli/render-plan.ts', 'src/reconcile/plan-batches.ts'],
    ['src/cli/render-plan.ts', 'src/reconcile/plan.ts'],
    ['src/cli/signals.ts', 'src/db/close-on-signals.ts'],
  ],
  'adapters-no-use-cases': [
    ['src/watch/daemon-client.ts', 'src/app/sync.ts'],
    ['src/watch/daemon-protocol.ts', 'src/app/sync.ts'],
    ['src/watch/file-watcher.ts', 'src/app/source-files.ts'],
  ],
};
/** Import circles (each listed by its modules): the MCP server and src/index.ts, and the CLI's context type and command table. */
const KNOWN_CYCLES = [
  ['src/mcp/server.ts', 'src/index.ts'],
  ['src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/mcp/tools.ts', 'src/index.ts', 'src/mcp/server.ts'],
  ['src/cli/commands/add-task.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/adr.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/cleanup.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/close.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/db.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/hook.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/list.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/mcp.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/new.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/next.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/set.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/show.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/status.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/sync.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/cli/commands/watch.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts'],
  ['src/index.ts', 'src/mcp/server.ts', 'src/mcp/tools.ts', 'src/mcp/tool-results.ts'],
  ['src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/cleanup.ts'],
  ['src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/close.ts'],
  ['src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/db.ts'],
  ['src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/hook.ts'],
  ['src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/status.ts'],
  ['src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/sync.ts'],
  ['src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/watch.ts'],
  ['src/cli/commands/edit-answer.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/add-task.ts'],
  ['src/cli/commands/edit-answer.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/adr.ts'],
  ['src/cli/commands/edit-answer.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/new.ts'],
  ['src/cli/commands/edit-answer.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/set.ts'],
  ['src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/add-task.ts', 'src/cli/plan-command.ts'],
  ['src/cli/plan-command.ts', 'src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/add-task.ts'],
  ['src/cli/plan-command.ts', 'src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/adr.ts'],
  ['src/cli/plan-command.ts', 'src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/list.ts'],
  ['src/cli/plan-command.ts', 'src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/mcp.ts'],
  ['src/cli/plan-command.ts', 'src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/new.ts'],
  ['src/cli/plan-command.ts', 'src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/next.ts'],
  ['src/cli/plan-command.ts', 'src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/set.ts'],
  ['src/cli/plan-command.ts', 'src/cli/commands/check.ts', 'src/cli/main.ts', 'src/cli/program.ts', 'src/cli/command-table.ts', 'src/cli/commands/show.ts'],
];

const knownViolations = [
  ...Object.entries(KNOWN_DEPENDENCIES).flatMap(([name, pairs]) => pairs.map(([from, to]) => ({ type: 'dependency', from, to, rule: { name, severity: 'error' } }))),
  ...KNOWN_CYCLES.map((modules) => ({ type: 'cycle', from: modules[modules.length - 1], to: modules[0], cycle: modules.map((name) => ({ name, dependencyTypes: [] })), rule: { name: 'no-circular', severity: 'error' } })),
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-no-io',
      comment: 'The pure core (model, parse, reconcile, writeback) imports no I/O module: adapters are passed in.',
      severity: 'error',
      from: { path: CORE },
      to: { dependencyTypes: ['core'], path: IO_BUILTINS },
    },
    {
      name: 'core-no-io-packages',
      comment: 'The pure core imports no database, file-system, thread or terminal package.',
      severity: 'error',
      from: { path: CORE },
      to: { path: IO_PACKAGES },
    },
    {
      name: 'core-no-outer-layers',
      comment: 'The pure core imports nothing from adapters, use cases or front doors (nor the generated Prisma client).',
      severity: 'error',
      from: { path: CORE },
      to: { path: '^src/(fs|db|git|watch|http|cache|workers|app|cli|mcp|generated|index\\.ts$)' },
    },
    {
      name: 'adapters-no-use-cases',
      comment:
        'Adapters import no use case (src/app) and no front door. A worker entry (src/workers/*-worker.ts) is ' +
        "its thread's composition root, like the CLI for the process: it may import the pure step it runs.",
      severity: 'error',
      from: { path: ADAPTERS, pathNot: '^src/workers/[^/]+-worker\\.ts$' },
      to: { path: '^src/(app|cli|mcp|index\\.ts$)' },
    },
    {
      name: 'cli-only-public-api',
      comment: 'The CLI imports only the public library API (src/index.ts) besides its own modules.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: '^src/(cli/|index\\.ts$)' },
    },
    {
      name: 'no-circular',
      comment: 'Modules form no import circle (type-only imports included).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    knownViolations,
  },
};
