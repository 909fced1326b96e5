// Validation of what a commit will contain (the pre-commit hook's step 2). The staged workplans and
// ADRs are parsed in full from their index blobs (or found in the prepared-file cache); every other
// source file of the staged snapshot takes part in the cross-file rules through its summary, looked
// up by the blob id `git ls-files -s` lists (no blob is read for it). Only files never summarised
// are read and parsed, and their summaries recorded, so a commit after any sync, check or hook run
// reads and parses the staged files alone — and when the prepared-file cache already holds those
// (a `workplan sync` or `check` saw the same bytes), it does not even load the parser.
// Reports diagnostics on staged files only. Never writes to the working tree or the index.
import type { WorkplanConfig } from '../model/config.js';
import { hashBytes } from '../model/content-hash.js';
import type { AdrLinkSubject } from '../parse/adr-links.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { checkRepository, type WorkplanSummary } from '../reconcile/check-repository.js';
import { readBlobs, readIndexEntries, type IndexEntry, type StagedChange } from '../git/staged.js';
import { compareDiagnostics } from './check.js';
import {
  adrStandIn,
  crossFileKeys,
  expandWorkplanSummary,
  sharesKey,
  summarizePreparedFile,
  summaryKey,
  type FileSummary,
} from '../cache/file-summaries.js';
import type { PreparedFile } from '../reconcile/prepare-file.js';
import type { PreparedFileCache } from '../cache/prepared-cache.js';
import { classifySourcePath } from '../model/source-path.js';
import { fileDiagnostic, type SourceFile } from '../model/source-file.js';

export interface StagedCheckOptions {
  root: string;
  /** The environment git runs with (its GIT_INDEX_FILE names the index to judge). */
  env: NodeJS.ProcessEnv;
  config: WorkplanConfig;
  /** The staged source files (workplans and ADRs). */
  staged: readonly StagedChange[];
  cache: PreparedFileCache;
  /** Parser worker threads for files without a summary (default: parse-pool's choice). */
  workers?: number;
}

export interface StagedCheck {
  /** Diagnostics on the staged files, sorted. */
  diagnostics: Diagnostic[];
  /** Every source path of the staged snapshot (regular files): what the sync's guards must see. */
  listing: string[];
  /** The staged bytes of the staged paths that are regular files in the index. */
  files: Map<string, Uint8Array>;
  /** Their parse results. */
  prepared: Map<string, PreparedFile>;
  /** Other files that had to be read and parsed because no summary had them. */
  summarised: number;
}

