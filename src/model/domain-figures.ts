// Per-domain figures from grouped counts, and sorting and paging of the small lists (domains,
// repositories) that are assembled in memory rather than paged by the database. Pure.
import type { DomainView, RepositoryView } from './plan-views.js';

/** One grouped count, as the mirror returns it (src/db/domain-queries.ts). */
export interface DomainCount {
  domain: string;
  name: string;
  domainStatus: string;
  metric: 'workstream' | 'blocked-workstream' | 'task' | 'stale-task' | 'adr' | 'repository';
  key: string;
  n: number;
}

/** The order counts by status are listed in: each vocabulary's order, then any other status by name. */
export interface StatusOrders {
  workstream: readonly string[];
  task: readonly string[];
  adr: readonly string[];
}

/** The domains' views, from their grouped counts. `openStatuses` are the task statuses counted as open. */
export function assembleDomainViews(counts: readonly DomainCount[], openStatuses: readonly string[], orders?: StatusOrders): DomainView[] {
  const open = new Set(openStatuses);
  const byDomain = new Map<string, DomainView>();
  for (const c of counts) {
    let d = byDomain.get(c.domain);
    if (!d) {
      d = {
        slug: c.domain,
        name: c.name,
        status: c.domainStatus,
        repositories: [],
        workstreams: { total: 0, byStatus: {}, blocked: 0 },
        tasks: { total: 0, open: 0, stale: 0, byStatus: {} },
        adrs: { total: 0, byStatus: {} },
      };
      byDomain.set(c.domain, d);
    }
    switch (c.metric) {
      case 'workstream':
        d.workstreams.total += c.n;
        d.workstreams.byStatus[c.key] = (d.workstreams.byStatus[c.key] ?? 0) + c.n;
        break;
      case 'blocked-workstream':
        d.workstreams.blocked += c.n;
        break;
      case 'repository':
        if (!d.repositories.includes(c.key)) d.repositories.push(c.key);
        break;
      case 'task':
        d.tasks.total += c.n;
        d.tasks.byStatus[c.key] = (d.tasks.byStatus[c.key] ?? 0) + c.n;
        if (open.has(c.key)) d.tasks.open += c.n;
        break;
      case 'stale-task':
        d.tasks.stale += c.n;
        break;
      case 'adr':
        d.adrs.total += c.n;
        d.adrs.byStatus[c.key] = (d.adrs.byStatus[c.key] ?? 0) + c.n;
        break;
    }
  }
  for (const d of byDomain.values()) {
    d.repositories.sort();
    if (!orders) continue;
    d.workstreams.byStatus = ordered(d.workstreams.byStatus, orders.workstream);
    d.tasks.byStatus = ordered(d.tasks.byStatus, orders.task);
    d.adrs.byStatus = ordered(d.adrs.byStatus, orders.adr);
  }
  return [...byDomain.values()];
}

function ordered(counts: Record<string, number>, order: readonly string[]): Record<string, number> {
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)));
}

/** A page of `items` sorted by `key` (ties by `tieBreak`), and the total before paging. */
export function sortAndPage<T>(
  items: readonly T[],
  key: (item: T) => string | number,
  tieBreak: (item: T) => string,
  page: { order: 'asc' | 'desc'; limit: number; offset: number },
): { items: T[]; total: number } {
  const direction = page.order === 'desc' ? -1 : 1;
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...items].sort((a, b) => direction * compare(key(a), key(b)) || compare(tieBreak(a), tieBreak(b)));
  return { items: sorted.slice(page.offset, page.offset + page.limit), total: items.length };
}

/** The sort key of a domain for a DOMAIN_SORT_KEYS key. */
export function domainSortKey(sort: string): (d: DomainView) => string | number {
  if (sort === 'workstreams') return (d) => d.workstreams.total;
  if (sort === 'open-tasks') return (d) => d.tasks.open;
  return (d) => d.slug;
}

/** The sort key of a repository for a REPOSITORY_SORT_KEYS key. */
export function repositorySortKey(sort: string): (r: RepositoryView) => string | number {
  if (sort === 'last-synced') return (r) => r.lastSyncedAt ?? '';
  if (sort === 'open-tasks') return (r) => r.openTasks;
  return (r) => r.slug;
}
