// The driver adapters log every statement with its parameters into Prisma's debug history (kept for
// crash reports even when debugging is off); a sync's row payloads must not stay alive there. They do
// not reach it at all: the engine's SQL goes to the driver directly (ADR 7). This fails if it is ever
// routed through the Prisma client again.
import { afterAll, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeEachDatabase } from '../support/databases.js';
import { createTempRepo, type TempRepo } from '../support/sync-harness.js';
import { workplanPath, workplanText } from '../reliability/support/corpus.js';

/** The debug module instance the store's Prisma adapter logs through. */
async function adapterDebug(kind: 'embedded' | 'postgres'): Promise<{ getLogs(chars?: number): string }> {
  const adapter = createRequire(import.meta.url).resolve(kind === 'embedded' ? 'pglite-prisma-adapter' : '@prisma/adapter-pg');
  const utils = createRequire(adapter).resolve('@prisma/driver-adapter-utils');
  const debug = createRequire(utils).resolve('@prisma/debug');
  return (await import(pathToFileURL(join(dirname(debug), 'index.mjs')).href)) as { getLogs(chars?: number): string };
}

describeEachDatabase('the drivers’ debug history', (db) => {
  const repos: TempRepo[] = [];
  afterAll(async () => {
    await Promise.all(repos.map((r) => r.dispose()));
  });

  it('does not keep the rows a sync wrote', async () => {
    const store = await db.openStore();
    const debug = await adapterDebug(db.kind);
    const marker = `payload-marker-${Date.now()}`;
    const repo = await createTempRepo({ [workplanPath(1)]: workplanText(1, { tasks: 3, ids: false, title: marker }) });
    repos.push(repo);
    const result = await repo.sync(store);
    expect(result.outcome).toBe('applied');
    // The history is on (the statements are logged: the plain read after the sync shows up in it)…
    await store.prisma.$queryRawUnsafe(`SELECT $1::text AS probe`, `probe-${marker}`);
    expect(debug.getLogs(10_000_000)).toContain(`probe-${marker}`);
    // …but the rows the sync wrote (their titles) are no longer in it.
    const logs = debug.getLogs(10_000_000).replaceAll(`probe-${marker}`, '');
    expect(logs).not.toContain(marker);
  });
});
