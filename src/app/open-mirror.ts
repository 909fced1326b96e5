// Opening the mirror a workspace uses: Postgres when the configured URL variable is set, else the
// embedded store inside the repository (adr/ADR-002). Migrations are applied on first use.
import type { WorkplanConfig } from '../model/config.js';
import { openStore, type Store } from '../db/store.js';
import { withRepositoryLock } from '../db/advisory-lock.js';
import type { MirrorDatabase } from './sync.js';
import { embeddedDirFor } from './workspace.js';

export interface OpenMirror {
  store: Store;
  mirror: MirrorDatabase;
  close(): Promise<void>;
}

export async function openMirror(
  workspace: { root: string; config: WorkplanConfig },
  env: NodeJS.ProcessEnv,
  options: { onWait?: (message: string) => void; waitForLockMs?: number } = {},
): Promise<OpenMirror> {
  const url = env[workspace.config.database.urlEnv];
  const store = await openStore({
    ...(url ? { databaseUrl: url } : {}),
    embeddedDir: embeddedDirFor(workspace),
    ...(options.onWait ? { onWait: options.onWait } : {}),
    ...(options.waitForLockMs !== undefined ? { waitForLockMs: options.waitForLockMs } : {}),
  });
  return { store, mirror: mirrorDatabaseFor(store, options), close: () => store.close() };
}

/** The sync's view of a store: raw SQL, and transactions under the repository's advisory lock. */
export function mirrorDatabaseFor(store: Store, options: { onWait?: (message: string) => void } = {}): MirrorDatabase {
  return {
    db: store.prisma as unknown as MirrorDatabase['db'],
    withRepositoryLock: (key, fn) =>
      withRepositoryLock(store.prisma, key, (tx) => fn(tx as unknown as MirrorDatabase['db']), {
        // A cold sync of a large repository writes tens of thousands of rows in this transaction.
        timeoutMs: 10 * 60_000,
        ...(options.onWait ? { onWait: options.onWait } : {}),
      }),
  };
}
