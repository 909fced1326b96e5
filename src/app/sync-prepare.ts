// Sync step 2, prepare: parse the files the mirror does not hold as they are (in batches, on parser
// threads when that pays), park their rows until planned (beyond one batch, on disk), and judge them
// with the cross-file rules. A file with an error of its own or of those rules is not synced.
import type { WorkplanConfig } from '../model/config.js';
import { gitBlobHash } from '../model/content-hash.js';
import type { Diagnostic, Span } from '../model/diagnostic.js';
import { isSourceFile, type SourceProvider } from '../model/source-file.js';
import type { AdrLinkSubject } from '../parse/adr-links.js';
import type { WorkplanSummary } from '../reconcile/check-repository.js';
import { collectSharedKeys, hasSharedKeys, judgeFiles } from '../reconcile/judge-files.js';
import type { PendingId, PreparedFile } from '../reconcile/prepare-file.js';
import type { MirrorIndexEntry } from '../reconcile/rows.js';
import { fileSpill, type DesiredRows, type Spill } from '../cache/desired-spill.js';
import type { PreparedCache } from '../cache/prepared-cache.js';
import { readKeyOwners } from '../db/mirror-read.js';
import type { SqlExecutor } from '../db/sql-executor.js';
import { prepareFiles, type ParsePool } from './parse-pool.js';
import type { Scan, ScannedFile } from './sync-scan.js';

/** What a sync keeps of a parsed file once its rows wait in the spill: enough for the cross-file checks and write-back. */
export interface ParsedFile {
  path: string;
  kind: 'workplan' | 'adr';
  /** It has rows to sync: false when it has errors of its own or an error of the cross-file rules. */
  synced: boolean;
  /** What the cross-file rules need (reconcile/judge-files.ts). */
  summary?: WorkplanSummary;
  adr?: AdrLinkSubject;
  /** Where the workplan id is written. */
  idSpan?: Span;
}

/** A parsed file's rows and id write-back edits, waiting (in the spill) for its part of the plan. */
export interface Waiting {
  rows: DesiredRows;
  pendingIds: PendingId[];
}

/** What a file's id write-back needs: its bytes as parsed (base64, as it waits in a spill) and its prepared file. */
export interface WriteBackSource {
  prepared: PreparedFile;
  bytes: string;
}

export interface PrepareSettings {
  config: WorkplanConfig;
  source: SourceProvider;
  onlyPaths: ReadonlySet<string> | undefined;
  planBatch: number;
  workers: number | undefined;
  cache: PreparedCache | undefined;
  onParsed?: (done: number, total: number) => void;
}

/** The prepare step's state, handed to the plan and write-back steps. */
export interface Preparation {
  parsed: Map<string, ParsedFile>;
  /** Rows of parsed files waiting to be planned. */
  rows: Spill<Waiting>;
  /** Bytes of files that get ids written, waiting until after commit. */
  writeBackSources: Spill<WriteBackSource>;
  /** Git blob ids of parsed files (all the mirror needs of their bytes). */
  gitBlobs: Map<string, string>;
  /** Diagnostics of the cross-file rules, as of the last judge. */
  crossFile: Diagnostic[];
  /** Parses files in batches (on `pool` when given). */
  prepare(files: ScannedFile[], pool?: ParsePool): Promise<void>;
  /** Runs the cross-file rules, parsing first the unchanged files that share a key with the parsed ones. */
  judge(db: SqlExecutor, repositoryId: string | undefined): Promise<void>;
  close(): void;
}

/** Whether a file must be parsed: the mirror does not hold it as it is (new, changed, removed or drifted). */
export function needsParse(index: Map<string, MirrorIndexEntry>, file: ScannedFile): boolean {
  const entry = index.get(file.path);
  return !entry || entry.removed || entry.drifted || entry.contentHash !== file.hash;
}

