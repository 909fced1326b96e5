// Sync step 1, scan: list the source files (only the given paths when the source can) and hash each,
// by a stat when the source knows it unchanged, else by reading it. Read bytes are kept for the parse
// up to a budget. Hands the listing and the hashed files to the prepare step.
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { isSourceFile, listingProblemDiagnostic, type SourceFile, type SourceListing, type SourceProvider } from '../model/source-file.js';
import { forEachLimited } from './for-each-limited.js';

/** A listed file: its hash always, its bytes once they were read (unchanged files are never read). */
export type ScannedFile = Omit<SourceFile, 'bytes'> & { bytes?: Uint8Array };

/** Bytes of files read while listing that are kept for their parse (the rest are read again then). */
const KEPT_BYTES = 8 * 1024 * 1024;

/** What the scan hands on: the listing, the hashed files (sorted by path) and the files that could not be read. */
export interface Scan {
  listing: SourceListing;
  /** The whole listing, taken once and only if a guard needs it (a sync of known paths lists only those). */
  listAll(): Promise<SourceListing>;
  files: ScannedFile[];
  byPath: Map<string, ScannedFile>;
  unreadable: Set<string>;
  /** Reads a file into `into`, or records why it could not be read. */
  readInto(entry: { path: string; kind: SourceFile['kind'] }, into: ScannedFile[]): Promise<void>;
  /** The bytes of files known only by hash so far (they turned out to need parsing). */
  withBytes(batch: ScannedFile[]): Promise<SourceFile[]>;
}

/** Lists and hashes the sync's files; problems go to `diagnostics`. */
export async function scanSources(
  source: SourceProvider,
  config: WorkplanConfig,
  onlyPaths: ReadonlySet<string> | undefined,
  diagnostics: Diagnostic[],
  onListed?: (files: number) => void,
): Promise<Scan> {
  let wholeListing: Promise<SourceListing> | undefined;
  const listAll = () => (wholeListing ??= source.list(config));
  const listing = onlyPaths && source.listPaths ? await source.listPaths([...onlyPaths], config) : await listAll();
  const listed = onlyPaths ? listing.files.filter((f) => onlyPaths.has(f.path)) : listing.files;
  // What could not be listed is said, as `check` says it (a root symlinked out of the repository is not "0 files").
  for (const problem of listing.problems) diagnostics.push(listingProblemDiagnostic(problem));
  onListed?.(listed.length);

  const files: ScannedFile[] = [];
  const unreadable = new Set<string>();
  const readInto = async (entry: { path: string; kind: SourceFile['kind'] }, into: ScannedFile[]) => {
    const read = await source.read(entry.path, entry.kind, config);
    if (isSourceFile(read)) into.push(read);
    else if (!('missing' in read)) {
      diagnostics.push(read);
      unreadable.add(entry.path);
    }
  };
  // Files read to be hashed keep their bytes for the parse up to a budget; beyond it they are read
  // again when their batch is parsed (a cold sync of a large repository must not hold every file).
  let keptBytes = 0;
  await forEachLimited(listed, 16, async (entry) => {
    const hash = source.knownHash?.(entry.path);
    if (hash) return void files.push({ path: entry.path, kind: entry.kind, hash });
    const read: ScannedFile[] = [];
    await readInto(entry, read);
    for (const file of read) {
      if (file.bytes && keptBytes + file.bytes.byteLength > KEPT_BYTES) delete file.bytes;
      else keptBytes += file.bytes?.byteLength ?? 0;
      files.push(file);
    }
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const withBytes = async (batch: ScannedFile[]): Promise<SourceFile[]> => {
    const out: SourceFile[] = [];
    await forEachLimited(batch, 16, async (file) => {
      if (file.bytes) {
        out.push(file as SourceFile);
        return;
      }
      const read: ScannedFile[] = [];
      await readInto(file, read);
      if (read[0]?.bytes) {
        Object.assign(file, { bytes: read[0].bytes, hash: read[0].hash });
        out.push(file as SourceFile);
      }
    });
    return out;
  };
  return { listing, listAll, files, byPath: new Map(files.map((f) => [f.path, f])), unreadable, readInto, withBytes };
}
