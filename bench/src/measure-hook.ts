// The pre-commit hook as a developer meets it: the corpus (already synced) becomes a git repository,
// `workplan hook install` installs the hook, and `git commit` of one staged file is timed from spawn
// to exit — git, Node start-up, store open and the staged sync included. The same commit with
// --no-verify is timed too, so the hook's own share is visible.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { envFor, openBenchStore, type BenchMirror } from './bench-stores.js';
import { flipTaskStatus, type FlipTarget } from './flip-task-status.js';
import { runProcess, type ProcessRun } from './run-process.js';
import { median } from './stats.js';
import type { WorkplanConfig } from '#lib/model/config.js';

export interface HookResult {
  samples: number[];
  median: number;
  /** The same commit without the hook (git's own cost). */
  noVerifyMedian: number;
  /** Commits after which the mirror did not hold the committed status (the hook let the commit through without syncing). */
  notSynced: string[];
  /** What the hook printed on the last commit. */
  output: string;
}

const BIN = fileURLToPath(new URL('../../bin/workplan.js', import.meta.url));

/** Measures; throws `HookUnavailable` when this build has no `workplan hook install`. */
export async function measureHook(options: {
  root: string;
  mirror: BenchMirror;
  target: FlipTarget;
  config: WorkplanConfig;
  repetitions: number;
  /** Stop repeating once the hooked commits took this long in total (at least one is always run). */
  budgetMs?: number;
}): Promise<HookResult> {
  const { root } = options;
  // Installed as npm installs a dependency's bin: node_modules/.bin/workplan → the package's bin script,
  // which the hook runs directly. npm is kept offline, so a hook falling back to npx never downloads.
  const binDir = join(root, 'node_modules', '.bin');
  await mkdir(binDir, { recursive: true });
  await symlink(BIN, join(binDir, 'workplan'));
  const env: NodeJS.ProcessEnv = {
    ...envFor(options.mirror, process.env),
    npm_config_offline: 'true',
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.invalid',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.invalid',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = async (args: string[]): Promise<ProcessRun> => {
    const run = await runProcess('git', args, { cwd: root, env, timeoutMs: 120_000 });
    if (run.code !== 0) throw new Error(`git ${args.join(' ')} exited ${run.code}: ${run.stderr.trim().slice(0, 500)}`);
    return run;
  };

  await writeFile(join(root, '.gitignore'), '.workplan/\nnode_modules/\n');
  await git(['init', '-q']);
  await git(['add', '-A']);
  await git(['commit', '-q', '--no-verify', '-m', 'corpus']);

  const install = await runProcess(process.execPath, [BIN, 'hook', 'install', '--root', root], { cwd: root, env, timeoutMs: 60_000 });
  if (install.code !== 0) {
    throw new HookUnavailable(
      `workplan hook install exited ${install.code}: ${(install.stderr || install.stdout).trim().split('\n')[0] ?? ''}`,
    );
  }

  const samples: number[] = [];
  const noVerify: number[] = [];
  const notSynced: string[] = [];
  let output = '';
  const budgetMs = options.budgetMs ?? 20_000;
  for (let i = 0; i < options.repetitions && (i === 0 || samples.reduce((a, b) => a + b, 0) < budgetMs); i++) {
    await flipTaskStatus(root, options.target, options.config);
    await git(['add', options.target.path]);
    noVerify.push((await git(['commit', '-q', '--no-verify', '-m', `bench ${i} (no hook)`])).wallMs);
    const { updated } = await flipTaskStatus(root, options.target, options.config);
    await git(['add', options.target.path]);
    const run = await runProcess('git', ['commit', '-q', '-m', `bench ${i}`], { cwd: root, env, timeoutMs: 120_000 });
    if (run.code !== 0) throw new Error(`git commit with the hook exited ${run.code}: ${(run.stderr || run.stdout).trim().slice(0, 800)}`);
    samples.push(run.wallMs);
    output = `${run.stdout}${run.stderr}`.trim().slice(0, 600);
    // Each edit writes a never-seen `updated` date: the mirror holds it only if this commit was synced.
    const held = await readMirrorUpdatedOn(options.mirror, options.target.path);
    if (held !== updated) notSynced.push(`commit ${i + 1}: the mirror's updated_on is ${held ?? 'missing'}, the commit's is ${updated}`);
  }
  return { samples, median: median(samples), noVerifyMedian: median(noVerify), notSynced, output };
}

export class HookUnavailable extends Error {}

/** The workstream's `updated_on` in the mirror (the benchmark's repository), read after the hook's process ended. */
async function readMirrorUpdatedOn(mirror: BenchMirror, filePath: string): Promise<string | undefined> {
  const store = await openBenchStore(mirror);
  try {
    const rows = await store.prisma.$queryRawUnsafe<Array<{ updated_on: string | null }>>(
      `SELECT w.updated_on FROM workstreams w JOIN repositories r ON r.id = w.repository_id
        WHERE r.slug = $1 AND w.file_path = $2 AND w.removed_at IS NULL`,
      process.env.WORKPLAN_REPOSITORY_SLUG ?? '',
      filePath,
    );
    return rows[0]?.updated_on ?? undefined;
  } finally {
    await store.close();
  }
}
