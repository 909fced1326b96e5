// `workplan db migrate | status`: the mirror's schema migrations, and whether the live schema is what
// they make (schema-check.ts).
import { migrateDatabase, readMigrationStatus, type QueryFn } from '../../db/migrate.js';
import { compareSchemaWithMigrations, isSchemaKnownRight, recordSchemaFingerprint, verifySchema } from '../../db/schema-check.js';
import { openStore, type Store } from '../../db/store.js';
import { openWorkspace, embeddedDirFor } from '../../app/workspace.js';
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { reportConfigErrors } from '../report-config-errors.js';
import { withStoreClosedOnSignals } from '../signals.js';
import { resolveDatabaseUrl } from '../../db/connection-url.js';

export async function runDbCommand(ctx: CliContext): Promise<number> {
  const [sub] = ctx.positionals;
  if (sub !== 'migrate' && sub !== 'status') {
    ctx.out.error(`workplan db: expected "migrate" or "status"${sub ? `, got "${sub}"` : ''}`);
    return EXIT.usage;
  }
  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (!ws.config) return reportConfigErrors(ctx, ws.configDiagnostics);
  const config = ws.config;
  const url = resolveDatabaseUrl(config, ctx.env);
  const store = await openStore({
    ...(url ? { databaseUrl: url, databaseUrlSource: config.database.urlEnv } : {}),
    embeddedDir: embeddedDirFor({ root: ws.root, config }),
    root: ws.root,
    migrate: false,
    onWait: (m) => ctx.out.error(m),
    onProgress: (m) => ctx.out.progress(m),
  });
  const query = queryOf(store);
  return withStoreClosedOnSignals(store, async () => {
    if (sub === 'migrate') {
      const knownRight = await isSchemaKnownRight(query);
      const { applied } = await migrateDatabase(store, undefined, { onWait: (m) => ctx.out.error(m) });
      // A schema changed by hand is named (SCHEMA_MISMATCH, exit 9) after the migrations, which it does not stop.
      if (knownRight) await recordSchemaFingerprint(query);
      else await verifySchema(store.migrationTarget, query, store.describe);
      if (ctx.values.json) ctx.out.print(JSON.stringify({ version: 1, store: store.describe, applied }, null, 2));
      else if (applied.length === 0) ctx.out.print(`${store.describe}: already up to date.`);
      else {
        ctx.out.print(`${store.describe}: applied ${applied.length} migration(s):`);
        for (const name of applied) ctx.out.print(`  ${name}`);
      }
      return EXIT.ok;
    }
    const status = await readMigrationStatus(store);
    // The live schema is compared once every migration is applied (before, the pending ones differ).
    const upToDate = status.pending.length + status.failed.length === 0;
    const differences = upToDate ? await compareSchemaWithMigrations(store.migrationTarget, query) : [];
    if (ctx.values.json) {
      ctx.out.print(JSON.stringify({ version: 1, store: store.describe, ...status, schemaDifferences: differences }, null, 2));
    } else {
      ctx.out.print(`${store.describe}`);
      for (const a of status.applied) ctx.out.print(`  applied  ${a.name}  ${new Date(a.finishedAt).toISOString()}`);
      for (const name of status.pending) ctx.out.print(`  pending  ${name}`);
      for (const name of status.failed) ctx.out.print(`  failed   ${name}`);
      for (const name of status.modified) ctx.out.print(`  modified ${name} (changed since it was applied)`);
      for (const name of status.unknown) ctx.out.print(`  unknown  ${name} (applied, not in this version's migrations)`);
      for (const d of differences) ctx.out.print(`  differs  ${d}`);
      ctx.out.print(
        !upToDate
          ? `${status.pending.length + status.failed.length} migration(s) to apply: run "workplan db migrate".`
          : differences.length === 0
            ? 'Up to date.'
            : `The schema differs from what the migrations make (${differences.length} difference(s)); workplan-sync refuses to change this mirror until it is restored.`,
      );
    }
    return differences.length > 0 ? EXIT.schema : EXIT.ok;
  });
}

/** Raw queries on the store's own connection. */
function queryOf(store: Store): QueryFn {
  return <Row>(sql: string, params: unknown[] = []) => store.sql.db.$queryRawUnsafe<Row[]>(sql, ...params) as Promise<Row[]>;
}
