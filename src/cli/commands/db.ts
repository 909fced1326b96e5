// `workplan db migrate | status`: the mirror's schema migrations.
import { migrateDatabase, readMigrationStatus } from '../../db/migrate.js';
import { openStore } from '../../db/store.js';
import { openWorkspace, embeddedDirFor } from '../../app/workspace.js';
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../main.js';
import { reportConfigErrors } from './check.js';
import { withStoreClosedOnSignals } from '../signals.js';

export async function runDbCommand(ctx: CliContext): Promise<number> {
  const [sub] = ctx.positionals;
  if (sub !== 'migrate' && sub !== 'status') {
    ctx.out.error(`workplan db: expected "migrate" or "status"${sub ? `, got "${sub}"` : ''}`);
    return EXIT.usage;
  }
  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (!ws.config) return reportConfigErrors(ctx, ws.configDiagnostics);
  const config = ws.config;
  const url = ctx.env[config.database.urlEnv];
  const store = await openStore({
    ...(url ? { databaseUrl: url, databaseUrlSource: config.database.urlEnv } : {}),
    embeddedDir: embeddedDirFor({ root: ws.root, config }),
    root: ws.root,
    migrate: false,
    onWait: (m) => ctx.out.error(m),
    onProgress: (m) => ctx.out.progress(m),
  });
  return withStoreClosedOnSignals(store, async () => {
    if (sub === 'migrate') {
      const { applied } = await migrateDatabase(store, undefined, { onWait: (m) => ctx.out.error(m) });
      if (ctx.values.json) ctx.out.print(JSON.stringify({ version: 1, store: store.describe, applied }, null, 2));
      else if (applied.length === 0) ctx.out.print(`${store.describe}: already up to date.`);
      else {
        ctx.out.print(`${store.describe}: applied ${applied.length} migration(s):`);
        for (const name of applied) ctx.out.print(`  ${name}`);
      }
      return EXIT.ok;
    }
    const status = await readMigrationStatus(store);
    if (ctx.values.json) {
      ctx.out.print(JSON.stringify({ version: 1, store: store.describe, ...status }, null, 2));
    } else {
      ctx.out.print(`${store.describe}`);
      for (const a of status.applied) ctx.out.print(`  applied  ${a.name}  ${new Date(a.finishedAt).toISOString()}`);
      for (const name of status.pending) ctx.out.print(`  pending  ${name}`);
      for (const name of status.failed) ctx.out.print(`  failed   ${name}`);
      for (const name of status.modified) ctx.out.print(`  modified ${name} (changed since it was applied)`);
      for (const name of status.unknown) ctx.out.print(`  unknown  ${name} (applied, not in this version's migrations)`);
      ctx.out.print(
        status.pending.length + status.failed.length === 0
          ? 'Up to date.'
          : `${status.pending.length + status.failed.length} migration(s) to apply: run "workplan db migrate".`,
      );
    }
    return EXIT.ok;
  });
}