/** Checks the staged files against the staged snapshot of every source file. */
export async function checkStagedSnapshot(options: StagedCheckOptions): Promise<StagedCheck> {
  const { root, env, config, cache } = options;
  const isStaged = new Set(options.staged.map((c) => c.path));
  const diagnostics: Diagnostic[] = [];

  const roots = [...config.roots.workplans, ...config.roots.adr];
  const [entries, known] = await Promise.all([readIndexEntries(root, env, roots), cache.summaries.load()]);
  const sources = entries.filter((e) => classifySourcePath(e.path, config) !== undefined);
  for (const e of sources) {
    if (e.stage !== 0 && isStaged.has(e.path)) {
      diagnostics.push(
        fileDiagnostic(
          e.path,
          'file-unmerged',
          'File has unresolved merge conflicts in the index',
          'Resolve the conflict and `git add` the file.',
        ),
      );
    }
  }
  const regular = sources.filter((e) => e.stage === 0 && (e.mode === '100644' || e.mode === '100755'));
  const stagedEntries = regular.filter((e) => isStaged.has(e.path));
  const others = regular.filter((e) => !isStaged.has(e.path));
  const unknown = others.filter((e) => !known.has(summaryKey(e.oid, e.path)));

  const blobs = await readBlobs(
    root,
    env,
    [...stagedEntries, ...unknown].map((e) => e.oid),
  );
  const toSourceFiles = (list: IndexEntry[], onTooLarge: (e: IndexEntry, size: number) => void): SourceFile[] => {
    const out: SourceFile[] = [];
    for (const e of list) {
      const bytes = blobs.get(e.oid);
      if (!bytes) continue;
      if (bytes.byteLength > config.sync.maxFileBytes) onTooLarge(e, bytes.byteLength);
      else out.push({ path: e.path, kind: classifySourcePath(e.path, config)!, bytes, hash: hashBytes(bytes) });
    }
    return out;
  };
  const stagedFiles = toSourceFiles(stagedEntries, (e, size) =>
    diagnostics.push(
      fileDiagnostic(
        e.path,
        'file-too-large',
        `Staged file is ${size} bytes, over the ${config.sync.maxFileBytes}-byte limit; it was not checked`,
        'Split the file, or raise sync.maxFileBytes in workplan.config.json.',
      ),
    ),
  );
  // Unknown to the summaries: parse them once (in parallel when many), and remember what they hold.
  // A file over the size limit takes no part, as in `workplan check`, which reports it.
  const unknownFiles = toSourceFiles(unknown, () => undefined);
  const all = await prepareWithCache([...stagedFiles, ...unknownFiles], config, cache, options.workers);
  const preparedStaged = all.slice(0, stagedFiles.length);
  const oidOf = new Map(regular.map((e) => [e.path, e.oid]));
  const learned = all.map((p) => ({ oid: oidOf.get(p.path)!, path: p.path, summary: summarizePreparedFile(p) }));
  const recorded = cache.summaries.record(learned);

  // The cross-file rules report on the later of two files sharing an id: the staged files come last,
  // so a staged file that repeats an id of an unchanged one is the one reported. Of the unchanged
  // workplans only those sharing an id, uuid or dependency target with a staged one can change what
  // is reported on a staged file: the rules run on those (in the same order), not on thousands.
  const prepared = new Map<string, PreparedFile>();
  const stagedWorkplans: WorkplanSummary[] = [];
  const stagedAdrs: AdrLinkSubject[] = [];
  for (const p of preparedStaged) {
    prepared.set(p.path, p);
    diagnostics.push(...p.diagnostics);
    if (p.kind === 'workplan' && p.summary) stagedWorkplans.push(p.summary);
    if (p.kind === 'adr' && p.adr) stagedAdrs.push(p.adr);
  }
  const keys = crossFileKeys(stagedWorkplans);
  const workplans: WorkplanSummary[] = [];
  const adrs: AdrLinkSubject[] = [];
  const summaryOf = new Map<string, FileSummary>(learned.map((l) => [l.path, l.summary]));
  for (const e of others) {
    const s = summaryOf.get(e.path) ?? known.get(summaryKey(e.oid, e.path));
    if (s?.kind === 'workplan' && s.workplan && sharesKey(s.workplan, keys)) workplans.push(expandWorkplanSummary(e.path, s.workplan));
    if (s?.kind === 'adr' && s.adrId !== undefined) adrs.push(adrStandIn(e.path, s.adrId));
  }
  workplans.push(...stagedWorkplans);
  adrs.push(...stagedAdrs);
  diagnostics.push(...checkRepository({ workplans, adrs }).filter((d) => isStaged.has(d.path)));
  diagnostics.sort(compareDiagnostics);

  // Keep the summaries file to about the snapshot's size (entries of old blobs pile up with every edit).
  const present = new Set(regular.map((e) => summaryKey(e.oid, e.path)));
  await recorded;
  await cache.summaries.compact((key) => present.has(key));

  const files = new Map<string, Uint8Array>();
  for (const f of stagedFiles) files.set(f.path, f.bytes);
  return { diagnostics, listing: regular.map((e) => e.path), files, prepared, summarised: unknownFiles.length };
}

/** Cached results where there are any; the parser (and its modules) only for the rest. */
async function prepareWithCache(
  files: SourceFile[],
  config: WorkplanConfig,
  cache: PreparedFileCache,
  workers?: number,
): Promise<PreparedFile[]> {
  const cached = await Promise.all(files.map((f) => cache.get(f)));
  const missing = files.filter((_, i) => cached[i] === undefined);
  if (missing.length === 0) return cached as PreparedFile[];
  const { prepareFiles } = await import('./parse-pool.js');
  const fresh = await prepareFiles(missing, config, workers !== undefined ? { workers } : {});
  await Promise.all(fresh.map((p) => cache.set(p)));
  let next = 0;
  return cached.map((c) => c ?? fresh[next++]!);
}
