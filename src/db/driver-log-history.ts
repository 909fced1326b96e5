// Prisma's debug module keeps the arguments of its last 100 calls (for its crash reports) even when
// debugging is off, and the driver adapters log every statement with its parameters through it: the
// multi-megabyte row payloads of a large sync stayed alive until 100 later statements pushed them out
// (~100 MB of a 10,000-workplan sync). The engine forgets that history after each statement it writes.
// Each adapter may use its own copy of the module (the embedded adapter pins another Prisma version),
// so the copy is found from the adapter's own dependencies; where it cannot be, nothing is cleared.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type ClearLogs = () => void;

const clearers = new Map<string, ClearLogs>();

/** Finds the debug module `adapterPackage` logs through (once per adapter); never throws. */
export async function watchDriverLogHistory(adapterPackage: '@prisma/adapter-pg' | 'pglite-prisma-adapter'): Promise<void> {
  if (clearers.has(adapterPackage)) return;
  try {
    const adapter = createRequire(import.meta.url).resolve(adapterPackage);
    const utils = createRequire(adapter).resolve('@prisma/driver-adapter-utils');
    // The adapters are ES modules: the instance that holds their history is the package's ESM build.
    const debugCjs = createRequire(utils).resolve('@prisma/debug');
    const debug = (await import(pathToFileURL(join(dirname(debugCjs), 'index.mjs')).href)) as { clearLogs?: unknown };
    if (typeof debug.clearLogs === 'function') clearers.set(adapterPackage, debug.clearLogs as ClearLogs);
  } catch {
    // Another layout: the history is only memory, bounded at 100 statements.
  }
}

/** Drops the statements (and their parameters) the adapters' debug modules remember. */
export function forgetDriverLogHistory(): void {
  for (const clear of clearers.values()) clear();
}
