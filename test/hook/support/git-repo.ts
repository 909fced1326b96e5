// A real git repository in a temp directory, with the project's CLI "installed" in it
// (node_modules/.bin/workplan runs this checkout's bin/workplan.js, which needs `npm run build`).
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = join(PROJECT_ROOT, 'bin', 'workplan.js');

/** Fails early and clearly when dist/ has not been built. */
export function assertBuilt(): void {
  if (!existsSync(join(PROJECT_ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('These tests run the built CLI: run `npm run build` first.');
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment for child processes: no inherited git or test-runner state, no database URL. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GIT_') || k.startsWith('VITEST') || k === 'DATABASE_URL' || k === 'NODE_ENV' || k === 'WORKPLAN_REPOSITORY_SLUG')
      continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export interface GitRepo {
  root: string;
  env: NodeJS.ProcessEnv;
  git(...args: string[]): Promise<RunResult>;
  /** Runs git and fails the test on a non-zero exit. */
  gitOk(...args: string[]): Promise<string>;
  workplan(...args: string[]): Promise<RunResult>;
  write(path: string, content: string | Uint8Array): Promise<void>;
  read(path: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function createGitRepo(options: { env?: NodeJS.ProcessEnv; installCli?: boolean } = {}): Promise<GitRepo> {
  const root = await mkdtemp(join(tmpdir(), 'wps-git-'));
  const env = childEnv({ WORKPLAN_REPOSITORY_SLUG: `hook-${root.slice(-6)}`, ...options.env });
  const repo: GitRepo = {
    root,
    env,
    git: (...args) => run('git', args, root, env),
    async gitOk(...args) {
      const r = await run('git', args, root, env);
      if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    workplan: (...args) => run(process.execPath, [CLI, ...args], root, env),
    async write(path, content) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    },
    read: (path) => readFile(join(root, path), 'utf8'),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
  await repo.gitOk('init', '-q', '-b', 'main');
  await repo.gitOk('config', 'user.name', 'Hook Test');
  await repo.gitOk('config', 'user.email', 'hook@example.com');
  await repo.gitOk('config', 'commit.gpgsign', 'false');
  await repo.write('.gitignore', 'node_modules/\n.workplan/\n');
  if (options.installCli ?? true) {
    await repo.write('node_modules/.bin/workplan', `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    await chmod(join(root, 'node_modules/.bin/workplan'), 0o755);
  }
  return repo;
}
