// A new embedded data directory is made by initdb in a child process and renamed into place: the
// process that opens the store never holds initdb's memory, and a failed or killed creation leaves
// no half-made data directory at the real name.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDataDir, isNewDataDir } from '../../src/db/create-embedded-dir.js';
import { EMBEDDED_SHARED_BUFFERS } from '../../src/db/store.js';
import { deadPid } from '../support/processes.js';
import { startHolder } from './children/spawn-child.js';

// As the store starts it (store.ts).
const START = [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`];

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'wps-create-dir-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('createEmbeddedDataDir', () => {
  it('opening a fresh store leaves no initdb memory in the opening process', async () => {
    const dir = join(scratch, 'fresh', 'db');
    const child = await startHolder(['open-report-memory', dir]);
    expect(await child.exited).toBe(0);
    const { externalMb } = JSON.parse(
      child
        .output()
        .split('\n')
        .find((l) => l.startsWith('{'))!,
    ) as { externalMb: number };
    // The running store's WebAssembly memory is ~150 MB; initdb's, when it ran in this process, ~700 MB.
    expect(externalMb).toBeLessThan(350);
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    expect((await readdir(join(scratch, 'fresh'))).filter((n) => n.includes('.creating-'))).toEqual([]);
  }, 120_000);

  it('replaces an empty directory, and removes the attempts of dead creators but not of live ones', async () => {
    const parent = join(scratch, 'attempts');
    const dir = join(parent, 'db');
    await mkdir(dir, { recursive: true });
    const dead = `db.creating-${deadPid()}-0a0a0a0a`;
    const live = `db.creating-${process.ppid}-0b0b0b0b`;
    for (const name of [dead, live]) {
      await mkdir(join(parent, name));
      await writeFile(join(parent, name, 'PG_VERSION'), '17');
    }
    expect(await isNewDataDir(dir)).toBe(true);
    await createEmbeddedDataDir(dir, START);
    expect(await isNewDataDir(dir)).toBe(false);
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    expect((await readdir(parent)).sort()).toEqual(['db', live]);
  }, 120_000);

  it('leaves nothing at the real name when initdb fails, and says so', async () => {
    const parent = join(scratch, 'failing');
    const dir = join(parent, 'db');
    await mkdir(parent, { recursive: true });
    await expect(createEmbeddedDataDir(dir, [...START, '-c', 'shared_buffers=nonsense'])).rejects.toThrow(
      /Creating the embedded store .* failed \(exit code 1\)/,
    );
    expect(await readdir(parent)).toEqual([]);
  }, 120_000);

  it('kills an initdb that does not finish, and fails the open', async () => {
    const parent = join(scratch, 'stuck');
    const dir = join(parent, 'db');
    await mkdir(parent, { recursive: true });
    // Postgres in single-user mode without PGlite's own flags waits for input that never comes.
    await expect(createEmbeddedDataDir(dir, ['--single'], 5_000)).rejects.toThrow(/failed \(still running after 5000 ms\)/);
    expect(await readdir(parent)).toEqual([]);
  }, 120_000);

  it("treats a directory with anything in it as existing (nothing of the user's is replaced)", async () => {
    const dir = join(scratch, 'kept', 'db');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'notes.txt'), 'mine');
    expect(await isNewDataDir(dir)).toBe(false);
    expect(await isNewDataDir(join(scratch, 'kept', 'missing'))).toBe(true);
  });
});
