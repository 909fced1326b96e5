// A migrated embedded data directory, made once per installation and copied into every new store
// (adr/0013). Creating a store was initdb (2–3 s) plus the migrations through the wasm schema engine
// (~1 s) on every clone; a copy of the same directory is a few hundred milliseconds. Adapter (node:fs).
//
// - Where: inside the installed package (`<package>/.cache/embedded-template/<key>/data`), so it is
//   made by the package's build (`npm install` of a clone runs it through `prepare`) and goes with the
//   package when it is removed or upgraded. A package directory this process cannot write (a global
//   install owned by root) falls back to the user's cache directory; when neither can be written,
//   stores are created as before (initdb and migrations in place).
// - Which: the key hashes the PGlite version, every migration's name and checksum, and the template
//   format. Another PGlite or a new migration is another key: a template is never used for a schema
//   it was not made with. Only stores migrated with the shipped migrations use templates.
// - Whole or absent: a template is built under a temporary name and renamed into place once migrated
//   and closed (its `schema_state` fingerprint recorded), so a reader sees a finished one or none; a
//   store copied from it is made the same way (create-embedded-dir.ts). Both are private (0700/0600).
// - Still checked: a store copied from the template is opened like any other (its migrations read,
//   its schema fingerprint compared: SCHEMA_MISMATCH when it differs), nothing is trusted blindly.
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { access, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessAlive } from '../fs/process-liveness.js';
import type { MigrationFile } from './migrate.js';

/** Bump when what a template holds changes in a way the key does not see. */
const TEMPLATE_FORMAT = 1;
const CREATING = '.creating-';

/** A directory templates are kept in; `shared` when other installations may use it too. */
export interface TemplateCache {
  dir: string;
  shared: boolean;
}

/** The package's own cache: `.cache/` at the package root (from src/db and dist/db alike). */
export const PACKAGE_TEMPLATE_CACHE: TemplateCache = {
  dir: fileURLToPath(new URL('../../.cache/embedded-template/', import.meta.url)),
  shared: false,
};

/** The caches in the order they are tried: the package's own, then the user's cache directory. */
export function templateCaches(env: NodeJS.ProcessEnv = process.env): TemplateCache[] {
  const base = env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache');
  return [PACKAGE_TEMPLATE_CACHE, { dir: join(base, 'workplan-sync', 'embedded-template'), shared: true }];
}

/** The template's key: PGlite's version, the migrations (names and checksums) and the format. */
export function templateKey(migrations: readonly MigrationFile[]): string {
  const hash = createHash('sha256');
  hash.update(`format ${TEMPLATE_FORMAT}\npglite ${pgliteVersion()}\n`);
  for (const m of migrations) hash.update(`${m.name} ${m.checksum}\n`);
  return hash.digest('hex').slice(0, 16);
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@electric-sql/pglite');
  // The package.json is not exported; find it from the resolved entry (…/pglite/dist/index.cjs).
  const pkg = require(join(main, '..', '..', 'package.json')) as { version: string };
  return pkg.version;
}

/** The data directory of a finished template with this key, in the first cache that has one. */
export async function findEmbeddedTemplate(key: string, caches: readonly TemplateCache[]): Promise<string | undefined> {
  for (const cache of caches) {
    const data = join(cache.dir, key, 'data');
    if (await exists(join(data, 'PG_VERSION'))) return data;
  }
  return undefined;
}

/**
 * Makes the template with this key in the first cache that can be written: `initialise(dataDir)`
 * creates and migrates a store there (and closes it). Returns its data directory, or undefined when
 * no cache could be written (the caller then creates its store in place). Another process making the
 * same template at the same time is harmless: the first rename wins, the other copy is removed.
 */
export async function makeEmbeddedTemplate(
  key: string,
  caches: readonly TemplateCache[],
  initialise: (dataDir: string) => Promise<void>,
): Promise<string | undefined> {
  for (const cache of caches) {
    const final = join(cache.dir, key);
    const temp = join(cache.dir, `${CREATING}${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(temp, { recursive: true, mode: 0o700 });
    } catch {
      continue; // not writable: try the next cache
    }
    try {
      await removeAbandoned(cache, key);
      await initialise(join(temp, 'data'));
      try {
        await rename(temp, final);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
        await rm(temp, { recursive: true, force: true }); // another process finished first
      }
      return join(final, 'data');
    } catch (error) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
  }
  return undefined;
}

/** Templates of other keys (an older PGlite or older migrations) and attempts of dead processes. */
async function removeAbandoned(cache: TemplateCache, key: string): Promise<void> {
  for (const name of await readdir(cache.dir).catch(() => [] as string[])) {
    if (name.startsWith(CREATING)) {
      const pid = Number(name.slice(CREATING.length).split('-')[0]);
      if (pid !== process.pid && !isProcessAlive(pid))
        await rm(join(cache.dir, name), { recursive: true, force: true }).catch(() => undefined);
    } else if (name !== key && /^[0-9a-f]{16}$/.test(name) && !cache.shared) {
      // Only in the package's own cache: a shared one may serve other installed versions.
      await rm(join(cache.dir, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
