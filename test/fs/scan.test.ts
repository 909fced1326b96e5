import type { Dirent } from 'node:fs';
import { chmod, mkdir, readdir, symlink } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listMarkdownFiles } from '../../src/fs/scan.js';
import { createTempRepo, type TempRepo } from './support/temp-repo.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await chmod(repo.abs('workplans/locked'), 0o755).catch(() => undefined);
  await repo.remove();
});

const isRoot = process.getuid?.() === 0;

describe('listMarkdownFiles', () => {
  it('lists .md files recursively as sorted repository-relative POSIX paths', async () => {
    await repo.write('workplans/b.md', '');
    await repo.write('workplans/a.md', '');
    await repo.write('workplans/sub/Z.md', '');
    await repo.write('workplans/sub/c.md', '');
    await repo.write('workplans/notes.txt', '');
    await repo.write('workplans/a.md.bak', '');
    await repo.write('workplans/é.md', '');
    expect(await listMarkdownFiles(repo.root, ['workplans'])).toEqual({
      files: ['workplans/a.md', 'workplans/b.md', 'workplans/sub/Z.md', 'workplans/sub/c.md', 'workplans/é.md'],
      problems: [],
      leftoverDirs: [],
    });
  });

  it('skips dot-directories, dot-files (editor and write-back leftovers) and node_modules', async () => {
    await repo.write('workplans/.git/x.md', '');
    await repo.write('workplans/.hidden/x.md', '');
    await repo.write('workplans/.a.md.123.abc.tmp', '');
    await repo.write('workplans/.draft.md', '');
    await repo.write('workplans/node_modules/pkg/readme.md', '');
    await repo.write('workplans/ok.md', '');
    expect((await listMarkdownFiles(repo.root, ['workplans'])).files).toEqual(['workplans/ok.md']);
  });

  it('reports the directories holding write-back temp or lock files, for the sync to sweep', async () => {
    await repo.write('workplans/ok.md', '');
    await repo.write('workplans/sub/.a.md.123.abc.tmp', '');
    await repo.write('workplans/deep/er/.b.md.lock', '{}');
    await repo.write('workplans/other/.draft.md', '');
    await repo.write('workplans/other/.swp.tmp', '');
    await repo.write('workplans/.hidden/.c.md.lock', '{}');
    expect((await listMarkdownFiles(repo.root, ['workplans'])).leftoverDirs).toEqual(['workplans/deep/er', 'workplans/sub']);
    expect((await listMarkdownFiles(repo.root, ['.'])).leftoverDirs).toEqual(['workplans/deep/er', 'workplans/sub']);
  });

  it('treats a missing root directory as empty, not as a problem', async () => {
    expect(await listMarkdownFiles(repo.root, ['workplans', 'adr'])).toEqual({ files: [], problems: [], leftoverDirs: [] });
  });

  it('deduplicates overlapping roots and lists the whole repository for `.`', async () => {
    await repo.write('workplans/a.md', '');
    await repo.write('README.md', '');
    expect((await listMarkdownFiles(repo.root, ['workplans', 'workplans/', '.'])).files).toEqual(['README.md', 'workplans/a.md']);
  });

  it('reports an unreadable directory as a problem instead of an empty listing', async () => {
    await repo.write('workplans/a.md', '');
    await repo.write('workplans/broken/b.md', '');
    const failing = async (dir: string): Promise<Dirent[]> => {
      if (dir.endsWith('broken')) throw Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES' });
      return readdir(dir, { withFileTypes: true });
    };
    const result = await listMarkdownFiles(repo.root, ['workplans'], { readdir: failing });
    expect(result.files).toEqual(['workplans/a.md']);
    expect(result.problems).toEqual([{ path: 'workplans/broken', error: expect.stringContaining('EACCES'), kind: 'unreadable' }]);
  });

  it.skipIf(isRoot)('reports a directory without read permission (real chmod) as a problem', async () => {
    await repo.write('workplans/locked/x.md', '');
    await chmod(repo.abs('workplans/locked'), 0o000);
    const result = await listMarkdownFiles(repo.root, ['workplans']);
    expect(result.problems.map((p) => p.path)).toEqual(['workplans/locked']);
  });

  it('never follows a symlinked directory, inside or outside the root', async () => {
    const outside = await createTempRepo('wps-outside-');
    try {
      await outside.write('x.md', '');
      await repo.write('workplans/real/a.md', '');
      await symlink(outside.root, repo.abs('workplans/out'));
      await symlink(repo.abs('workplans/real'), repo.abs('workplans/loop'));
      expect(await listMarkdownFiles(repo.root, ['workplans'])).toEqual({ files: ['workplans/real/a.md'], problems: [], leftoverDirs: [] });
    } finally {
      await outside.remove();
    }
  });

  it('lists a symlinked .md file that stays inside the root; reports one leading outside or nowhere', async () => {
    const outside = await createTempRepo('wps-outside-');
    try {
      await outside.write('x.md', '');
      await repo.write('workplans/a.md', '');
      await symlink('a.md', repo.abs('workplans/alias.md'));
      await symlink(outside.abs('x.md'), repo.abs('workplans/escape.md'));
      await symlink('missing.md', repo.abs('workplans/dangling.md'));
      const result = await listMarkdownFiles(repo.root, ['workplans']);
      expect(result.files).toEqual(['workplans/a.md', 'workplans/alias.md']);
      expect(result.problems.map((p) => p.path).sort()).toEqual(['workplans/dangling.md', 'workplans/escape.md']);
    } finally {
      await outside.remove();
    }
  });

  it('follows a configured root that is a symlink to a directory inside the repository, listing it by its configured name', async () => {
    await repo.write('docs/plans/a.md', '');
    await symlink('docs/plans', repo.abs('workplans'));
    expect((await listMarkdownFiles(repo.root, ['workplans'])).files).toEqual(['workplans/a.md']);
  });

  it('reports a configured root that escapes, is a file, or is a dangling symlink', async () => {
    const outside = await createTempRepo('wps-outside-');
    try {
      await symlink(outside.root, repo.abs('out'));
      await repo.write('file', '');
      await symlink('nowhere', repo.abs('dangling'));
      const result = await listMarkdownFiles(repo.root, ['out', 'file', 'dangling', '../x']);
      expect(result.files).toEqual([]);
      expect(result.problems.map((p) => p.path)).toEqual(['out', 'file', 'dangling', '../x']);
    } finally {
      await outside.remove();
    }
  });

  it("lists a `.md` directory's contents, not the directory", async () => {
    await mkdir(repo.abs('workplans/odd.md'), { recursive: true });
    await repo.write('workplans/odd.md/x.md', '');
    expect((await listMarkdownFiles(repo.root, ['workplans'])).files).toEqual(['workplans/odd.md/x.md']);
  });
});
