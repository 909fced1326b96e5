// A content-addressed cache of prepared files (diagnostics, desired rows, cross-file summaries) in
// `.workplan/cache/`, so `check` and the pre-commit hook do not re-parse files that have not changed
// since any command last parsed them. Keyed by path, content hash, configuration and cache schema, so
// a hit is always the result the parser would give now; a missing or unreadable entry is a miss.
// Beside it, the compact cross-file summaries by git blob id (file-summaries.ts), recorded for every
// file parsed here and for every text a sync writes ids into. Safe to delete at any time.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { WorkplanConfig } from '../model/config.js';
import { gitBlobHash } from '../model/content-hash.js';
import type { PreparedFile } from '../reconcile/prepare-file.js';
import { deriveWrittenSummary, openFileSummaryStore, summarizePreparedFile, type FileSummaryStore } from './file-summaries.js';

/** Bump when PreparedFile or the parser's output changes shape or meaning. */
const CACHE_SCHEMA = 2;
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export interface PreparedCache {
  /** `bytes`, when given, let `set` record the file's cross-file summary under its git blob id too. */
  get(file: { path: string; kind: string; hash: string; bytes?: Uint8Array }): Promise<PreparedFile | undefined>;
  set(file: PreparedFile): Promise<void>;
  /**
   * After a sync wrote `prepared`'s pending ids into its file as `writtenText`: records the summary of
   * that text (derived, not parsed), so the next hook run need not parse the file. Never throws.
   */
  recordWriteBack?(prepared: PreparedFile, writtenText: string): Promise<void>;
}

/** The cache on disk, with the cross-file summaries by git blob id beside it. */
export interface PreparedFileCache extends PreparedCache {
  recordWriteBack(prepared: PreparedFile, writtenText: string): Promise<void>;
  readonly summaries: FileSummaryStore;
}

export function openPreparedCache(dir: string, config: WorkplanConfig): PreparedFileCache {
  const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex');
  const keyOf = (path: string, kind: string, hash: string) =>
    createHash('sha256').update(`${CACHE_SCHEMA}\0${VERSION}\0${configHash}\0${kind}\0${path}\0${hash}`).digest('hex');
  const fileOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  const summaries = openFileSummaryStore(dir, createHash('sha256').update(`${CACHE_SCHEMA}\0${VERSION}\0${configHash}`).digest('hex'));
  // The bytes of files asked for and not found, until their parse result is stored (then their blob id is computed).
  const missedBytes = new Map<string, Uint8Array>();
  return {
    summaries,
    async get(file) {
      try {
        const cached = JSON.parse(await readFile(fileOf(keyOf(file.path, file.kind, file.hash)), 'utf8')) as PreparedFile;
        if (cached.path === file.path && cached.hash === file.hash) return cached;
      } catch {
        // A miss.
      }
      if (file.bytes) missedBytes.set(`${file.path}\0${file.hash}`, file.bytes);
      return undefined;
    },
    async set(prepared) {
      const target = fileOf(keyOf(prepared.path, prepared.kind, prepared.hash));
      const bytes = missedBytes.get(`${prepared.path}\0${prepared.hash}`);
      missedBytes.delete(`${prepared.path}\0${prepared.hash}`);
      const recorded = bytes
        ? summaries.record([{ oid: gitBlobHash(bytes), path: prepared.path, summary: summarizePreparedFile(prepared) }])
        : undefined;
      try {
        await mkdir(dirname(target), { recursive: true });
        const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(temp, JSON.stringify(prepared));
        await rename(temp, target);
      } catch {
        // A cache that cannot be written only costs a re-parse next time.
      }
      await recorded;
    },
    async recordWriteBack(prepared, writtenText) {
      const summary = deriveWrittenSummary(prepared, writtenText);
      if (summary) await summaries.record([{ oid: gitBlobHash(Buffer.from(writtenText, 'utf8')), path: prepared.path, summary }]);
    },
  };
}
