// The `status` use case: what the mirror holds for this repository, read-only.
import type { SqlExecutor } from './sql-executor.js';
import { CLOSED_WORKSTREAM_STATUSES, OPEN_TASK_STATUSES } from '../model/config.js';
import { findRepositoryId, type RepositoryIdentity } from './repository-row.js';

export interface WorkstreamStatus {
  fileId: string;
  title: string;
  status: string;
  domain: string;
  filePath: string;
  tasks: Record<string, number>;
}

export interface MirrorStatus {
  repository: string;
  known: boolean;
  domains: Array<{ slug: string; workstreams: number; tasks: Record<string, number> }>;
  workstreams: WorkstreamStatus[];
  openTasksInClosedWorkstreams: Array<{ workstream: string; task: string; title: string; status: string }>;
  adrs: Record<string, number>;
  lastSync: { at: string; trigger: string; outcome: string; created: number; updated: number; removed: number; drifted: number } | null;
}

export async function readMirrorStatus(db: SqlExecutor, repo: RepositoryIdentity): Promise<MirrorStatus> {
  const empty: MirrorStatus = {
    repository: repo.slug,
    known: false,
    domains: [],
    workstreams: [],
    openTasksInClosedWorkstreams: [],
    adrs: {},
    lastSync: null,
  };
  const repoId = await findRepositoryId(db, repo);
  if (!repoId) return empty;
  const counts = await db.$queryRawUnsafe<
    Array<{ file_id: string; title: string; status: string; domain: string; file_path: string; task_status: string | null; n: number }>
  >(
    `SELECT w.file_id, w.title, w.status, d.slug AS domain, w.file_path, t.status AS task_status, count(t.id)::int AS n
       FROM workstreams w JOIN domains d ON d.id = w.domain_id
       LEFT JOIN tasks t ON t.workstream_id = w.id AND t.removed_at IS NULL
      WHERE w.repository_id = $1::uuid AND w.removed_at IS NULL
      GROUP BY w.file_id, w.title, w.status, d.slug, w.file_path, t.status
      ORDER BY d.slug, w.file_id`,
    repoId,
  );
  const workstreams = new Map<string, WorkstreamStatus>();
  for (const r of counts) {
    let w = workstreams.get(r.file_id);
    if (!w)
      workstreams.set(
        r.file_id,
        (w = { fileId: r.file_id, title: r.title, status: r.status, domain: r.domain, filePath: r.file_path, tasks: {} }),
      );
    if (r.task_status) w.tasks[r.task_status] = Number(r.n);
  }
  const domains = new Map<string, { slug: string; workstreams: number; tasks: Record<string, number> }>();
  for (const w of workstreams.values()) {
    let d = domains.get(w.domain);
    if (!d) domains.set(w.domain, (d = { slug: w.domain, workstreams: 0, tasks: {} }));
    d.workstreams++;
    for (const [s, n] of Object.entries(w.tasks)) d.tasks[s] = (d.tasks[s] ?? 0) + n;
  }
  const open = await db.$queryRawUnsafe<Array<{ workstream: string; task: string; title: string; status: string }>>(
    `SELECT w.file_id AS workstream, t.file_id AS task, t.title, t.status
       FROM tasks t JOIN workstreams w ON w.id = t.workstream_id
      WHERE w.repository_id = $1::uuid AND w.removed_at IS NULL AND t.removed_at IS NULL
        AND w.status = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))
        AND t.status = ANY(ARRAY(SELECT jsonb_array_elements_text($3::jsonb)))
      ORDER BY w.file_id, t.position`,
    repoId,
    JSON.stringify(CLOSED_WORKSTREAM_STATUSES),
    JSON.stringify(OPEN_TASK_STATUSES),
  );
  const adrRows = await db.$queryRawUnsafe<Array<{ status: string; n: number }>>(
    `SELECT coalesce(status, '(no status)') AS status, count(*)::int AS n FROM adrs WHERE repository_id = $1::uuid AND removed_at IS NULL GROUP BY 1 ORDER BY 1`,
    repoId,
  );
  const [last] = await db.$queryRawUnsafe<
    Array<{ at: Date | string; trigger: string; outcome: string; created: number; updated: number; removed: number; drifted: number }>
  >(
    `SELECT finished_at AS at, trigger, outcome, created, updated, removed, drifted FROM sync_runs
      WHERE repository_id = $1::uuid ORDER BY finished_at DESC LIMIT 1`,
    repoId,
  );
  return {
    repository: repo.slug,
    known: true,
    domains: [...domains.values()],
    workstreams: [...workstreams.values()],
    openTasksInClosedWorkstreams: open,
    adrs: Object.fromEntries(adrRows.map((r) => [r.status, Number(r.n)])),
    lastSync: last
      ? {
          ...last,
          at: new Date(last.at).toISOString(),
          created: Number(last.created),
          updated: Number(last.updated),
          removed: Number(last.removed),
          drifted: Number(last.drifted),
        }
      : null,
  };
}
