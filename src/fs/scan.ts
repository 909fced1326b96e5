// Lists the Markdown files under the configured roots. Adapter (node:fs).
// - Recursive; only regular files ending in `.md`; result paths are repository-relative POSIX,
//   sorted by code unit (locale-independent) and deduplicated across overlapping roots.
// - Skips every entry whose name starts with a dot (dot-directories, editor lock and swap files,
//   our own `.x.md.<pid>.<rnd>.tmp` / `.x.md.lock`) and `node_modules`.
// - Never follows a symlinked directory (as git, which stores the link, not the tree); a
//   symlinked `.md` file is listed when it resolves to a regular file inside the root.
// - A directory that cannot be read, a symlinked `.md` pointing outside the root or to nothing,
//   or a root that is not a directory is a `problem`, NEVER an empty listing: the sync's
//   mass-removal guard relies on the difference. A root that does not exist is simply empty.
import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SyncError } from '../model/errors.js';
import { isPathInside, normaliseRepoPath } from './repo-path.js';

export interface ScanProblem {
  /** Repository-relative POSIX path of the directory or file that could not be listed. */
  path: string;
  error: string;
}

export interface ScanResult {
  files: string[];
  problems: ScanProblem[];
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

  const walk = async (rel: string, abs: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await list(abs);
    } catch (error) {
      problems.push({ path: rel || '.', error: describe(error) });
      return;
    }
    entries.sort((a, b) => compareCodeUnits(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
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
        problems.push({ path: rel, error: 'symlink points outside the repository root; skipped' });
        return;
      }
      if ((await stat(real)).isFile()) files.add(rel);
    } catch (error) {
      problems.push({ path: rel, error: `symlink cannot be resolved: ${describe(error)}` });
    }
  };

  for (const relDir of relDirs) {
    let rel: string;
    try {
      rel = normaliseRepoPath(relDir);
    } catch (error) {
      problems.push({ path: relDir, error: error instanceof SyncError ? error.message : describe(error) });
      continue;
    }
    const abs = path.join(realRoot, ...rel.split('/').filter(Boolean));
    let real: string;
    try {
      real = await realpath(abs);
    } catch (error) {
      // A missing root is empty; a dangling symlink in its place is not "missing".
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !(await lstat(abs).then(() => true, () => false))) continue;
      problems.push({ path: rel || '.', error: describe(error) });
      continue;
    }
    if (!isPathInside(realRoot, real)) {
      problems.push({ path: rel || '.', error: 'resolves outside the repository root; skipped' });
      continue;
    }
    try {
      if (!(await stat(real)).isDirectory()) {
        problems.push({ path: rel || '.', error: 'is not a directory' });
        continue;
      }
    } catch (error) {
      problems.push({ path: rel || '.', error: describe(error) });
      continue;
    }
    // A configured root may itself be a symlink to a directory inside the repository: it is
    // listed under its configured name (directories met while walking are never followed).
    await walk(rel, real);
  }

  return {
    files: [...files].sort(compareCodeUnits),
    problems,
  };
}
