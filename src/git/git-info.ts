// Facts about the git repository a root belongs to. Adapter: runs the `git` binary; a root that is
// not a git repository (or a machine without git) simply has no facts.
import { execFile } from 'node:child_process';
import { basename } from 'node:path';

export interface GitInfo {
  remoteUrl?: string;
  headCommit?: string;
}

/** Runs git with arguments (never through a shell) and returns trimmed stdout, or undefined on failure. */
export function runGit(cwd: string, args: string[], timeoutMs = 5_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim());
    });
  });
}

export async function readGitInfo(root: string): Promise<GitInfo> {
  const [remote, head] = await Promise.all([
    runGit(root, ['config', '--get', 'remote.origin.url']),
    runGit(root, ['rev-parse', '--verify', '-q', 'HEAD']),
  ]);
  return {
    ...(remote ? { remoteUrl: stripCredentials(remote) } : {}),
    ...(head ? { headCommit: head } : {}),
  };
}

/** Removes `user:password@` from a URL-shaped remote, so tokens never reach the mirror or the output. */
export function stripCredentials(remote: string): string {
  return remote.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

/** A stable slug for the repository: `owner/name` from the remote, else the folder name. */
export function deriveRepositorySlug(root: string, remoteUrl?: string): string {
  if (remoteUrl) {
    const m = /[:/]([^/:]+\/[^/]+?)(?:\.git)?\/?$/.exec(remoteUrl);
    if (m?.[1]) return m[1];
  }
  return basename(root);
}
