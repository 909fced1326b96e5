// Shared by the close / cleanup integration tests: a temp repository holding fixture workplans, the
// mirror of a test database as the use cases take it, and snapshots that prove "nothing changed".
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { withRepositoryLock } from '../../../src/db/advisory-lock.js';
import type { SqlExecutor } from '../../../src/db/sql-executor.js';
import type { Store } from '../../../src/db/store.js';
import { DEFAULT_CONFIG } from '../../../src/model/config.js';
import type { MirrorDatabase, SyncOptions } from '../../../src/app/sync.js';
import { workingTreeSource } from '../../../src/fs/source-files.js';
import type { RepositoryIdentity } from '../../../src/db/repository-row.js';
import { createTempRepo, type TempRepo } from '../../fs/support/temp-repo.js';

export const CLOSURE_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'closure');
export const SEED = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'workplan', 'seed', 'input.md');

/** A fixture's Markdown (test/fixtures/closure/<name>/input.md). */
export function readClosureFixture(name: string): string {
  return readFileSync(join(CLOSURE_FIXTURES, name, 'input.md'), 'utf8');
}

/** The use cases' view of a store: raw SQL plus the repository lock. */
export function mirrorOf(store: Store): MirrorDatabase {
  return {
    db: store.sql.db,
    withRepositoryLock: (key, fn) => withRepositoryLock(store.sql, key, fn),
  };
}

export interface Workspace {
  repo: TempRepo;
  repository: RepositoryIdentity;
  /** Options every use case needs (root, config, repository, clock and ids). */
  base: Pick<SyncOptions, 'root' | 'config' | 'repository' | 'newId' | 'now'>;
  read(rel: string): Promise<string>;
}

/** A temp repository with the given files, known to the mirror under a unique slug. */
export async function createWorkspace(files: Record<string, string>): Promise<Workspace> {
  const repo = await createTempRepo('wps-closure-');
  for (const [rel, text] of Object.entries(files)) await repo.write(rel, text);
  const repository: RepositoryIdentity = { slug: `test/${randomUUID()}`, root: repo.root };
  return {
    repo,
    repository,
    base: { root: repo.root, config: DEFAULT_CONFIG, repository, newId: randomUUID, now: () => new Date() },
    read: (rel) => readFile(repo.abs(rel), 'utf8'),
  };
}

/** Sync options for a plain `runSync` of the workspace. */
export function syncOptions(ws: Workspace, mirror: MirrorDatabase): SyncOptions {
  return { ...ws.base, source: workingTreeSource(ws.repo.root), mirror, trigger: 'cli' };
}

export async function repositoryIdOf(db: SqlExecutor, ws: Workspace): Promise<string> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT id::text AS id FROM repositories WHERE slug = $1`,
    ws.repository.slug,
  );
  if (!rows[0]) throw new Error(`repository ${ws.repository.slug} is not in the mirror`);
  return rows[0].id;
}

export interface TaskRow {
  id: string;
  workstream: string;
  file_id: string;
  status: string;
  removed: boolean;
  drifted: boolean;
  updated_at: string;
}

/** Every task row of the workspace's repository (removed ones too), with its drift flag. */
export async function readTaskRows(db: SqlExecutor, ws: Workspace): Promise<TaskRow[]> {
  const { taskFingerprintSql } = await import('../../../src/db/fingerprint-sql.js');
  const rows = await db.$queryRawUnsafe<TaskRow[]>(
    `SELECT t.id::text AS id, w.file_id AS workstream, t.file_id, t.status, t.removed_at IS NOT NULL AS removed,
            t.sync_fingerprint <> ${taskFingerprintSql('t')} AS drifted, t.updated_at::text AS updated_at
       FROM tasks t JOIN workstreams w ON w.id = t.workstream_id JOIN repositories r ON r.id = w.repository_id
      WHERE r.slug = $1 ORDER BY w.file_id, t.position, t.file_id`,
    ws.repository.slug,
  );
  return rows;
}

/**
 * Everything a command could change in the mirror for this repository (workstreams, tasks, closure
 * reviews, sync runs and, unless `events: false`, events), as comparable text.
 */
export async function snapshotMirror(db: SqlExecutor, ws: Workspace, options: { events?: boolean } = {}): Promise<string> {
  const events =
    options.events === false
      ? `'-'`
      : `(SELECT coalesce(json_agg(x ORDER BY x.id), '[]') FROM (SELECT e.* FROM events e JOIN repositories r ON r.id = e.repository_id WHERE r.slug = $1) x)::text`;
  const rows = await db.$queryRawUnsafe<Array<{ t: string }>>(
    `SELECT (SELECT coalesce(json_agg(x ORDER BY x.id), '[]') FROM (SELECT w.* FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1) x)::text
         || (SELECT coalesce(json_agg(x ORDER BY x.id), '[]') FROM (SELECT t.* FROM tasks t JOIN repositories r ON r.id = t.repository_id WHERE r.slug = $1) x)::text
         || (SELECT coalesce(json_agg(x ORDER BY x.workstream_id, x.position), '[]') FROM (SELECT c.* FROM closure_reviews c JOIN workstreams w ON w.id = c.workstream_id JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1) x)::text
         || ${events}
         || (SELECT count(*) FROM sync_runs s JOIN repositories r ON r.id = s.repository_id WHERE r.slug = $1)::text AS t`,
    ws.repository.slug,
  );
  return rows[0]!.t;
}

export interface EventRow {
  kind: string;
  summary: string;
  payload: {
    totals: Record<string, number>;
    workstreams: Array<{
      workstream: string;
      tasksCancelledInFile: number;
      rowsCancelledInMirror: number;
      restoredFromFile: number;
      alreadyConsistent: number;
    }>;
  };
}

export async function readEvents(db: SqlExecutor, ws: Workspace): Promise<EventRow[]> {
  const rows = await db.$queryRawUnsafe<Array<{ kind: string; summary: string; payload: unknown }>>(
    `SELECT e.kind, e.summary, e.payload FROM events e JOIN repositories r ON r.id = e.repository_id
      WHERE r.slug = $1 ORDER BY e.created_at, e.id`,
    ws.repository.slug,
  );
  return rows.map((r) => ({ ...r, payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as EventRow['payload'] }));
}

/** Runs git in a directory (tests only; throws on failure). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `git init` with a local identity, so commits work on any machine. */
export function initGitRepo(root: string): void {
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.name', 'Test');
  git(root, 'config', 'user.email', 'test@example.invalid');
  git(root, 'config', 'commit.gpgsign', 'false');
}
