// Lists the Markdown files under the configured roots. Adapter (node:fs).
// - Recursive; only regular files ending in `.md`; result paths are repository-relative POSIX,
//   sorted by code unit (locale-independent) and deduplicated across overlapping roots.
// - Skips every entry whose name starts with a dot (dot-directories, editor lock and swap files,
//   our own `.x.md.<pid>.<rnd>.tmp` / `.x.md.lock`, whose directories it reports) and `node_modules`.
// - Never follows a symlinked directory (as git, which stores the link, not the tree); a
//   symlinked `.md` file is listed when it resolves to a regular file inside the root.
// - A directory that cannot be read, a symlinked `.md` pointing outside the root or to nothing,
//   or a root that is not a directory is a `problem`, NEVER an empty listing: the sync's
//   mass-removal guard relies on the difference. A root that does not exist is simply empty.
import type { Dirent } from 'node:fs';
import { access, lstat, readdir, realpath, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { SyncError } from '../model/errors.js';
import { isPathInside, normaliseRepoPath } from './repo-path.js';
import { isLockFileName, parseTempFileName } from './sibling-files.js';
import type { ScanProblemKind } from '../model/source-file.js';

export type { ScanProblemKind };

export interface ScanProblem {
  /** Repository-relative POSIX path of the directory or file that could not be listed. */
  path: string;
  error: string;
  /**
   * What is wrong: a directory that cannot be read, a symlink (of a root or a `.md` file) leading out
   * of the repository or to nothing, a root that is not a directory.
   */
  kind: ScanProblemKind;
}

export interface ScanResult {
  files: string[];
  problems: ScanProblem[];
  /**
   * Repository-relative directories in which the walk saw files named like a write-back's temp or
   * lock file (sibling-files.ts): a killed write-back may have left them, and a sync sweeps them.
   * The listing of given paths looks at nothing beside those paths and reports none.
   */
  leftoverDirs: string[];
}

export interface ScanOptions {
  /** Test seam: replaces `readdir` (e.g. to simulate EACCES when running as root). @internal */
  readdir?: (absDir: string) => Promise<Dirent[]>;
}

const SKIPPED_DIRS = new Set(['node_modules']);

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(e?.message ?? error);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lists `.md` files under each of `relDirs` (repository-relative) of `root`. */
export async function listMarkdownFiles(root: string, relDirs: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  const list = options.readdir ?? ((dir: string) => readdir(dir, { withFileTypes: true }));
  const realRoot = await realpath(root);
  const files = new Set<string>();
  const problems: ScanProblem[] = [];
  const leftoverDirs = new Set<string>();

  const walk = async (rel: string, abs: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await list(abs);
    } catch (error) {
      problems.push({ path: rel || '.', error: describe(error), kind: 'unreadable' });
      return;
    }
    entries.sort((a, b) => compareCodeUnits(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) {
        if (entry.isFile() && (parseTempFileName(entry.name) || isLockFileName(entry.name))) leftoverDirs.add(rel);
        continue;
      }
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await walk(childRel, path.join(abs, entry.name));
      } else if (entry.name.endsWith('.md')) {
        if (entry.isFile()) {
          files.add(childRel);
        } else if (entry.isSymbolicLink()) {
          await addSymlinkedFile(childRel, path.join(abs, entry.name));
        }
      }
    }
  };

  const addSymlinkedFile = async (rel: string, abs: string): Promise<void> => {
    try {
      const real = await realpath(abs);
      if (!isPathInside(realRoot, real)) {
        problems.push({ path: rel, error: 'it is a symlink to a file outside the repository', kind: 'outside-root' });
        return;
      }
      if ((await stat(real)).isFile()) files.add(rel);
    } catch (error) {
      problems.push({ path: rel, error: `symlink cannot be resolved: ${describe(error)}`, kind: 'broken-symlink' });
    }
  };

  for (const relDir of relDirs) {
    const resolved = await resolveScanRoot(realRoot, relDir);
    if ('problem' in resolved) problems.push(resolved.problem);
    // A configured root may itself be a symlink to a directory inside the repository: it is
    // listed under its configured name (directories met while walking are never followed).
    else if (resolved.real !== undefined) await walk(resolved.rel, resolved.real);
  }

  return {
    files: [...files].sort(compareCodeUnits),
    problems,
    leftoverDirs: [...leftoverDirs].sort(compareCodeUnits),
  };
}

type ScanRoot = { rel: string; real: string | undefined } | { problem: ScanProblem };

