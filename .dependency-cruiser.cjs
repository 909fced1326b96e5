// Import boundaries (`npm run boundaries`): the layers STYLE.md describes, checked on every CI run.
//   core      src/model, src/parse, src/reconcile, src/writeback   pure: no I/O, nothing from outer layers
//   adapters  src/fs, src/db, src/git, src/watch, src/cache, src/workers   I/O; no use case, no CLI
//   use cases src/app
//   front doors src/cli, src/mcp, src/http   the CLI sits on the public API, src/index.ts
// Why: adr/0014-libraries-and-tooling-over-hand-written-code.md.
const CORE = '^src/(model|parse|reconcile|writeback)/';
const ADAPTERS = '^src/(fs|db|git|watch|cache|workers)/';

/** Node's modules that reach the outside world or the clock (the core may hash and join paths). */
const IO_BUILTINS = '^(node:)?(fs|fs/promises|child_process|net|http|https|http2|dgram|dns|tls|os|worker_threads|cluster|process|readline|inspector|perf_hooks|timers|timers/promises|v8|vm|module)$';
/** Packages that talk to a database, the file system, threads or the terminal. */
const IO_PACKAGES = '(^|/)node_modules/(pg|@prisma/[^/]+|@electric-sql/pglite|pglite-prisma-adapter|chokidar|tinypool|commander|@modelcontextprotocol/[^/]+)/';


// Known violations (issue 15, point 4: the CLI still imports use cases beneath src/index.ts, because
// importing src/index.ts loads every use case and tripled the CLI's start-up: adr/0015). They live in
// .dependency-cruiser-known-violations.json; the check passes with them and fails on any new one.
// `npx depcruise-baseline src --config .dependency-cruiser.cjs --output-to .dependency-cruiser-known-violations.json`
// rewrites the list after an import is removed.
const knownViolations = require('./.dependency-cruiser-known-violations.json');

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
      to: { path: '^src/(app|cli|mcp|http|index\\.ts$)' },
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
