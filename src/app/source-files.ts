// Finding and reading a repository's workplan and ADR files. Adapter glue over src/fs.
// A source provider abstracts where bytes come from: the working tree (sync, watch) or the git
// index (the pre-commit hook judges staged blobs).
import { posix } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import type { WorkplanConfig } from '../model/config.js';
import { hashBytes } from '../model/content-hash.js';
import { readSourceFile } from '../fs/read-source.js';
import { listMarkdownFiles, listMarkdownPaths, type ScanProblemKind, type ScanResult } from '../fs/scan.js';
import type { FileHashCache } from './file-hash-cache.js';

export type SourceKind = 'workplan' | 'adr';

export interface SourceFile {
  path: string;
  kind: SourceKind;
  bytes: Uint8Array;
  hash: string;
}

export interface SourceListing {
  files: Array<{ path: string; kind: SourceKind }>;
  /** Directories or files that could not be read: removals beneath them are never planned. */
  problems: ListingProblem[];
  /** Directories where a killed write-back may have left its temp or lock files (see ScanResult). */
  leftoverDirs?: string[];
}

export interface ListingProblem {
  path: string;
  error: string;
  /** Why it was not listed (default 'unreadable'); see ScanProblemKind. */
  kind?: ScanProblemKind;
}

export interface SourceProvider {
  /** Lists the candidate files under the configured roots. */
  list(config: WorkplanConfig): Promise<SourceListing>;
  /**
   * What `list` would say of these paths alone (the listed ones among them, the problems covering
   * them), without listing the rest: a sync of known paths then costs what they cost (optional).
   */
  listPaths?(paths: readonly string[], config: WorkplanConfig): Promise<SourceListing>;
  /** Reads one file; a too-large or unreadable file is a diagnostic, a vanished one is `missing`. */
  read(path: string, kind: SourceKind, config: WorkplanConfig): Promise<SourceFile | { missing: true } | Diagnostic>;
  /** The hash of a file known to be unchanged since it was last read, without reading it (optional). */
  knownHash?(path: string): string | undefined;
  /** Persists what the provider learned (its stat cache), if anything. */
  flush?(): Promise<void>;
}

const IGNORED_NAMES = /^(readme|index|template|_.*|.*[-_.]template)\.md$/i;
/** Pages that sit beside ADRs in their folder but record no decision (docs/format.md, "Which files are read"). */
const NOT_AN_ADR = /^(?:readme|index|toc|table[-_ ]of[-_ ]contents|summary|changelog|contributing|license|glossary|_.*)$/i;

/** Which kind a repository-relative path is, or undefined when it is not a source file. */
export function classifySourcePath(path: string, config: WorkplanConfig): SourceKind | undefined {
  const name = posix.basename(path);
  if (!name.toLowerCase().endsWith('.md')) return undefined;
  const under = (roots: string[]) => roots.some((r) => isUnder(path, r));
  if (under(config.roots.adr)) return isAdrFileName(name) || isAdrBundlePage(path, config.roots.adr) ? 'adr' : undefined;
  if (IGNORED_NAMES.test(name)) return undefined;
  if (under(config.roots.workplans)) return 'workplan';
  return undefined;
}

/**
 * Whether a Markdown file in an ADR root is an ADR: every file is (numbered, date-named as
 * log4brains writes them, or named by its slug) except the index pages and templates found beside
 * them: README, index, a table of contents, and templates (`template.md`, `adr-template.md`,
 * `0000-template.md`, `adr000-template.md`, `adr-template-minimal.md`, `template-madr.md`).
 */
export function isAdrFileName(name: string): boolean {
  const base = name.replace(/\.md$/i, '');
  if (NOT_AN_ADR.test(base)) return false;
  const rest = base.replace(/^(?:adr[-_ ]?)?\d*[-_ .]*/i, '').toLowerCase();
  return !(rest.startsWith('template') || /[-_.]templates?$/.test(rest) || /^(?:adr|madr|nygard)[-_]?templates?(?:[-_.]|$)/.test(rest));
}

/**
 * Whether a path is the page of an ADR kept as a directory (a page bundle): `index.md` or
 * `README.md` in a subdirectory of an ADR root, as Hugo sites and the joelparkerhenderson examples
 * keep them (`adr/0001-use-x/index.md`, `adr/secrets-storage/index.md`). The directory names the ADR;
 * an index at the root itself, or below a directory named as a template, is not one.
 */
export function isAdrBundlePage(path: string, adrRoots: readonly string[]): boolean {
  if (!/^(?:index|readme)\.md$/i.test(posix.basename(path))) return false;
  return adrRoots.some((root) => {
    if (!isUnder(path, root)) return false;
    const r = posix.normalize(root).replace(/\/+$/, '');
    const dirs = (r === '.' || r === '' ? path : path.slice(r.length + 1)).split('/').slice(0, -1);
    // `templates/decision-record-template-by-michael-nygard/index.md` is a template, not a decision
    // (a numbered directory such as `0005-use-template-engine/` is an ADR).
    const template = dirs.some((d) => !/^\d/.test(d) && /(?:^|[-_.])templates?(?:[-_.]|$)/i.test(d));
    return dirs.length >= 1 && !template && isAdrFileName(`${dirs[dirs.length - 1]!}.md`);
  });
}

