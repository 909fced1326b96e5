// What a source of workplan and ADR files gives: listed paths, files read (bytes and hash), and the
// problems met, as data. Types and pure helpers only; the providers live in src/fs/source-files.ts.
import type { Diagnostic } from './diagnostic.js';
import type { WorkplanConfig } from './config.js';

/** Why a path was not listed: unreadable, a symlink leading out of the repository or nowhere, a root that is a file. */
export type ScanProblemKind = 'unreadable' | 'outside-root' | 'broken-symlink' | 'not-a-directory';

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
      return fileDiagnostic(
        problem.path,
        'symlink-broken',
        `Symlink could not be followed: ${problem.error}`,
        'Remove the symlink or point it at an existing file inside the repository.',
      );
    case 'not-a-directory':
      return fileDiagnostic(
        problem.path,
        'root-not-a-directory',
        `The root ${problem.path} is not a directory; nothing under it was read`,
        'Point roots.workplans / roots.adr in workplan.config.json at directories.',
      );
    case 'unreadable':
    case undefined:
      return fileDiagnostic(
        problem.path,
        'directory-unreadable',
        `Directory could not be read: ${problem.error}`,
        'Check its permissions.',
      );
  }
}

export function fileDiagnostic(path: string, ruleId: string, message: string, hint?: string): Diagnostic {
  const at = { line: 1, column: 1, offset: 0 };
  return { path, span: { start: at, end: at }, severity: 'error', ruleId, message, ...(hint ? { hint } : {}) };
}

export function isSourceFile(value: SourceFile | { missing: true } | Diagnostic): value is SourceFile {
  return 'bytes' in value;
}
