// A temporary repository plus a store, for sync tests: files are real, the mirror is real.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_CONFIG, type WorkplanConfig } from '../../src/model/config.js';
import { runSync, type SyncOptions } from '../../src/app/sync.js';
import type { SyncResult } from '../../src/reconcile/sync-result.js';
import { mirrorDatabaseFor } from '../../src/app/open-mirror.js';
import { workingTreeSource } from '../../src/fs/source-files.js';
import type { Store } from '../../src/db/store.js';
import { afterEach } from 'vitest';

export const FIXTURES = new URL('../fixtures/', import.meta.url);

export function readFixture(relPath: string): Promise<string> {
  return readFile(new URL(relPath, FIXTURES), 'utf8');
}

/** A small repository several sync tests share: the seed workplan, a completed one, and an ADR. */
export const SAMPLE = {
  seedPath: 'workplans/CUST-WP-0005-state-hub-v0.5.md',
  cleanPath: 'workplans/DOC-WP-0300-clean.md',
  adrPath: 'adr/ADR-005-use-zod-for-validation.md',
} as const;

/** The sample repository's files, by path. */
export async function readSampleFiles(): Promise<Record<string, string>> {
  return {
    [SAMPLE.seedPath]: await readFixture('workplan/seed/input.md'),
    [SAMPLE.cleanPath]: await readFixture('closure/completed-clean/input.md'),
    [SAMPLE.adrPath]: await readFixture('adr/madr3-frontmatter/ADR-005-use-zod-for-validation.md'),
  };
}

export interface TempRepo {
  root: string;
  slug: string;
  write(relPath: string, content: string | Uint8Array): Promise<void>;
  read(relPath: string): Promise<string>;
  remove(relPath: string): Promise<void>;
  sync(store: Store, options?: Partial<SyncOptions>): Promise<SyncResult>;
  dispose(): Promise<void>;
}

export async function createTempRepo(
  files: Record<string, string | Uint8Array> = {},
  slug = `repo-${randomUUID().slice(0, 8)}`,
): Promise<TempRepo> {
  const root = await mkdtemp(join(tmpdir(), 'wps-repo-'));
  const repo: TempRepo = {
    root,
    slug,
    async write(relPath, content) {
      await mkdir(dirname(join(root, relPath)), { recursive: true });
      await writeFile(join(root, relPath), content);
    },
    read: (relPath) => readFile(join(root, relPath), 'utf8'),
    remove: (relPath) => rm(join(root, relPath), { force: true }),
    sync: (store, options = {}) => syncRepo(root, slug, store, options),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
  for (const [path, content] of Object.entries(files)) await repo.write(path, content);
  return repo;
}

/**
 * Creates temporary repositories for the tests of the enclosing describe block and disposes of them
 * after each test. Call it inside the describe block.
 */
export function tempRepos(): (files?: Record<string, string | Uint8Array>, slug?: string) => Promise<TempRepo> {
  const repos: TempRepo[] = [];
  afterEach(async () => {
    await Promise.all(repos.splice(0).map((r) => r.dispose()));
  });
  return async (files, slug) => {
    const r = await createTempRepo(files, slug);
    repos.push(r);
    return r;
  };
}

export function syncRepo(root: string, slug: string, store: Store, options: Partial<SyncOptions> = {}): Promise<SyncResult> {
  const config: WorkplanConfig = options.config ?? structuredClone(DEFAULT_CONFIG);
  return runSync({
    root,
    config,
    repository: { slug, root },
    source: workingTreeSource(root),
    mirror: mirrorDatabaseFor(store),
    trigger: 'cli',
    newId: randomUUID,
    now: () => new Date(),
    ...options,
  });
}

/** Rows of a table for a repository slug, via raw SQL. */
export async function queryRows<T = Record<string, unknown>>(store: Store, sql: string, ...params: unknown[]): Promise<T[]> {
  return store.prisma.$queryRawUnsafe<T[]>(sql, ...params);
}
