// Containment of repository-relative paths. Adapter (node:fs).
// Every file the tool reads or writes goes through resolveInsideRoot: a path is accepted only if
// it is relative, stays inside the root after normalisation, and — after resolving every symlink
// (of the file and of each parent directory) — still lies inside the root's real path.
// Anything else is a SyncError PATH_OUTSIDE_ROOT; nothing is read or written.
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { SyncError } from '../model/errors.js';

export interface ResolvedRepoPath {
  /** The repository-relative POSIX path, normalised (`a/./b/../c.md` → `a/c.md`). */
  relPath: string;
  /** `<root>/<relPath>` without resolving symlinks (what the user sees; a symlink stays a symlink). */
  lexicalPath: string;
  /** The path with every symlink resolved; where bytes are actually read and written. */
  realPath: string;
  /** The root's real path. */
  realRoot: string;
  /** False when nothing exists at the path (its existing ancestors were still checked). */
  exists: boolean;
}

function outside(relPath: string, why: string): SyncError {
  return new SyncError('PATH_OUTSIDE_ROOT', `Refused path ${JSON.stringify(relPath)}: ${why}. Nothing was read or written.`, {
    hint: 'Workplan paths must be relative to the repository root and stay inside it (no absolute paths, no `..`, no symlinks pointing outside).',
  });
}

/** True when `candidate` is `realRoot` or below it (a name like `..foo` is below it). */
export function isPathInside(realRoot: string, candidate: string): boolean {
  const rel = path.relative(realRoot, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Checks the lexical form of `relPath` and returns it normalised, or throws PATH_OUTSIDE_ROOT. */
export function normaliseRepoPath(relPath: string): string {
  if (typeof relPath !== 'string' || relPath.length === 0) throw outside(String(relPath), 'the path is empty');
  if (relPath.includes('\0')) throw outside(relPath, 'the path contains a NUL byte');
  if (path.posix.isAbsolute(relPath) || path.win32.isAbsolute(relPath)) throw outside(relPath, 'the path is absolute');
  // On POSIX a backslash is an ordinary file-name character; on Windows it is a separator.
  const normalised = path.posix.normalize(path.sep === '\\' ? relPath.replace(/\\/g, '/') : relPath);
  if (normalised === '..' || normalised.startsWith('../')) throw outside(relPath, 'the path leaves the repository root');
  return normalised === '.' ? '' : normalised.replace(/\/$/, '');
}

const DANGLING = Symbol('dangling symlink');

/** realpath of `p`; for a missing path, undefined — or DANGLING when a symlink to nothing is there. */
async function tryRealpath(p: string): Promise<string | undefined | typeof DANGLING> {
  try {
    return await realpath(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await lstat(p);
    // Something is there but does not resolve: a dangling symlink. Creating a file through it
    // would create its (unchecked) target, so it is refused like an escape.
    return DANGLING;
  } catch {
    return undefined;
  }
}

async function realpathOfExistingPart(lexical: string): Promise<{ real: string; exists: boolean } | typeof DANGLING> {
  const direct = await tryRealpath(lexical);
  if (direct === DANGLING) return DANGLING;
  if (direct !== undefined) return { real: direct, exists: true };
  // Resolve the deepest existing ancestor, then append the missing tail (which holds no symlinks).
  let existing = lexical;
  const tail: string[] = [];
  for (;;) {
    const parent = path.dirname(existing);
    if (parent === existing) throw new Error(`No existing ancestor of ${lexical}`);
    tail.unshift(path.basename(existing));
    existing = parent;
    const real = await tryRealpath(existing);
    if (real === DANGLING) return DANGLING;
    if (real !== undefined) return { real: path.join(real, ...tail), exists: false };
  }
}

/** Resolves `relPath` inside `root`, refusing absolute paths, `..` escapes and symlinks leading outside. */
export async function resolveInsideRoot(root: string, relPath: string): Promise<ResolvedRepoPath> {
  const normalised = normaliseRepoPath(relPath);
  const realRoot = await realpath(root);
  const lexicalPath = normalised === '' ? path.resolve(root) : path.join(path.resolve(root), ...normalised.split('/'));
  const resolved = await realpathOfExistingPart(path.join(realRoot, ...normalised.split('/').filter(Boolean)));
  if (resolved === DANGLING) throw outside(relPath, 'it goes through a symlink whose target does not exist');
  const { real, exists } = resolved;
  if (!isPathInside(realRoot, real)) throw outside(relPath, `it resolves to ${real}, outside the repository root ${realRoot}`);
  return { relPath: normalised, lexicalPath, realPath: real, realRoot, exists };
}
