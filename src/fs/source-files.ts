// The source providers: the working tree (sync, watch; its stat cache knows unchanged files) and a
// snapshot held in memory (the git index the pre-commit hook judges, tests). Types: model/source-file.ts.
import type { WorkplanConfig } from '../model/config.js';
import { hashBytes } from '../model/content-hash.js';
import { readSourceFile } from './read-source.js';
import { listMarkdownFiles, listMarkdownPaths, type ScanResult } from './scan.js';
import { fileDiagnostic, type SourceListing, type SourceProvider } from '../model/source-file.js';
import { classifySourcePath } from '../model/source-path.js';
import type { FileHashCache } from '../cache/file-hash-cache.js';

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

/**
 * A source over in-memory files (tests, the staged index). `listing` is every path the snapshot holds
 * when only some of them were read (the staged index): a sync reads only the paths it is given, but its
 * guards need the whole listing ("workplans/ has no files left" must not fire because one file was staged).
 */
export function memorySource(files: ReadonlyMap<string, Uint8Array>, listing: readonly string[] = []): SourceProvider {
  return {
    async list(config) {
      const out: SourceListing['files'] = [];
      for (const path of [...new Set([...listing, ...files.keys()])].sort()) {
        const kind = classifySourcePath(path, config);
        if (kind) out.push({ path, kind });
      }
      return { files: out, problems: [] };
    },
    async read(path, kind) {
      const bytes = files.get(path);
      return bytes ? { path, kind, bytes, hash: hashBytes(bytes) } : { missing: true };
    },
  };
}
