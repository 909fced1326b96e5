// Creates a new embedded data directory (PGlite's initdb) in a child process, or copies a migrated
// template (embedded-template.ts), next to the target under a temporary name, then renames it into
// place. Adapter (node:child_process, node:fs).
// - Memory: the PGlite instance that ran initdb keeps initdb's WebAssembly memory (~450 MB) for as
//   long as it lives, and dropping it frees nothing until V8 happens to collect it. In a child, it
//   is gone when the child exits: a `workplan watch` started on a fresh clone does not sit at 700 MB.
// - Whole or absent: a process killed during initdb leaves only its temporary directory (removed by
//   the next creator once its pid is dead), never a half-made data directory at the real name.
// The caller holds the embedded lock of `dataDir`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { constants } from 'node:fs';
import { cp, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from '../fs/process-liveness.js';
import { restrictEmbeddedDirModes } from './embedded-dir-guard.js';

const CREATING = '.creating-';
/** initdb takes 2–3 s; a child still running after this is stuck (it is killed and the open fails). */
const CREATE_TIMEOUT_MS = 120_000;

// The child: PGlite's CommonJS build, started on the temporary directory, closed. Inputs in the environment.
const CHILD_SCRIPT = `
const { PGlite } = require(process.env.WPS_PGLITE_PATH);
(async () => {
  const db = new PGlite(process.env.WPS_DATA_DIR, { startParams: JSON.parse(process.env.WPS_START_PARAMS) });
  await db.waitReady;
  await db.close();
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
`;

/** True when `dataDir` is missing or an empty directory (nothing of the user's to keep). */
export async function isNewDataDir(dataDir: string): Promise<boolean> {
  try {
    return (await readdir(dataDir)).length === 0;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** Creates `dataDir` as a new, initialised PGlite data directory started with `startParams`. */
export async function createEmbeddedDataDir(dataDir: string, startParams: readonly string[], timeoutMs = CREATE_TIMEOUT_MS): Promise<void> {
  await makeDataDirWhole(dataDir, (temp) => runChild(temp, startParams, timeoutMs));
}

/**
 * Creates `dataDir` as a copy of the data directory `template` (embedded-template.ts). Copy-on-write
 * where the file system offers it; the copy is private like a created one.
 */
export async function copyEmbeddedDataDir(template: string, dataDir: string): Promise<void> {
  await makeDataDirWhole(dataDir, (temp) =>
    cp(template, temp, { recursive: true, mode: constants.COPYFILE_FICLONE, errorOnExist: true, force: false }),
  );
}

/** Fills a temporary sibling of `dataDir`, makes it private, renames it into place; removes it on failure. */
async function makeDataDirWhole(dataDir: string, fill: (temp: string) => Promise<void>): Promise<void> {
  await removeAbandonedAttempts(dataDir);
  const temp = `${dataDir}${CREATING}${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fill(temp);
    await restrictEmbeddedDirModes(temp, { all: true });
    await rmdir(dataDir).catch(() => undefined); // an empty directory in the way (a rename onto it fails elsewhere than Linux)
    await rename(temp, dataDir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

/** Temporary directories of creators that died (their pid is gone). */
async function removeAbandonedAttempts(dataDir: string): Promise<void> {
  const prefix = `${basename(dataDir)}${CREATING}`;
  let names: string[];
  try {
    names = await readdir(dirname(dataDir));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    // Its initdb child may still be writing there (it outlives a killed parent for a moment): a
    // removal that fails is retried by the next creator.
    if (pid !== process.pid && !isProcessAlive(pid))
      await rm(join(dirname(dataDir), name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function runChild(dir: string, startParams: readonly string[], timeoutMs: number): Promise<void> {
  const pglitePath = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return new Promise((resolve, reject) => {
    // Baseline WebAssembly compiles only: initdb runs once, and the optimising tier costs it ~0.4 s.
    const child = spawn(process.execPath, ['--liftoff-only', '-e', CHILD_SCRIPT], {
      env: { ...process.env, WPS_PGLITE_PATH: pglitePath, WPS_DATA_DIR: dir, WPS_START_PARAMS: JSON.stringify(startParams) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const why = timedOut ? `still running after ${timeoutMs} ms` : (signal ?? `exit code ${code}`);
      reject(new Error(`Creating the embedded store ${dir} failed (${why}): ${stderr.trim() || 'no message'}`));
    });
  });
}
