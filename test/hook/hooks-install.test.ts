// `workplan hook install|uninstall`: respects core.hooksPath, chains an existing hook instead of
// overwriting it, is idempotent, and uninstall restores the original byte for byte.
import { chmod, lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHAINED_HOOK_NAME, HOOK_MARKER, installPreCommitHook, renderPreCommitHook, uninstallPreCommitHook } from '../../src/git/hooks.js';
import { isSyncError } from '../../src/model/errors.js';
import { createGitRepo, type GitRepo } from './support/git-repo.js';

describe('pre-commit hook installation', () => {
  const repos: GitRepo[] = [];
  const repo = async () => {
    const r = await createGitRepo({ installCli: false });
    repos.push(r);
    return r;
  };
  afterEach(async () => {
    await Promise.all(repos.splice(0).map((r) => r.dispose()));
  });

  it('installs an executable hook in .git/hooks; a second install changes nothing', async () => {
    const r = await repo();
    const first = await installPreCommitHook(r.root, r.env);
    const hook = join(r.root, '.git', 'hooks', 'pre-commit');
    expect(first).toEqual({ outcome: 'installed', hookPath: hook });
    expect(await readFile(hook, 'utf8')).toBe(renderPreCommitHook());
    expect((await stat(hook)).mode & 0o111).toBe(0o111);
    const mtime = (await stat(hook)).mtimeMs;
    expect((await installPreCommitHook(r.root, r.env)).outcome).toBe('already-installed');
    expect((await stat(hook)).mtimeMs).toBe(mtime);
  });

  it("the hook runs the installation that installed it (absolute node and script), else the project's own binary; never npx", () => {
    const script = renderPreCommitHook({ node: '/opt/node 20/bin/node', entry: "/home/o'neil/workplan/bin/workplan.js" });
    expect(script).toContain(`node='/opt/node 20/bin/node'`);
    expect(script).toContain(`workplan='/home/o'\\''neil/workplan/bin/workplan.js'`);
    expect(script).toContain('exec "$node" "$workplan" sync --staged');
    expect(script).toContain('./node_modules/.bin/workplan sync --staged');
    expect(script).not.toContain('npx');
    expect(script).toContain(HOOK_MARKER);
  });

  it('chains an existing hook (kept with its bytes and mode) and uninstall puts it back exactly', async () => {
    const r = await repo();
    const hook = join(r.root, '.git', 'hooks', 'pre-commit');
    const original = "#!/bin/sh\n# the team's own checks\nexit 0\n";
    await writeFile(hook, original);
    await chmod(hook, 0o750);
    const installed = await installPreCommitHook(r.root, r.env);
    expect(installed).toEqual({ outcome: 'installed', hookPath: hook, chainedPath: join(r.root, '.git', 'hooks', CHAINED_HOOK_NAME) });
    expect(await readFile(installed.chainedPath!, 'utf8')).toBe(original);
    expect((await stat(installed.chainedPath!)).mode & 0o777).toBe(0o750);
    expect(await readFile(hook, 'utf8')).toContain(HOOK_MARKER);
    expect((await installPreCommitHook(r.root, r.env)).outcome).toBe('already-installed'); // still chained once

    expect(await uninstallPreCommitHook(r.root, r.env)).toEqual({ outcome: 'removed', hookPath: hook, restored: hook });
    expect(await readFile(hook, 'utf8')).toBe(original);
    expect((await stat(hook)).mode & 0o777).toBe(0o750);
    await expect(lstat(installed.chainedPath!)).rejects.toThrow();
  });

  it('keeps a symlinked hook a symlink', async () => {
    const r = await repo();
    const hook = join(r.root, '.git', 'hooks', 'pre-commit');
    await writeFile(join(r.root, 'team-hook.sh'), '#!/bin/sh\nexit 0\n');
    await symlink('../../team-hook.sh', hook);
    await installPreCommitHook(r.root, r.env);
    await uninstallPreCommitHook(r.root, r.env);
    expect(await readlink(hook)).toBe('../../team-hook.sh');
  });

  it('respects core.hooksPath (relative to the working tree)', async () => {
    const r = await repo();
    await r.gitOk('config', 'core.hooksPath', '.githooks');
    const result = await installPreCommitHook(r.root, r.env);
    expect(result.hookPath).toBe(join(r.root, '.githooks', 'pre-commit'));
    await expect(lstat(join(r.root, '.git', 'hooks', 'pre-commit'))).rejects.toThrow();
    expect((await uninstallPreCommitHook(r.root, r.env)).outcome).toBe('removed');
    await expect(lstat(result.hookPath)).rejects.toThrow();
  });

  it('chains an existing hook in core.hooksPath too', async () => {
    const r = await repo();
    await r.gitOk('config', 'core.hooksPath', '.githooks');
    await mkdir(join(r.root, '.githooks'));
    await writeFile(join(r.root, '.githooks', 'pre-commit'), '#!/bin/sh\necho team\n', { mode: 0o755 });
    const result = await installPreCommitHook(r.root, r.env);
    expect(result.chainedPath).toBe(join(r.root, '.githooks', CHAINED_HOOK_NAME));
    await uninstallPreCommitHook(r.root, r.env);
    expect(await readFile(join(r.root, '.githooks', 'pre-commit'), 'utf8')).toBe('#!/bin/sh\necho team\n');
  });

  it('never overwrites: a foreign hook next to a leftover chained one is refused, both untouched', async () => {
    const r = await repo();
    const dir = join(r.root, '.git', 'hooks');
    await writeFile(join(dir, 'pre-commit'), 'foreign\n', { mode: 0o755 });
    await writeFile(join(dir, CHAINED_HOOK_NAME), 'older\n', { mode: 0o755 });
    const error = await installPreCommitHook(r.root, r.env).catch((e: unknown) => e);
    expect(isSyncError(error, 'INVALID_INPUT')).toBe(true);
    expect(await readFile(join(dir, 'pre-commit'), 'utf8')).toBe('foreign\n');
    expect(await readFile(join(dir, CHAINED_HOOK_NAME), 'utf8')).toBe('older\n');
  });

  it("uninstall leaves someone else's hook alone", async () => {
    const r = await repo();
    const hook = join(r.root, '.git', 'hooks', 'pre-commit');
    await writeFile(hook, 'theirs\n', { mode: 0o755 });
    expect((await uninstallPreCommitHook(r.root, r.env)).outcome).toBe('not-installed');
    expect(await readFile(hook, 'utf8')).toBe('theirs\n');
  });
});