/** Opens the prepare step's state over the scan. Call `close()` when the sync ends. */
export function openPreparation(scan: Scan, settings: PrepareSettings, diagnostics: Diagnostic[]): Preparation {
  const { config, planBatch } = settings;
  const parsed = new Map<string, ParsedFile>();
  // The rows of parsed files wait here until planned: beyond one batch, in a temporary file.
  const rows: Spill<Waiting> = fileSpill(planBatch);
  // What a write-back needs: the bytes the ids are written into, and after commit the prepared file
  // without rows (its cross-file summary). Beyond one batch on disk: a cold sync writes ids into most
  // files of a repository, and their bytes must not all stay in memory until then.
  const writeBackSources: Spill<WriteBackSource> = fileSpill(planBatch);
  const gitBlobs = new Map<string, string>();
  const state: Preparation = {
    parsed,
    rows,
    writeBackSources,
    gitBlobs,
    crossFile: [],
    async prepare(scanned, pool) {
      let done = 0;
      for (let i = 0; i < scanned.length; i += planBatch) {
        const batch = await scan.withBytes(scanned.slice(i, i + planBatch));
        const results = await prepareFiles(batch, config, {
          ...(settings.workers !== undefined ? { workers: settings.workers } : {}),
          ...(settings.cache ? { cache: settings.cache } : {}),
          ...(pool ? { pool } : {}),
          onProgress: (n) => settings.onParsed?.(done + n, scanned.length),
        });
        done += batch.length;
        const bytesOf = new Map(batch.map((f) => [f.path, f.bytes]));
        for (const r of results) {
          parsed.set(r.path, parsedFile(r));
          diagnostics.push(...r.diagnostics);
          if (r.desired) rows.put(r.path, { rows: r.desired, pendingIds: r.pendingIds });
          const bytes = bytesOf.get(r.path);
          if (r.pendingIds.length > 0 && bytes) {
            writeBackSources.put(r.path, {
              prepared: { ...r, desired: null, diagnostics: [] },
              bytes: Buffer.from(bytes).toString('base64'),
            });
          }
        }
        // A parsed file's git blob id is all the mirror needs of its bytes (a cold sync of a large
        // repository must not hold every file); those a write-back needs wait in writeBackSources.
        for (const file of batch) {
          gitBlobs.set(file.path, gitBlobHash(file.bytes));
          delete (file as ScannedFile).bytes;
        }
      }
    },
    // The cross-file rules (the same as `workplan check`'s) over the parsed files and the unchanged
    // files whose rows share an id or a mirror id with them (read and parsed now); a file they find an
    // error in is not synced, exactly as one with an error of its own. Run again when more files are parsed.
    async judge(db, repositoryId) {
      const keys = collectSharedKeys(parsed.values());
      const owners = repositoryId && hasSharedKeys(keys) ? await readKeyOwners(db, repositoryId, keys) : [];
      const related: ScannedFile[] = [];
      for (const owner of owners) {
        if (parsed.has(owner.path)) continue;
        const listed = scan.byPath.get(owner.path);
        if (listed) related.push(listed);
        else if (settings.onlyPaths && !settings.onlyPaths.has(owner.path)) {
          // An incremental sync did not list it: it takes part if it still exists.
          const read = await settings.source.read(owner.path, owner.kind, config);
          if (isSourceFile(read)) related.push(read);
        }
      }
      if (related.length > 0) await state.prepare(related);
      state.crossFile = judgeFiles([...parsed.values()]);
      for (const d of state.crossFile) {
        const file = d.severity === 'error' ? parsed.get(d.path) : undefined;
        if (file?.synced) {
          file.synced = false;
          rows.drop(file.path);
        }
      }
    },
    close() {
      rows.close();
    },
  };
  return state;
}

function parsedFile(p: PreparedFile): ParsedFile {
  const out: ParsedFile = { path: p.path, kind: p.kind, synced: p.desired !== null };
  if (p.kind === 'workplan') {
    if (p.summary) out.summary = p.summary;
    if (p.idSpan) out.idSpan = p.idSpan;
  } else if (p.adr) {
    const { path, id, links, idSpan, titleHeading, statusSpan, frontmatter } = p.adr;
    out.adr = {
      path,
      id,
      ...(links ? { links } : {}),
      ...(idSpan ? { idSpan } : {}),
      ...(titleHeading ? { titleHeading } : {}),
      ...(statusSpan ? { statusSpan } : {}),
      ...(frontmatter ? { frontmatter: { ...frontmatter, data: { extra: {} }, fields: [] } } : {}),
    };
  }
  return out;
}
