#!/usr/bin/env node
// Makes the migrated embedded store template (dist/db/embedded-template.js, adr/0013) in the package's
// .cache/, so the first `workplan sync` of a clone copies it instead of running initdb and the
// migrations. Run by `npm run build` (so by `npm install` of a clone, through `prepare`).
// Best effort: a template that cannot be made here is made on first use instead; the build never fails
// for it. Prints only to stderr (see prisma-generate.mjs: `npm pack` reads stdout).
import { performance } from 'node:perf_hooks';

const started = performance.now();
try {
  const { makeEmbeddedTemplateHere } = await import('../dist/db/store.js');
  const { PACKAGE_TEMPLATE_CACHE } = await import('../dist/db/embedded-template.js');
  const template = await makeEmbeddedTemplateHere([PACKAGE_TEMPLATE_CACHE]);
  process.stderr.write(
    template
      ? `make-embedded-template: ${template} ready in ${Math.round(performance.now() - started)} ms\n`
      : 'make-embedded-template: could not be made here; the first use will make it\n',
  );
} catch (error) {
  process.stderr.write(
    `make-embedded-template: skipped (${error instanceof Error ? error.message : String(error)}); the first use will make it\n`,
  );
}
