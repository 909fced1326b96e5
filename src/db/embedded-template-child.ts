// The child process that makes the migrated embedded store template (store.ts prepareEmbeddedTemplate):
// initdb and the migrations run here, so their memory is gone when it exits. Exit 0 when a template
// is ready. Input: WPS_TEMPLATE_CACHES, the caches to try (JSON).
import { makeEmbeddedTemplateHere } from './store.js';
import type { TemplateCache } from './embedded-template.js';

const caches = JSON.parse(process.env.WPS_TEMPLATE_CACHES ?? '[]') as TemplateCache[];
try {
  process.exitCode = (await makeEmbeddedTemplateHere(caches)) ? 0 : 1;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
