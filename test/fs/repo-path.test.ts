import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSyncError } from '../../src/model/errors.js';
import { isPathInside, normaliseRepoPath, resolveInsideRoot } from '../../src/fs/repo-path.js';
import { createTempRepo, type TempRepo } from './support/temp-repo.js';

let repo: TempRepo;
let outside: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
  outside = await createTempRepo('wps-outside-');
  await outside.write('secret.md', 'secret');
  await repo.write('workplans/a.md', 'a');
});
afterEach(async () => {
  await repo.remove();
  await outside.remove();
});

async function expectOutside(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toSatisfy((error: unknown) => isSyncError(error, 'PATH_OUTSIDE_ROOT'));
}

describe('resolveInsideRoot', () => {
  it('resolves a plain relative path', async () => {
    const resolved = await resolveInsideRoot(repo.root, 'workplans/a.md');
    expect(resolved.relPath).toBe('workplans/a.md');
    expect(resolved.exists).toBe(true);
    expect(resolved.realPath.endsWith(path.join('workplans', 'a.md'))).toBe(true);
  });

  it('normalises `.` and inner `..` that stay inside', async () => {
    const resolved = await resolveInsideRoot(repo.root, './workplans/x/../a.md');
    expect(resolved.relPath).toBe('workplans/a.md');
  });

  it('refuses absolute paths', async () => {
    await expectOutside(resolveInsideRoot(repo.root, outside.abs('secret.md')));
    await expectOutside(resolveInsideRoot(repo.root, '/etc/passwd'));
  });

  it('refuses `..` escapes', async () => {
    await expectOutside(resolveInsideRoot(repo.root, '../x.md'));
    await expectOutside(resolveInsideRoot(repo.root, 'workplans/../../x.md'));
    await expectOutside(resolveInsideRoot(repo.root, '..'));
  });

  it('refuses empty paths and NUL bytes', async () => {
    await expectOutside(resolveInsideRoot(repo.root, ''));
    await expectOutside(resolveInsideRoot(repo.root, 'a\0.md'));
  });

  it('refuses a symlinked file pointing outside the root', async () => {
    await symlink(outside.abs('secret.md'), repo.abs('workplans/link.md'));
    await expectOutside(resolveInsideRoot(repo.root, 'workplans/link.md'));
  });

  it('refuses a path through a symlinked parent directory pointing outside', async () => {
    await symlink(outside.root, repo.abs('workplans/out'));
    await expectOutside(resolveInsideRoot(repo.root, 'workplans/out/secret.md'));
    await expectOutside(resolveInsideRoot(repo.root, 'workplans/out/new.md'));
  });

  it('refuses a dangling symlink (writing through it would create its unchecked target)', async () => {
    await symlink(outside.abs('missing.md'), repo.abs('workplans/dangling.md'));
    await expectOutside(resolveInsideRoot(repo.root, 'workplans/dangling.md'));
  });

  it('accepts a symlink that stays inside the root, resolving it to the real file', async () => {
    await symlink('a.md', repo.abs('workplans/alias.md'));
    const resolved = await resolveInsideRoot(repo.root, 'workplans/alias.md');
    expect(resolved.realPath).toBe(await resolveInsideRoot(repo.root, 'workplans/a.md').then((r) => r.realPath));
    expect(resolved.lexicalPath.endsWith('alias.md')).toBe(true);
  });

  it('accepts a missing file in an existing or missing directory inside the root', async () => {
    expect((await resolveInsideRoot(repo.root, 'workplans/new.md')).exists).toBe(false);
    expect((await resolveInsideRoot(repo.root, 'nope/deeper/new.md')).exists).toBe(false);
  });

  it('works when the root itself is reached through a symlink', async () => {
    const linkRoot = outside.abs('repo-link');
    await symlink(repo.root, linkRoot);
    const resolved = await resolveInsideRoot(linkRoot, 'workplans/a.md');
    expect(resolved.exists).toBe(true);
  });

  it('says that nothing was read or written', async () => {
    await expect(resolveInsideRoot(repo.root, '../x.md')).rejects.toThrow(/Nothing was read or written/);
  });
});

describe('path helpers', () => {
  it('isPathInside treats `..foo` as inside and `..` as outside', () => {
    expect(isPathInside('/r', '/r/..foo')).toBe(true);
    expect(isPathInside('/r', '/r')).toBe(true);
    expect(isPathInside('/r', '/')).toBe(false);
    expect(isPathInside('/r', '/rx/a')).toBe(false);
  });

  it('normaliseRepoPath keeps a backslash as a file-name character on POSIX', () => {
    if (path.sep === '/') expect(normaliseRepoPath('..\\x.md')).toBe('..\\x.md');
    expect(normaliseRepoPath('a//b/./c.md')).toBe('a/b/c.md');
    expect(normaliseRepoPath('.')).toBe('');
  });
});