function isUnder(path: string, root: string): boolean {
  const r = posix.normalize(root).replace(/\/+$/, '');
  if (r === '.' || r === '') return true;
  return path === r || path.startsWith(`${r}/`);
}

/** Files in the working tree under `root`; with `hashes`, unchanged files are known by a stat. */
export function workingTreeSource(root: string, options: { hashes?: FileHashCache } = {}): SourceProvider {
  const { hashes } = options;
  return {
    async list(config) {
      const listing = await listMarkdownFiles(root, sourceRoots(config));
      const result = toSourceListing(listing, config);
      // A directory that could not be read keeps its entries: its files are not known to be gone.
      if (listing.problems.length === 0) hashes?.retain(result.files.map((f) => f.path));
      return result;
    },
    async listPaths(paths, config) {
      return toSourceListing(await listMarkdownPaths(root, sourceRoots(config), paths), config);
    },
    ...(hashes ? { knownHash: (path: string) => hashes.knownHash(path), flush: () => hashes.flush() } : {}),
    async read(path, kind, config) {
      const signature = hashes?.signature(path);
      const result = await readSourceFile(root, path, config.sync.maxFileBytes);
      switch (result.kind) {
        case 'ok':
          hashes?.record(path, signature, result.hash);
          return { path, kind, bytes: result.bytes, hash: result.hash };
        case 'missing':
          return { missing: true };
        case 'too-large':
          return fileDiagnostic(
            path,
            'file-too-large',
            `File is ${result.size} bytes, over the ${result.maxBytes}-byte limit; it was not read`,
            'Split the file, or raise sync.maxFileBytes in workplan.config.json.',
          );
        case 'unreadable':
          return fileDiagnostic(path, 'file-unreadable', `File could not be read: ${result.reason}`, 'Check its permissions.');
      }
    },
  };
}

function sourceRoots(config: WorkplanConfig): string[] {
  return [...config.roots.workplans, ...config.roots.adr];
}

function toSourceListing(listing: ScanResult, config: WorkplanConfig): SourceListing {
  const files: SourceListing['files'] = [];
  for (const path of listing.files) {
    const kind = classifySourcePath(path, config);
    if (kind) files.push({ path, kind });
  }
  return {
    files,
    problems: listing.problems.map((p) => ({ path: p.path, error: String(p.error), kind: p.kind })),
    leftoverDirs: listing.leftoverDirs,
  };
}

/** A source over in-memory files (tests, the staged index). */
export function memorySource(files: ReadonlyMap<string, Uint8Array>): SourceProvider {
  return {
    async list(config) {
      const out: SourceListing['files'] = [];
      for (const path of [...files.keys()].sort()) {
        const kind = classifySourcePath(path, config);
        if (kind) out.push({ path, kind });
      }
      return { files: out, problems: [] };
    },
    async read(path, kind) {
      const bytes = files.get(path);
      if (!bytes) return { missing: true };
      return { path, kind, bytes, hash: hashBytes(bytes) };
    },
  };
}

/**
 * What `check` and `sync` say about a path the listing could not take: a symlink leading out of the
 * repository is refused as such (it is never read), not reported as a permissions problem.
 */
export function listingProblemDiagnostic(problem: ListingProblem): Diagnostic {
  switch (problem.kind) {
    case 'outside-root':
      return fileDiagnostic(
        problem.path,
        'path-outside-root',
        `${problem.path}: ${problem.error}; it was not read`,
        'Workplans and ADRs are read only inside the repository: put the file itself there instead of a symlink to it, or point the symlink inside the repository.',
      );
    case 'broken-symlink':
      return fileDiagnostic(problem.path, 'symlink-broken', `Symlink could not be followed: ${problem.error}`, 'Remove the symlink or point it at an existing file inside the repository.');
    case 'not-a-directory':
      return fileDiagnostic(problem.path, 'root-not-a-directory', `The root ${problem.path} is not a directory; nothing under it was read`, 'Point roots.workplans / roots.adr in workplan.config.json at directories.');
    case 'unreadable':
    case undefined:
      return fileDiagnostic(problem.path, 'directory-unreadable', `Directory could not be read: ${problem.error}`, 'Check its permissions.');
  }
}

export function fileDiagnostic(path: string, ruleId: string, message: string, hint?: string): Diagnostic {
  const at = { line: 1, column: 1, offset: 0 };
  return { path, span: { start: at, end: at }, severity: 'error', ruleId, message, ...(hint ? { hint } : {}) };
}

export function isSourceFile(value: SourceFile | { missing: true } | Diagnostic): value is SourceFile {
  return 'bytes' in value;
}
