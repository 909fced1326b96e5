// Reads and parses every workplan file of a repository, keeping what write-back needs: the exact
// text and the hash of the bytes it came from (the compare-and-swap precondition). Used by `close`
// and `cleanup`, which edit files; read-only itself.
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Workplan } from '../model/workplan.js';
import { decodeSource } from '../parse/decode.js';
import { parseWorkplan } from '../parse/workplan.js';
import { isSourceFile, type SourceProvider } from '../model/source-file.js';

export interface WorkplanFile {
  path: string;
  /** sha256 of the bytes read: the expected hash for writeFileIfUnchanged. */
  hash: string;
  /** Undefined when the bytes are not valid UTF-8 text. */
  text: string | undefined;
  /** Undefined when the file could not be parsed at all (e.g. no frontmatter). */
  workplan: Workplan | undefined;
  diagnostics: Diagnostic[];
}

export interface WorkplanFiles {
  files: WorkplanFile[];
  /** Files that could not be read (too large, unreadable) and directories that could not be listed. */
  unreadable: Diagnostic[];
  /** Paths (files or directories) whose content is unknown: never conclude a task is absent there. */
  unknownPaths: string[];
}

/** Lists, reads and parses the repository's workplans. */
export async function readWorkplanFiles(source: SourceProvider, config: WorkplanConfig): Promise<WorkplanFiles> {
  const listing = await source.list(config);
  const files: WorkplanFile[] = [];
  const unreadable: Diagnostic[] = [];
  const unknownPaths = listing.problems.map((p) => p.path);
  for (const entry of listing.files) {
    if (entry.kind !== 'workplan') continue;
    const read = await source.read(entry.path, entry.kind, config);
    if (!isSourceFile(read)) {
      if (!('missing' in read)) {
        unreadable.push(read);
        unknownPaths.push(entry.path);
      }
      continue;
    }
    const decoded = decodeSource(read.path, read.bytes);
    if (!decoded.value) {
      files.push({ path: read.path, hash: read.hash, text: undefined, workplan: undefined, diagnostics: decoded.diagnostics });
      continue;
    }
    const parsed = parseWorkplan(read.path, decoded.value.text, config);
    files.push({ path: read.path, hash: read.hash, text: decoded.value.text, workplan: parsed.value, diagnostics: parsed.diagnostics });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, unreadable, unknownPaths };
}

/** True when `path` is (under) one of `unknownPaths`. */
export function isUnknownPath(path: string, unknownPaths: readonly string[]): boolean {
  return unknownPaths.some((p) => path === p || path.startsWith(`${p.replace(/\/+$/, '')}/`));
}
