#!/usr/bin/env node
// Generates the Prisma client (src/generated/prisma, git-ignored, compiled by tsc with the rest of src/)
// from prisma/schema.prisma, offline. Usage: `npm run generate` (or `node scripts/prisma-generate.mjs`).
//
// It runs the `prisma-client` generator in this process, as `prisma generate` does, with the generator
// package (@prisma/client-generator-ts) and Prisma's schema loader (@prisma/internals), both pinned to
// @prisma/client's version. Not the Prisma CLI: it insists on downloading a native schema engine that
// generate never runs, and it depends on @prisma/dev (the `prisma dev` local server), whose
// @prisma/streams-local requires Node >= 22 — an `npm install` on Node 20 warned EBADENGINE for a
// command we never use. The output is byte-identical to `prisma generate`'s.
//
// Prints only to stderr: `npm pack` (run by pre-commit's `language: node` installer) takes its stdout
// as the tarball's name, and the prepare script that builds dist/ runs this.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

let internals;
let generatorPackage;
try {
  internals = require('@prisma/internals');
  generatorPackage = require('@prisma/client-generator-ts');
} catch (error) {
  console.error(`prisma-generate: ${error.message}\nRun \`npm install\` first (the generator is a devDependency).`);
  process.exit(1);
}

// No update check, no telemetry: both would try the network.
process.env.CHECKPOINT_DISABLE = '1';
process.env.PRISMA_HIDE_UPDATE_MESSAGE = '1';

const started = Date.now();
const schemaPath = join(projectRoot, 'prisma', 'schema.prisma');
try {
  const schemaContext = await internals.loadSchemaContext({ schemaPath: { cliProvidedPath: schemaPath }, printLoadMessage: false });
  const generators = await internals.getGenerators({
    schemaContext,
    registry: { 'prisma-client': { type: 'in-process', generator: new generatorPackage.PrismaClientTsGenerator() } },
    skipDownload: true,
    cliCommand: 'generate',
  });
  for (const generator of generators) {
    try {
      await generator.generate();
    } finally {
      generator.stop();
    }
  }
  const packageJson = join(dirname(require.resolve('@prisma/client-generator-ts')), '..', 'package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8'));
  console.error(`prisma-generate: generated the Prisma client (${version}) into src/generated/prisma in ${Date.now() - started} ms`);
} catch (error) {
  console.error(`prisma-generate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
