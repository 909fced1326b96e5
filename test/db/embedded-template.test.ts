// A new embedded store is a copy of a migrated template made once per installation (adr/0013). The
// copy must be indistinguishable from a store made by initdb and the migrations: the full schema
// comparison (the wasm engine's replay) finds nothing, nothing is pending, the files are private, and
// a copy changed by hand is still refused as SCHEMA_MISMATCH. A template is never used for another
// schema, and two processes making one at once both end with a whole one.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEmbeddedTemplate, makeEmbeddedTemplate, templateKey, type TemplateCache } from '../../src/db/embedded-template.js';
import { DEFAULT_MIGRATIONS_DIR, readMigrationFiles, readMigrationStatus, type QueryFn } from '../../src/db/migrate.js';
import { compareSchemaWithMigrations } from '../../src/db/schema-check.js';
import { copyEmbeddedDataDir } from '../../src/db/create-embedded-dir.js';
import { makeEmbeddedTemplateHere, openStore, type Store } from '../../src/db/store.js';
import { isSyncError } from '../../src/model/errors.js';

const queryOf =
  (store: Store): QueryFn =>
  <Row>(sql: string, params: unknown[] = []) =>
    store.sql.db.$queryRawUnsafe<Row[]>(sql, ...params) as Promise<Row[]>;

let scratch: string;
let cache: TemplateCache;
let template: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'wps-template-'));
  cache = { dir: join(scratch, 'cache'), shared: false };
  template = (await makeEmbeddedTemplateHere([cache]))!;
}, 300_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Opens a new store inside a repository at `scratch/<name>`, from the test's template cache. */
const openNew = async (name: string) => {
  await mkdir(join(scratch, name), { recursive: true });
  return openStore({
    embeddedDir: join(scratch, name, '.workplan', 'db'),
    root: join(scratch, name),
    templateCaches: [cache],
    prismaClient: false,
  });
};

describe('the embedded store template', () => {
  it('is made whole: a migrated data directory, private, with its schema fingerprint recorded', async () => {
    expect(existsSync(join(template, 'PG_VERSION'))).toBe(true);
    expect((await readdir(cache.dir)).filter((n) => n.startsWith('.creating-'))).toEqual([]);
    expect((await stat(template)).mode & 0o777).toBe(0o700);
  });

  it("gives a store the full schema comparison finds identical to the migrations', with nothing pending", async () => {
    const store = await openNew('compare');
    try {
      expect(await compareSchemaWithMigrations(store.migrationTarget, queryOf(store))).toEqual([]);
      const status = await readMigrationStatus(store);
      expect(status.pending).toEqual([]);
      expect(status.failed).toEqual([]);
      expect(status.applied.map((m) => m.name)).toEqual((await readMigrationFiles()).map((m) => m.name));
    } finally {
      await store.close();
    }
  }, 300_000);

  it('gives a private copy: the data directory 0700, every directory in it 0700 and every file 0600', async () => {
    const dir = join(scratch, 'modes', '.workplan', 'db');
    await mkdir(join(scratch, 'modes', '.workplan'), { recursive: true });
    await copyEmbeddedDataDir(template, dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    expect(entries.length).toBeGreaterThan(100);
    for (const e of entries) {
      const mode = (await stat(join(e.parentPath, e.name))).mode & 0o777;
      expect(mode, join(e.parentPath, e.name)).toBe(e.isDirectory() ? 0o700 : 0o600);
    }
    expect((await readdir(join(scratch, 'modes', '.workplan'))).sort()).toEqual(['db']);
  });

  it('still refuses a copy whose schema was changed by hand (SCHEMA_MISMATCH)', async () => {
    const store = await openNew('changed');
    await store.sql.db.$executeRawUnsafe('ALTER TABLE tasks DROP COLUMN priority');
    await store.close();
    const refused = await openNew('changed').then(
      (s) => s.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(isSyncError(refused, 'SCHEMA_MISMATCH')).toBe(true);
    expect(String((refused as Error).message)).toMatch(/tasks: removed column `priority`/);
  }, 300_000);

  it('is keyed by every migration: one added or edited is another template', async () => {
    const files = await readMigrationFiles();
    const key = templateKey(files);
    expect(templateKey(files)).toBe(key);
    expect(templateKey([...files, { name: '29990101000000_later', sql: 'SELECT 1;', checksum: 'f'.repeat(64) }])).not.toBe(key);
    expect(templateKey(files.map((f, i) => (i === 0 ? { ...f, checksum: '0'.repeat(64) } : f)))).not.toBe(key);
    expect(await findEmbeddedTemplate(templateKey(files.slice(1)), [cache])).toBeUndefined();
  });

  it('is not used for other migrations: that store is created and migrated in place', async () => {
    // The shipped migrations and one more: a store made from the template would lack its table.
    const migrationsDir = join(scratch, 'other-migrations');
    await cp(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
    await mkdir(join(migrationsDir, '29990101000000_extra'), { recursive: true });
    await writeFile(join(migrationsDir, '29990101000000_extra', 'migration.sql'), 'CREATE TABLE only_this (id int);\n');
    await mkdir(join(scratch, 'other'), { recursive: true });
    const store = await openStore({
      embeddedDir: join(scratch, 'other', '.workplan', 'db'),
      root: join(scratch, 'other'),
      templateCaches: [cache],
      migrationsDir,
      prismaClient: false,
    });
    try {
      const tables = await queryOf(store)<{ name: string }>(
        "SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace ORDER BY 1",
      );
      expect(tables.map((t) => t.name)).toContain('only_this');
      expect((await readMigrationStatus({ migrationTarget: store.migrationTarget }, migrationsDir)).pending).toEqual([]);
    } finally {
      await store.close();
    }
  }, 300_000);

  it('made by two processes at once: both get the same whole template, no attempt is left behind', async () => {
    const shared: TemplateCache = { dir: join(scratch, 'race'), shared: true };
    const initialise = async (dataDir: string) => {
      await mkdir(dataDir, { recursive: true });
      await new Promise((r) => setTimeout(r, 50));
      await writeFile(join(dataDir, 'PG_VERSION'), '17\n');
    };
    const [a, b] = await Promise.all([
      makeEmbeddedTemplate('0123456789abcdef', [shared], initialise),
      makeEmbeddedTemplate('0123456789abcdef', [shared], initialise),
    ]);
    expect(a).toBe(join(shared.dir, '0123456789abcdef', 'data'));
    expect(b).toBe(a);
    expect(await readdir(shared.dir)).toEqual(['0123456789abcdef']);
  });
});
