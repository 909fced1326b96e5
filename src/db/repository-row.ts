// The repository's own row in a shared mirror: every other row is scoped by its id, so syncing
// repository A never touches repository B's rows.
import type { SqlExecutor } from './sql-executor.js';

export interface RepositoryIdentity {
  /** Stable name of the repository in the mirror (config `repository.slug`, git remote, or folder name). */
  slug: string;
  /** Absolute path of the working tree. */
  root: string;
  /** Remote URL with any credentials removed. */
  remoteUrl?: string;
  /** HEAD commit at sync time. */
  gitCommit?: string;
}

/** The repository's id, or undefined when the mirror has never seen it. Never writes. */
export async function findRepositoryId(db: SqlExecutor, repo: RepositoryIdentity): Promise<string | undefined> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id::text AS id FROM repositories WHERE slug = $1`, repo.slug);
  return rows[0]?.id;
}

/**
 * The repository's id and sync generation, and where it was last synced from (root, remote), or
 * undefined when the mirror has never seen it. Never writes.
 */
export async function findRepository(
  db: SqlExecutor,
  repo: RepositoryIdentity,
): Promise<{ id: string; generation: number; root: string; remoteUrl: string | undefined } | undefined> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string; generation: number; root: string; remote_url: string | null }>>(
    `SELECT id::text AS id, sync_generation AS generation, root, remote_url FROM repositories WHERE slug = $1`,
    repo.slug,
  );
  const row = rows[0];
  return row ? { id: row.id, generation: Number(row.generation), root: row.root, remoteUrl: row.remote_url ?? undefined } : undefined;
}

/** The repository's id and sync generation, creating or refreshing its row only when something about it changed. */
export async function ensureRepositoryRow(
  db: SqlExecutor,
  repo: RepositoryIdentity,
  newId: () => string,
): Promise<{ id: string; generation: number }> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string; root: string; remote_url: string | null; generation: number }>>(
    `SELECT id::text AS id, root, remote_url, sync_generation AS generation FROM repositories WHERE slug = $1`,
    repo.slug,
  );
  const row = rows[0];
  if (row && row.root === repo.root && (row.remote_url ?? undefined) === repo.remoteUrl)
    return { id: row.id, generation: Number(row.generation) };
  const [upserted] = await db.$queryRawUnsafe<Array<{ id: string; generation: number }>>(
    `INSERT INTO repositories (id, slug, root, remote_url, created_at, updated_at)
     VALUES ($1::uuid, $2, $3, $4, now(), now())
     ON CONFLICT (slug) DO UPDATE SET root = EXCLUDED.root, remote_url = EXCLUDED.remote_url, updated_at = now()
     RETURNING id::text AS id, sync_generation AS generation`,
    newId(),
    repo.slug,
    repo.root,
    repo.remoteUrl ?? null,
  );
  return { id: upserted!.id, generation: Number(upserted!.generation) };
}
