import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStateDir } from '../../src/fs/state-dir.js';

describe('the .workplan state directory', () => {
  it('ignores itself in git, so a repository never shows or commits the embedded store', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wps-state-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: root });
      const dir = await ensureStateDir(root);
      await mkdir(join(dir, 'db'), { recursive: true });
      await writeFile(join(dir, 'db', 'PG_VERSION'), '17\n');
      await writeFile(join(root, 'tracked.md'), 'x\n');
      const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root }).toString();
      expect(status.trim()).toBe('?? tracked.md');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('leaves an existing .gitignore alone', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wps-state-'));
    try {
      await mkdir(join(root, '.workplan'));
      await writeFile(join(root, '.workplan', '.gitignore'), 'db/\n');
      await ensureStateDir(root);
      expect(await readFile(join(root, '.workplan', '.gitignore'), 'utf8')).toBe('db/\n');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