/** A configured root: its normalised name and real directory (undefined: it does not exist), or why it cannot be listed. */
async function resolveScanRoot(realRoot: string, relDir: string): Promise<ScanRoot> {
  let rel: string;
  try {
    rel = normaliseRepoPath(relDir);
  } catch (error) {
    return { problem: { path: relDir, error: error instanceof SyncError ? error.message : describe(error), kind: 'outside-root' } };
  }
  const abs = path.join(realRoot, ...rel.split('/').filter(Boolean));
  let real: string;
  try {
    real = await realpath(abs);
  } catch (error) {
    // A missing root is empty; a dangling symlink in its place is not "missing".
    const dangling = await lstat(abs).then(
      () => true,
      () => false,
    );
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !dangling) return { rel, real: undefined };
    return { problem: { path: rel || '.', error: describe(error), kind: dangling ? 'broken-symlink' : 'unreadable' } };
  }
  if (!isPathInside(realRoot, real))
    return { problem: { path: rel || '.', error: `it resolves to ${real}, outside the repository`, kind: 'outside-root' } };
  try {
    if (!(await stat(real)).isDirectory()) return { problem: { path: rel || '.', error: 'is not a directory', kind: 'not-a-directory' } };
  } catch (error) {
    return { problem: { path: rel || '.', error: describe(error), kind: 'unreadable' } };
  }
  return { rel, real };
}

/**
 * What listMarkdownFiles would say of `paths` alone, without walking the roots: the listed files
 * among them and the problems that cover any of them (a problem covers its own path and everything
 * beneath it). A sync of known paths (watch, the hook) then costs what the change costs, not a walk
 * of every directory. Each path is checked against the walk's rules: every directory on the way is a
 * readable real directory (a symlinked directory is never followed), no name starts with a dot or is
 * `node_modules`, and the file is a regular `.md` file or a symlink to one inside the root.
 */
export async function listMarkdownPaths(root: string, relDirs: readonly string[], paths: Iterable<string>): Promise<ScanResult> {
  const realRoot = await realpath(root);
  const roots: ScanRoot[] = [];
  for (const relDir of relDirs) roots.push(await resolveScanRoot(realRoot, relDir));
  const files = new Set<string>();
  const problems = new Map<string, ScanProblem>();
  const directories = new Map<string, Promise<'dir' | 'skip' | ScanProblem>>();

  /** A directory below a root, as the walk meets it: listed into, skipped (not a real directory), or a problem. */
  const directory = (rel: string, abs: string, isRoot: boolean) => {
    let known = directories.get(abs);
    if (!known) {
      known = (async () => {
        if (!isRoot) {
          try {
            if (!(await lstat(abs)).isDirectory()) return 'skip';
          } catch (error) {
            return isMissing(error) ? 'skip' : { path: rel, error: describe(error), kind: 'unreadable' as const };
          }
        }
        try {
          await access(abs, constants.R_OK); // what readdir needs
          return 'dir';
        } catch (error) {
          return { path: rel || '.', error: describe(error), kind: 'unreadable' as const };
        }
      })();
      directories.set(abs, known);
    }
    return known;
  };

  for (const wanted of paths) {
    let p: string;
    try {
      p = normaliseRepoPath(wanted);
    } catch {
      continue;
    }
    for (const scanRoot of roots) {
      if ('problem' in scanRoot) {
        const at = scanRoot.problem.path;
        if (at === '.' || p === at || p.startsWith(`${at}/`)) problems.set(at, scanRoot.problem);
        continue;
      }
      const { rel, real } = scanRoot;
      if (real === undefined || (rel !== '' && !p.startsWith(`${rel}/`))) continue;
      const names = (rel === '' ? p : p.slice(rel.length + 1)).split('/');
      if (names.some((name) => name.startsWith('.') || SKIPPED_DIRS.has(name)) || !names.at(-1)!.endsWith('.md')) continue;
      let dirRel = rel;
      let dirAbs = real;
      let reachable = true;
      for (let i = 0; i < names.length; i++) {
        const state = await directory(dirRel, dirAbs, i === 0);
        if (state !== 'dir') {
          if (state !== 'skip') problems.set(state.path, state);
          reachable = false;
          break;
        }
        if (i === names.length - 1) break;
        dirRel = dirRel ? `${dirRel}/${names[i]}` : names[i]!;
        dirAbs = path.join(dirAbs, names[i]!);
      }
      if (!reachable) continue;
      const abs = path.join(dirAbs, names.at(-1)!);
      let entry;
      try {
        entry = await lstat(abs);
      } catch (error) {
        if (!isMissing(error)) problems.set(p, { path: p, error: describe(error), kind: 'unreadable' });
        continue;
      }
      if (entry.isFile()) files.add(p);
      else if (entry.isSymbolicLink()) {
        try {
          const target = await realpath(abs);
          if (!isPathInside(realRoot, target))
            problems.set(p, { path: p, error: 'it is a symlink to a file outside the repository', kind: 'outside-root' });
          else if ((await stat(target)).isFile()) files.add(p);
        } catch (error) {
          problems.set(p, { path: p, error: `symlink cannot be resolved: ${describe(error)}`, kind: 'broken-symlink' });
        }
      }
    }
  }
  return { files: [...files].sort(compareCodeUnits), problems: [...problems.values()], leftoverDirs: [] };
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
