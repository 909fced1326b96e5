// Commits exactly the given files and nothing else. Adapter: runs the `git` binary with execFile
// (never a shell), so paths with spaces, unicode or a leading dash are plain arguments after `--`.
//
// `git commit --only -- <paths>` commits the working-tree content of those paths on top of HEAD from a
// temporary index: anything else that is staged stays staged (and uncommitted), anything dirty stays
// dirty. Untracked paths are first recorded with `git add --intent-to-add` (commit --only refuses
// paths unknown to git). `--no-verify`: the repository's pre-commit hook (`workplan hook`) would wait
// for the mirror this process holds open; the files were validated and synced just before.
import { execFile } from 'node:child_process';

export interface CommitFilesOptions {
  /** Working directory inside the repository; `paths` are relative to it. */
  cwd: string;
  paths: readonly string[];
  message: string;
  /** Extra environment (tests set an author). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface CommitFilesResult {
  /** The new commit's id. */
  commit: string;
  paths: string[];
}

/** Thrown when git refuses or fails; the message carries git's own words. */
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/** Commits `paths` (and only them) with `message`; returns the new commit id. */
export async function commitFiles(options: CommitFilesOptions): Promise<CommitFilesResult> {
  const paths = [...new Set(options.paths)];
  if (paths.length === 0) throw new RangeError('commitFiles: no paths');
  const git = (args: string[]) => runGitChecked(options.cwd, args, options.env, options.timeoutMs);
  const tracked = new Set((await git(['ls-files', '-z', '--', ...paths])).split('\0').filter((p) => p !== ''));
  const untracked = paths.filter((p) => !tracked.has(p));
  if (untracked.length > 0) await git(['add', '--intent-to-add', '--', ...untracked]);
  await git(['commit', '--only', '--no-verify', '--quiet', '-m', options.message, '--', ...paths]);
  const commit = (await git(['rev-parse', '--verify', 'HEAD'])).trim();
  return { commit, paths };
}

function runGitChecked(cwd: string, args: string[], env: NodeJS.ProcessEnv | undefined, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        if (error) {
          const detail = String(stderr || error.message)
            .trim()
            .split('\n')
            .slice(0, 5)
            .join(' | ');
          reject(new GitCommandError(`git ${args[0]} failed: ${detail}`, args, String(stderr)));
        } else resolve(String(stdout));
      },
    );
  });
}
