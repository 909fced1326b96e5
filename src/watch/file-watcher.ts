// Watches a repository's workplan and ADR roots for changes. Adapter: the only module that imports
// chokidar. It reports repository-relative POSIX paths of source files that were added, changed or
// removed — nothing else (no content, no classification of the change): the daemon reads the file
// after the burst settles and decides. Editor artefacts never get through: the same rules as the scan
// (src/fs/scan.ts) apply — dot-files (`.x.md.swp`, our own `.x.md.<pid>.tmp`), `node_modules`,
// non-`.md` names (`x.md~`, vim's `4913`) and paths outside the configured roots are ignored.
import type { Stats } from 'node:fs';
import { posix, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { WorkplanConfig } from '../model/config.js';
import { classifySourcePath } from '../model/source-path.js';

export type FileChangeKind = 'add' | 'change' | 'unlink';

export interface FileWatcherOptions {
  /** Absolute repository root. */
  root: string;
  config: WorkplanConfig;
  /** A source file changed; `at` is the event's time (epoch ms). */
  onChange: (path: string, kind: FileChangeKind, at: number) => void;
  onError: (error: Error) => void;
  /** Poll instead of using native events (network file systems, some containers). */
  usePolling?: boolean;
}

export interface FileWatcher {
  close(): Promise<void>;
}

/** Starts watching; resolves once the initial directory walk is done (events after that are reported). */
export async function watchSourceFiles(options: FileWatcherOptions): Promise<FileWatcher> {
  const isIgnored = sourceTreeFilter(options.root, options.config);
  const watcher: FSWatcher = watch(options.root, {
    ignored: (path: string, stats?: Stats) => isIgnored(path, stats),
    ignoreInitial: true,
    // Symlinked directories are not followed, as in the scan (git stores the link, not the tree).
    followSymlinks: false,
    // chokidar's own atomic-save handling holds unlink events back 100 ms; the daemon's per-file settle
    // already merges unlink + add of one path, and a rename's two halves must arrive together.
    atomic: false,
    usePolling: options.usePolling ?? false,
    ...(options.usePolling ? { interval: 100 } : {}),
  });
  const report = (kind: FileChangeKind) => (absPath: string) => {
    const rel = toRepoPath(options.root, absPath);
    if (rel !== undefined && classifySourcePath(rel, options.config)) options.onChange(rel, kind, Date.now());
  };
  watcher.on('add', report('add'));
  watcher.on('change', report('change'));
  watcher.on('unlink', report('unlink'));
  watcher.on('error', (error) => options.onError(error instanceof Error ? error : new Error(String(error))));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { close: () => watcher.close() };
}

/** The predicate chokidar uses to skip paths: true for anything that is not (on the way to) a source file. */
export function sourceTreeFilter(root: string, config: WorkplanConfig): (absPath: string, stats?: Stats) => boolean {
  const roots = [...config.roots.workplans, ...config.roots.adr].map((r) =>
    posix
      .normalize(r)
      .replace(/^\.\/?/, '')
      .replace(/\/+$/, ''),
  );
  const wholeTree = roots.some((r) => r === '' || r === '.');
  return (absPath, stats) => {
    const rel = toRepoPath(root, absPath);
    if (rel === undefined) return true;
    if (rel === '') return false;
    const segments = rel.split('/');
    if (segments.some((s) => s.startsWith('.') || s === 'node_modules')) return true;
    const underRoot = wholeTree || roots.some((r) => rel === r || rel.startsWith(`${r}/`));
    if (!underRoot) {
      // Keep directories that lead to a root (e.g. `docs` for `docs/adr`).
      const ancestor = roots.some((r) => r.startsWith(`${rel}/`));
      return !ancestor || (stats !== undefined && !stats.isDirectory());
    }
    if (stats?.isDirectory()) return false;
    const isSource = classifySourcePath(rel, config) !== undefined;
    if (stats) return !isSource;
    // Called without stats first: a name that is not a source file may still be a directory.
    return false;
  };
}

function toRepoPath(root: string, absPath: string): string | undefined {
  const rel = relative(root, absPath);
  if (rel.startsWith('..') || rel.includes(`..${sep}`)) return undefined;
  return sep === '/' ? rel : rel.split(sep).join('/');
}
