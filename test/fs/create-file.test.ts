// Creating a new plan file never replaces one, never leaves a temp file, and never writes outside the
// repository (shared/RELIABILITY.md, "Bad input and security").
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileExclusive } from '../../src/fs/create-file.js';
import { isSyncError } from '../../src/model/errors.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wps-create-'));
  dirs.push(dir);
  return dir;
};

describe('createFileExclusive', () => {
  it('creates the file (and its directory) with exactly the text, leaving no temp file', async () => {
    const root = await tempDir();
    await createFileExclusive(root, 'adr/0001-new.md', '# 1. New\n');
    expect(await readFile(path.join(root, 'adr/0001-new.md'), 'utf8')).toBe('# 1. New\n');
    expect(await readdir(path.join(root, 'adr'))).toEqual(['0001-new.md']);
  });

  it('never replaces an existing file: WRITE_CONFLICT, their bytes stay', async () => {
    const root = await tempDir();
    await writeFile(path.join(root, 'x.md'), 'theirs');
    const error = await createFileExclusive(root, 'x.md', 'ours').catch((e: unknown) => e);
    expect(isSyncError(error, 'WRITE_CONFLICT')).toBe(true);
    expect((error as Error).message).toBe('x.md already exists; nothing was written.');
    expect(await readFile(path.join(root, 'x.md'), 'utf8')).toBe('theirs');
    expect(await readdir(root)).toEqual(['x.md']);
  });

  it('one of two concurrent creations of the same file wins; the other conflicts', async () => {
    const root = await tempDir();
    const results = await Promise.allSettled([createFileExclusive(root, 'a.md', 'one'), createFileExclusive(root, 'a.md', 'two')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(['one', 'two']).toContain(await readFile(path.join(root, 'a.md'), 'utf8'));
    expect(await readdir(root)).toEqual(['a.md']);
  });

  it('refuses paths that leave the repository, also through a symlinked directory', async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await symlink(outside, path.join(root, 'adr'));
    for (const p of ['../escape.md', '/etc/x.md', 'adr/escape.md']) {
      const error = await createFileExclusive(root, p, 'x').catch((e: unknown) => e);
      expect(isSyncError(error, 'PATH_OUTSIDE_ROOT'), p).toBe(true);
    }
    expect(await readdir(outside)).toEqual([]);
  });
});
