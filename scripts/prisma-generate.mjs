#!/usr/bin/env node
// Runs `prisma generate` offline. Usage: `npm run generate` (or `node scripts/prisma-generate.mjs`).
//
// The Prisma CLI insists on downloading its native schema engine from binaries.prisma.sh before any
// command, generate included, although generate never runs it (the client generator is wasm). We point
// PRISMA_SCHEMA_ENGINE_BINARY at an existing file so the CLI skips the download; migrations do not use
// the native engine either (src/db/schema-engine.ts loads @prisma/schema-engine-wasm). The output,
// src/generated/prisma, is git-ignored and compiled by tsc with the rest of src/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

let cli;
try {
  cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
} catch {
  console.error('prisma-generate: the `prisma` package is not installed; run `npm install` first.');
  process.exit(1);
}

const env = { ...process.env };
// Checked for existence by the CLI, never executed by `generate`.
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(import.meta.url);
}
// No update check, no telemetry: both would try the network.
env.CHECKPOINT_DISABLE = '1';
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';

const result = spawnSync(
  process.execPath,
  [cli, 'generate', '--schema', join(projectRoot, 'prisma', 'schema.prisma')],
  { cwd: projectRoot, env, stdio: 'inherit' },
);
if (result.error) {
  console.error(`prisma-generate: could not run the Prisma CLI: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
