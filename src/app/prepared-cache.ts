// A content-addressed cache of prepared files (diagnostics, desired rows, cross-file summaries) in
// `.workplan/cache/`, so `check` and the pre-commit hook do not re-parse files that have not changed
// since any command last parsed them. Keyed by path, content hash, configuration and cache schema, so
// a hit is always the result the parser would give now; a missing or unreadable entry is a miss.
// Safe to delete at any time.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { WorkplanConfig } from '../model/config.js';
import type { PreparedFile } from './prepare-file.js';

/** Bump when PreparedFile or the parser's output changes shape or meaning. */
const CACHE_SCHEMA = 1;
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export interface PreparedCache {
  get(file: { path: string; kind: string; hash: string }): Promise<PreparedFile | undefined>;
  set(file: PreparedFile): Promise<void>;
}

export function openPreparedCache(dir: string, config: WorkplanConfig): PreparedCache {
  const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex');
  const keyOf = (path: string, kind: string, hash: string) =>
    createHash('sha256').update(`${CACHE_SCHEMA}\0${VERSION}\0${configHash}\0${kind}\0${path}\0${hash}`).digest('hex');
  const fileOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  return {
    async get(file) {
      try {
        const cached = JSON.parse(await readFile(fileOf(keyOf(file.path, file.kind, file.hash)), 'utf8')) as PreparedFile;
        return cached.path === file.path && cached.hash === file.hash ? cached : undefined;
      } catch {
        return undefined;
      }
    },
    async set(prepared) {
      const target = fileOf(keyOf(prepared.path, prepared.kind, prepared.hash));
      try {
        await mkdir(dirname(target), { recursive: true });
        const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(temp, JSON.stringify(prepared));
        await rename(temp, target);
      } catch {
        // A cache that cannot be written only costs a re-parse next time.
      }
    },
  };
}
