// A temporary repository of plans (test/fixtures/plans/ by default) pointed at a suite's database, for
// the query and edit tests: sessions and the CLI run in this process, and the mirror can be inspected
// with SQL. Postgres: the repositories of a suite share its database. Embedded: each repository has its
// own store in `.workplan/db` (the embedded store lives inside the repository it mirrors).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openPlanSession, type PlanSession, type PlanSessionOptions } from '../../src/index.js';
import { main } from '../../src/cli/main.js';
import { createRecordingOutput } from '../../src/cli/output.js';
import type { Store } from '../../src/db/store.js';
import { copyEmptyPGliteDir, type DatabaseTarget } from './databases.js';
import { createTempRepo, FIXTURES, type TempRepo } from './sync-harness.js';

/** The files of a fixture directory (default `plans`), by repository-relative path. */
export function readFixtureRepository(name = 'plans'): Record<string, string> {
  const root = new URL(`${name}/`, FIXTURES).pathname;
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry !== 'README.md') files[path.relative(root, full).split(path.sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

export interface PlanRepo {
  repo: TempRepo;
  slug: string;
  env: NodeJS.ProcessEnv;
  /** A session over the repository (closed after the test). */
  session(options?: Partial<PlanSessionOptions>): Promise<PlanSession>;
  /** `workplan <args> --root <repo>` in this process. */
  cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A query on the suite's database (the embedded store is closed again afterwards). */
  sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]>;
}

/** Creates plan repositories for the tests of the enclosing describe block; disposes of them after each test. */
export function planRepos(db: DatabaseTarget): (files?: Record<string, string>, slug?: string) => Promise<PlanRepo> {
  const repos: TempRepo[] = [];
  const sessions: PlanSession[] = [];
  let postgres: Promise<Store> | undefined;
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
    await Promise.all(repos.splice(0).map((r) => r.dispose()));
  });
  return async (files = readFixtureRepository(), slug = `plans-${randomUUID().slice(0, 8)}`) => {
    const repo = await createTempRepo(files, slug);
    repos.push(repo);
    const env: NodeJS.ProcessEnv = { WORKPLAN_REPOSITORY_SLUG: slug, ...(db.url ? { DATABASE_URL: db.url } : {}) };
    const embeddedDir = path.join(repo.root, '.workplan', 'db');
    if (db.kind === 'embedded') await copyEmptyPGliteDir(embeddedDir);
    return {
      repo,
      slug,
      env,
      async session(options = {}) {
        const opened = await openPlanSession({ cwd: repo.root, root: repo.root, env, ...options });
        if (opened.kind !== 'ready') throw new Error(`configuration errors: ${JSON.stringify(opened.diagnostics)}`);
        sessions.push(opened.session);
        return opened.session;
      },
      async cli(...args) {
        const out = createRecordingOutput();
        const code = await main([...args, '--root', repo.root], { cwd: repo.root, env, out });
        return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
      },
      async sql<T>(query: string, ...params: unknown[]) {
        // Postgres: one store for the suite. Embedded: the repository's store, this process's only while it is open.
        const store = await (db.kind === 'postgres' ? (postgres ??= db.openStore()) : db.openStore({ embeddedDir }));
        try {
          return await store.sql.db.$queryRawUnsafe<T[]>(query, ...params);
        } finally {
          if (db.kind === 'embedded') await store.close();
        }
      },
    };
  };
}
