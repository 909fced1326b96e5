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
  const db = store.prisma as unknown as MirrorDatabase['db'];
  return {
    store,
    mirror: {
      db,
      withRepositoryLock: (key, fn) =>
        withRepositoryLock(store.prisma, key, (tx) => fn(tx as unknown as MirrorDatabase['db'])),
    },
    close: () => store.close(),
  };
}
