// `workplan list workstreams|tasks|adrs|domains|repositories`: one page of the mirror, synced from the
// files first (unless --no-sync), as a table that fits the terminal or as the documented JSON
// (docs/queries.md). Argument handling and rendering only: the work is the library's `list-*` calls.
import type { AdrListView, DomainListView, PlanSession, RepositoryListView, TaskListView, WorkstreamListView } from '../../index.js';
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { callOrUsage, parseCount, parseSort, scopeOptions, splitList, withPlanSession } from '../plan-command.js';
import {
  formatFreshness,
  formatPageFooter,
  renderAdrTable,
  renderDomainTable,
  renderRepositoryTable,
  renderTaskTable,
  renderWorkstreamTable,
} from '../render-plan-views.js';

const USAGE =
  'workplan list <workstreams|tasks|adrs|domains|repositories> [--status s,…] [--domain d,…] [--workstream ID,…] [--priority p,…] [--stale] [--blocked] [--sort key[:desc]] [--limit n] [--offset n] [--repo slug,… | --all-repos] [--no-sync] [--json]';

const KINDS: Record<string, 'workstreams' | 'tasks' | 'adrs' | 'domains' | 'repositories'> = {
  workstreams: 'workstreams',
  workstream: 'workstreams',
  workplans: 'workstreams',
  workplan: 'workstreams',
  tasks: 'tasks',
  task: 'tasks',
  adrs: 'adrs',
  adr: 'adrs',
  domains: 'domains',
  domain: 'domains',
  repositories: 'repositories',
  repository: 'repositories',
  repos: 'repositories',
};

export async function runListCommand(ctx: CliContext): Promise<number> {
  const [what, ...extra] = ctx.positionals;
  const kind = what ? KINDS[what] : undefined;
  const usage = (message: string) => {
    ctx.out.error(`workplan list: ${message}\nUsage: ${USAGE}`);
    return EXIT.usage;
  };
  if (!kind) return usage(what ? `unknown list "${what}"; use workstreams, tasks, adrs, domains or repositories.` : 'name what to list.');
  if (extra.length > 0) return usage(`unexpected argument "${extra[0]}".`);
  const limit = parseCount(ctx.values.limit);
  const offset = parseCount(ctx.values.offset);
  if (Number.isNaN(limit) || Number.isNaN(offset)) return usage('--limit and --offset take a whole number.');
  const common = {
    ...scopeOptions(ctx),
    ...parseSort(ctx.values.sort),
    ...(limit !== undefined ? { limit } : {}),
    ...(offset !== undefined ? { offset } : {}),
  };
  const status = splitList(ctx.values.status);
  const domain = splitList(ctx.values.domain);
  const filters = {
    ...(status ? { status } : {}),
    ...(domain ? { domain } : {}),
    ...(ctx.values.blocked !== undefined ? { blocked: ctx.values.blocked } : {}),
  };
  const inapplicable = inapplicableOptions(ctx, kind);
  if (inapplicable) return usage(`${inapplicable} does not apply to ${kind}.`);
  return withPlanSession(ctx, async (session) => {
    const answer = await callOrUsage(ctx, USAGE, () => runList(session, kind, ctx, common, filters));
    if (!answer.ok) return answer.code;
    const page = answer.value;
    if (ctx.values.json) {
      ctx.out.print(JSON.stringify(page, null, 2));
      return EXIT.ok;
    }
    for (const line of formatFreshness(page.freshness)) ctx.out.error(line);
    const width = ctx.out.columns;
    const many = page.scope.repositories === 'all' || page.scope.repositories.length > 1;
    let lines: string[];
    let noun: string;
    switch (page.kind) {
      case 'workstreams':
        [lines, noun] = [renderWorkstreamTable(page.items, width, many), 'workplan'];
        break;
      case 'tasks':
        [lines, noun] = [renderTaskTable(page.items, width, many), 'task'];
        break;
      case 'adrs':
        [lines, noun] = [renderAdrTable(page.items, width, many), 'ADR'];
        break;
      case 'domains':
        [lines, noun] = [renderDomainTable(page.items, width), 'domain'];
        break;
      case 'repositories':
        [lines, noun] = [renderRepositoryTable(page.items, width), 'repository'];
        break;
    }
    if (page.items.length > 0) for (const line of lines) ctx.out.print(line);
    ctx.out.print(formatPageFooter(page, noun));
    return EXIT.ok;
  });
}

type Common = ReturnType<typeof scopeOptions> & { sort?: string; order?: 'asc' | 'desc'; limit?: number; offset?: number };
type Filters = { status?: string[]; domain?: string[]; blocked?: boolean };

type ListPage = WorkstreamListView | TaskListView | AdrListView | DomainListView | RepositoryListView;

function runList(session: PlanSession, kind: string, ctx: CliContext, common: Common, filters: Filters): Promise<ListPage> {
  const workstream = splitList(ctx.values.workstream);
  const priority = splitList(ctx.values.priority);
  switch (kind) {
    case 'workstreams':
      return session.call('list-workstreams', { ...common, ...filters } as never);
    case 'tasks':
      return session.call('list-tasks', {
        ...common,
        ...filters,
        ...(workstream ? { workstream } : {}),
        ...(priority ? { priority } : {}),
        ...(ctx.values.stale !== undefined ? { stale: ctx.values.stale } : {}),
      } as never);
    case 'adrs':
      return session.call('list-adrs', {
        ...common,
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.domain ? { domain: filters.domain } : {}),
      } as never);
    case 'domains':
      return session.call('list-domains', common as never);
    default:
      return session.call('list-repositories', common as never);
  }
}

/** The first filter option given that this list does not take. */
function inapplicableOptions(ctx: CliContext, kind: string): string | undefined {
  const v = ctx.values;
  const given: Array<[string, boolean]> = [
    ['--status', v.status !== undefined && (kind === 'domains' || kind === 'repositories')],
    ['--domain', v.domain !== undefined && (kind === 'domains' || kind === 'repositories')],
    ['--blocked', v.blocked !== undefined && kind !== 'workstreams' && kind !== 'tasks'],
    ['--workstream', v.workstream !== undefined && kind !== 'tasks'],
    ['--priority', v.priority !== undefined && kind !== 'tasks'],
    ['--stale', v.stale !== undefined && kind !== 'tasks'],
  ];
  return given.find(([, wrong]) => wrong)?.[0];
}
