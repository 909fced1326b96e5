// The embedded store stays inside the repository, never moves into someone else's folder, and is
// private to its owner (issue 14, point 2).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store.js';
import { isSyncError } from '../../src/model/errors.js';
import { resolveConfig } from '../../src/parse/config.js';
import { copyEmptyPGliteDir } from '../support/databases.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'wps-embedded-guard-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

const configErrors = (embeddedDir: string) =>
  resolveConfig({ configJson: { path: 'workplan.config.json', text: JSON.stringify({ database: { embeddedDir } }) } }).diagnostics.filter(
    (d) => d.severity === 'error',
  );

/** Every entry under `dir` whose mode lets group or others in. */
async function openToOthers(dir: string): Promise<string[]> {
  const out: string[] = [];
  if (((await stat(dir)).mode & 0o077) !== 0) out.push('.');
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && ((await stat(path)).mode & 0o022) !== 0) out.push(path);
  }
  return out;
}

describe('database.embeddedDir in the configuration', () => {
  it.each(['/var/tmp/mirror', '../sibling/db', 'a/../../db', 'C:\\\\db', '.', './'])(
    'refuses %j like roots.* refuse a path leaving the repository',
    (dir) => {
      const errors = configErrors(dir);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ ruleId: 'config-invalid', path: 'workplan.config.json' });
      expect(errors[0]!.message).toMatch(/database\.embeddedDir/);
    },
  );

  it.each(['.workplan/db', 'var/mirror', '.cache/workplan-db'])('accepts %j', (dir) => {
    expect(configErrors(dir)).toEqual([]);
  });
});

describe('opening the embedded store', () => {
  it('refuses a data directory that a symlink carries out of the repository, and creates nothing there', async () => {
    const root = join(scratch, 'repo-symlink');
    const outside = join(scratch, 'outside');
    await mkdir(root, { recursive: true });
    await mkdir(outside, { recursive: true });
    await symlink(outside, join(root, '.workplan'));
    const error = await openStore({ embeddedDir: join(root, '.workplan', 'db'), root }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSyncError(error, 'PATH_OUTSIDE_ROOT')).toBe(true);
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses an existing folder that holds anything but a store, and leaves it as it was', async () => {
    const root = join(scratch, 'repo-foreign');
    const dir = join(root, 'notes');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'plan.md'), 'mine');
    const error = await openStore({ embeddedDir: dir, root }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSyncError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toMatch(/not an embedded store \(no PG_VERSION\)/);
    expect(await readdir(dir)).toEqual(['plan.md']);
    expect(await readFile(join(dir, 'plan.md'), 'utf8')).toBe('mine');
    expect(existsSync(join(root, 'notes.lock'))).toBe(false);
  });

  it('a new store is private: the directory 0700, its files 0600 (none group- or world-writable)', async () => {
    const root = join(scratch, 'repo-new');
    await mkdir(root, { recursive: true });
    const store = await openStore({ embeddedDir: join(root, '.workplan', 'db'), root });
    await store.close();
    expect((await stat(join(root, '.workplan', 'db'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(root, '.workplan', 'db', 'PG_VERSION'))).mode & 0o777).toBe(0o600);
    expect(await openToOthers(join(root, '.workplan', 'db'))).toEqual([]);
  }, 120_000);

  it('a store made before this rule (files 0666) is made private when it is next opened', async () => {
    const root = join(scratch, 'repo-old');
    const dir = join(root, '.workplan', 'db');
    await copyEmptyPGliteDir(dir);
    expect((await openToOthers(dir)).length).toBeGreaterThan(0);
    const store = await openStore({ embeddedDir: dir, root });
    await store.close();
    expect(await openToOthers(dir)).toEqual([]);
  }, 120_000);
});
