// What is staged for the next commit, read from the git index. Adapter: runs the `git` binary with
// execFile (never a shell), NUL-separated output (-z) and literal pathspecs after `--`, so paths with
// spaces, unicode, newlines or a leading dash are plain data.
//
// The index is whatever GIT_INDEX_FILE names in `env`: git points it at a temporary index under
// `git commit -a` and `git commit <path>`, and the hook must judge (and stage into) that one. Never
// sets or overrides it.
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { SyncError } from '../model/errors.js';

export interface GitRunOptions {
  env?: NodeJS.ProcessEnv;
  input?: Buffer | string;
  timeoutMs?: number;
}

/** Runs git and returns its stdout bytes; a failure is an INTERNAL SyncError carrying git's stderr. */
export function runGitBytes(cwd: string, args: string[], options: GitRunOptions = {}): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd,
        env: options.env ?? process.env,
        encoding: 'buffer',
        maxBuffer: 512 * 1024 * 1024,
        timeout: options.timeoutMs ?? 30_000,
        killSignal: 'SIGTERM',
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = Buffer.isBuffer(stderr) ? stderr.toString('utf8').trim() : String(stderr ?? '');
          reject(
            new SyncError('INTERNAL', `git ${args.find((a) => !a.startsWith('-')) ?? ''} failed: ${detail || error.message}`, {
              cause: error,
            }),
          );
          return;
        }
        resolvePromise(stdout as Buffer);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export type StagedStatus = 'A' | 'M' | 'D' | 'T' | 'U' | 'X';

export interface StagedChange {
  status: StagedStatus;
  /** Repository-relative POSIX path. */
  path: string;
}

/**
 * Every path whose staged content differs from HEAD (or, before the first commit, every staged path).
 * Renames come as a delete plus an add (`--no-renames`): the sync matches a moved workplan by its ids.
 */
export async function readStagedChanges(root: string, env: NodeJS.ProcessEnv): Promise<StagedChange[]> {
  const out = await runGitBytes(root, ['diff', '--cached', '--name-status', '-z', '--no-renames', '--no-ext-diff', '--ignore-submodules'], {
    env,
  });
  const fields = splitNul(out);
  const changes: StagedChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const status = fields[i]!.charAt(0) as StagedStatus;
    changes.push({ status, path: fields[i + 1]! });
  }
  return changes;
}

export interface IndexEntry {
  path: string;
  /** e.g. "100644"; "120000" is a symlink, "160000" a submodule. */
  mode: string;
  /** The blob's object id. */
  oid: string;
  /** 0 normally; 1-3 for an unmerged path. */
  stage: number;
}

/** The index entries under `pathspecs` (literal, e.g. the configured roots); every entry when empty. */
export async function readIndexEntries(root: string, env: NodeJS.ProcessEnv, pathspecs: readonly string[] = []): Promise<IndexEntry[]> {
  const out = await runGitBytes(root, ['--literal-pathspecs', 'ls-files', '--stage', '-z', '--', ...pathspecs], { env });
  const entries: IndexEntry[] = [];
  for (const field of splitNul(out)) {
    const tab = field.indexOf('\t');
    if (tab < 0) continue;
    const [mode, oid, stage] = field.slice(0, tab).split(' ');
    if (!mode || !oid || stage === undefined) continue;
    entries.push({ path: field.slice(tab + 1), mode, oid, stage: Number(stage) });
  }
  return entries;
}

/** The contents of blobs by object id, in one `git cat-file --batch`. */
export async function readBlobs(root: string, env: NodeJS.ProcessEnv, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  const blobs = new Map<string, Buffer>();
  if (unique.length === 0) return blobs;
  const out = await runGitBytes(root, ['cat-file', '--batch'], { env, input: `${unique.join('\n')}\n` });
  let offset = 0;
  while (offset < out.length) {
    const newline = out.indexOf(10, offset);
    if (newline < 0) break;
    const header = out.subarray(offset, newline).toString('utf8');
    offset = newline + 1;
    const [oid, type, size] = header.split(' ');
    if (type === 'missing' || !oid || size === undefined) continue;
    const length = Number(size);
    blobs.set(oid, out.subarray(offset, offset + length));
    offset += length + 1; // content, then a newline
  }
  return blobs;
}

/** Which of `paths` have working-tree changes not in the index (`git diff` between index and working tree). */
export async function readUnstagedPaths(root: string, env: NodeJS.ProcessEnv, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const out = await runGitBytes(root, ['--literal-pathspecs', 'diff', '--name-only', '-z', '--no-ext-diff', '--', ...paths], { env });
  return new Set(splitNul(out));
}

/**
 * Stages `paths` (`git add`) into the index the commit is built from. Under `git commit <path>` git
 * commits a temporary index and afterwards installs the real one it holds locked: both get the paths,
 * so the next `git status` does not show the staged file reverting what was just committed.
 */
export async function stagePaths(root: string, env: NodeJS.ProcessEnv, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await runGitBytes(root, ['--literal-pathspecs', 'add', '--', ...paths], { env });
  const indexFile = env.GIT_INDEX_FILE;
  if (!indexFile || !/(^|[\\/])next-index-[^\\/]*\.lock$/.test(indexFile)) return;
  const gitDir = (await runGitBytes(root, ['rev-parse', '--absolute-git-dir'], { env })).toString('utf8').trim();
  const realIndexLock = resolve(gitDir, 'index.lock');
  const current = isAbsolute(indexFile) ? indexFile : resolve(root, indexFile);
  if (current === realIndexLock) return;
  const exists = await access(realIndexLock).then(
    () => true,
    () => false,
  );
  if (exists) await runGitBytes(root, ['--literal-pathspecs', 'add', '--', ...paths], { env: { ...env, GIT_INDEX_FILE: realIndexLock } });
}

function splitNul(buffer: Buffer): string[] {
  const text = buffer.toString('utf8');
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}
