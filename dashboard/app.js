// The workplan dashboard: a page per route, drawn from the JSON API (docs/serve.md), redrawn when the
// server says the mirror changed (server-sent events on /api/live). Plain ES module, no build step
// (adr/0012). Text is always set as text (never as HTML): titles come from users' files.
import { h, badge, progress, link, table, pager } from './dom.js';
import { stackedBars, syncHistory } from './charts.js';

const main = document.getElementById('main');
const liveBadge = document.getElementById('live');
const PAGE = 100;

const routes = [
  { pattern: /^\/$/, section: 'overview', draw: drawOverview },
  { pattern: /^\/workstreams$/, section: 'workstreams', draw: drawWorkstreams },
  { pattern: /^\/workstreams\/([^/]+)$/, section: 'workstreams', draw: drawWorkstream },
  { pattern: /^\/adrs$/, section: 'adrs', draw: drawAdrs },
  { pattern: /^\/events$/, section: 'events', draw: drawEvents },
];

async function api(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw Object.assign(new Error(body.error?.message ?? response.statusText), { status: response.status });
  return body;
}

/** Draws the page of the current URL; the previous page stays until the new one is ready. */
async function render() {
  const url = new URL(location.href);
  const route = routes.find((r) => r.pattern.test(url.pathname));
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('current', a.dataset.section === route?.section);
  if (!route) return main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, link('/', 'Back to the overview')));
  const args = url.pathname.match(route.pattern).slice(1).map(decodeURIComponent);
  try {
    const page = await route.draw(url.searchParams, ...args);
    main.replaceChildren(...page);
    main.dataset.rendered = String(Date.now());
  } catch (error) {
    main.replaceChildren(h('h1', {}, error.status === 404 ? 'Not found' : 'Could not load this page'), h('p', { class: 'error' }, error.message));
  }
}

function navigate(href) {
  history.pushState(null, '', href);
  void render();
}

document.addEventListener('click', (event) => {
  const a = event.target.closest('a[data-nav]');
  if (!a || event.metaKey || event.ctrlKey || event.shiftKey || a.origin !== location.origin) return;
  event.preventDefault();
  navigate(a.pathname + a.search + a.hash);
});
window.addEventListener('popstate', () => void render());

// ---- overview ---------------------------------------------------------------------------------------

async function drawOverview() {
  const [summary, attention, events] = await Promise.all([api('/api/summary'), api('/api/attention'), api('/api/events?kind=sync&limit=30')]);
  const t = summary.totals;
  const kpi = (n, label, test) => h('div', { class: 'kpi', 'data-test': test }, h('div', { class: 'n' }, String(n)), h('div', { class: 'l' }, label));
  return [
    h('h1', {}, 'Overview'),
    h('section', { class: 'kpis', 'data-test': 'kpis' },
      kpi(t.domains, 'Domains', 'kpi-domains'),
      kpi(t.repositories, 'Repositories', 'kpi-repositories'),
      kpi(t.workstreams.active, 'Active workstreams', 'kpi-active'),
      kpi(t.workstreams.completed, 'Completed workstreams', 'kpi-completed'),
      kpi(t.tasks.open, 'Open tasks', 'kpi-open'),
      kpi(t.tasks.stale, 'Stale tasks', 'kpi-stale'),
      kpi(t.adrs.total, 'ADRs', 'kpi-adrs')),
    h('div', { class: 'grid2' },
      h('section', {},
        h('h2', {}, 'Tasks by status, per domain'),
        h('div', { class: 'panel' }, stackedBars(summary.domains.map((d) => ({ label: d.slug, counts: d.tasks.byStatus }))))),
      h('section', {},
        h('h2', {}, 'Sync history'),
        h('div', { class: 'panel' }, syncHistory(events.items.slice().reverse())))),
    h('div', { class: 'grid2' },
      h('section', {}, h('h2', {}, 'Domains'), domainCards(summary.domains)),
      h('section', {}, h('h2', {}, 'Needs attention'), attentionPanel(attention))),
  ];
}

function domainCards(domains) {
  if (domains.length === 0) return h('p', { class: 'muted' }, 'No workstreams in the mirror yet: run workplan sync.');
  return h('div', { class: 'cards', 'data-test': 'domain-cards' }, ...domains.map((d) =>
    h('div', { class: 'card', 'data-test': 'domain-card' },
      h('h3', {}, link(`/workstreams?domain=${encodeURIComponent(d.slug)}`, d.name || d.slug)),
      h('div', { class: 'muted' }, d.repositories.join(', ')),
      h('dl', {},
        h('dt', {}, 'Workstreams'), h('dd', {}, `${d.workstreams.total}${d.workstreams.blocked ? ` (${d.workstreams.blocked} blocked)` : ''}`),
        h('dt', {}, 'Open tasks'), h('dd', {}, `${d.tasks.open} of ${d.tasks.total}`),
        h('dt', {}, 'Stale tasks'), h('dd', {}, d.tasks.stale ? badge(String(d.tasks.stale), 'warn') : '0'),
        h('dt', {}, 'ADRs'), h('dd', {}, String(d.adrs.total))))));
}

function attentionPanel(a) {
  const list = (items, draw, empty) => (items.length === 0 ? h('p', { class: 'muted' }, empty) : h('ul', {}, ...items.map((x) => h('li', {}, ...draw(x)))));
  const cleanup = a.lastCleanup;
  return h('div', { class: 'panel attention', 'data-test': 'attention' },
    h('h3', {}, `Open tasks in closed workstreams (${a.staleTasks.total})`),
    list(a.staleTasks.items.slice(0, 10), (t) => [link(`/workstreams/${encodeURIComponent(t.workstream.id)}?repo=${encodeURIComponent(t.repository)}`, t.id), ` ${t.title} `, badge(t.status), ' in ', badge(t.workstream.status)], 'None.'),
    h('h3', {}, `Files with errors (${a.fileErrors.length})`),
    list(a.fileErrors.slice(0, 10), (d) => [h('span', { class: 'path' }, `${d.path}:${d.line}:${d.column}`), ` ${d.message} `, h('span', { class: 'muted' }, `[${d.ruleId}]`)], 'None.'),
    h('h3', {}, 'Drift found by the last sync'),
    list(a.drift, (e) => [`${e.repository}: ${e.sync.drifted} row(s) changed behind the files' back were restored `, h('span', { class: 'muted' }, when(e.at))], 'None.'),
    h('h3', {}, 'Last cleanup'),
    cleanup ? h('p', {}, `${cleanup.repository}: ${cleanup.summary} `, h('span', { class: 'muted' }, when(cleanup.at))) : h('p', { class: 'muted' }, 'No cleanup has run.'));
}

// ---- workstreams ------------------------------------------------------------------------------------

async function drawWorkstreams(params) {
  const query = new URLSearchParams();
  for (const key of ['domain', 'repo', 'status', 'offset']) if (params.get(key)) query.set(key, params.get(key));
  query.set('limit', String(PAGE));
  const [list, domains, repositories, statuses] = await Promise.all([
    api(`/api/workstreams?${query}`), api('/api/domains?limit=10000'), api('/api/repositories?limit=10000'), allowedValues('/api/workstreams', 'status'),
  ]);
  const filter = (name, label, values) => {
    const select = h('select', { name, 'data-test': `filter-${name}` }, h('option', { value: '' }, 'all'), ...values.map((v) => h('option', { value: v }, v)));
    select.value = params.get(name) ?? '';
    select.addEventListener('change', () => {
      const next = new URLSearchParams(location.search);
      if (select.value) next.set(name, select.value); else next.delete(name);
      next.delete('offset');
      navigate(`/workstreams${next.size ? `?${next}` : ''}`);
    });
    return h('label', {}, label, select);
  };
  const rows = list.items.map((w) => [
    link(`/workstreams/${encodeURIComponent(w.id)}?repo=${encodeURIComponent(w.repository)}`, w.id, { 'data-test': 'workstream-link' }),
    w.title,
    [badge(w.status), w.blocked ? [' ', badge('blocked by a dependency', 'warn')] : ''],
    w.domain,
    w.repository,
    [progress(w.tasks.total - w.tasks.open, w.tasks.total), h('span', { class: 'muted' }, ` ${w.tasks.total - w.tasks.open}/${w.tasks.total}`)],
  ]);
  return [
    h('h1', {}, 'Workstreams'),
    h('div', { class: 'filters' },
      filter('domain', 'Domain', domains.items.map((d) => d.slug)),
      filter('repo', 'Repository', repositories.items.map((r) => r.slug)),
      filter('status', 'Status', statuses)),
    table(['Id', 'Title', 'Status', 'Domain', 'Repository', 'Tasks done'], rows, { 'data-test': 'workstream-rows' }),
    pager(list, '/workstreams', params),
  ];
}

async function drawWorkstream(params, id) {
  const repo = params.get('repo');
  const { workstream: w } = await api(`/api/workstreams/${encodeURIComponent(id)}${repo ? `?repo=${encodeURIComponent(repo)}` : ''}`);
  const depTarget = (t) => (t.state === 'unknown' ? h('span', {}, `${t.id} (not in the mirror)`) : [link(`/workstreams/${encodeURIComponent(t.id)}${t.repository ? `?repo=${encodeURIComponent(t.repository)}` : ''}`, t.id, { 'data-test': 'dependency-link' }), ' ', badge(t.status ?? t.state)]);
  return [
    h('h1', { 'data-test': 'workstream-title' }, `${w.id} — ${w.title}`),
    h('p', {}, badge(w.status), w.blocked ? [' ', badge('blocked by a dependency', 'warn')] : '', ` ${w.domain} · ${w.repository} · `, h('span', { class: 'path', 'data-test': 'file-path' }, w.path),
      ' ', progress(w.tasks.total - w.tasks.open, w.tasks.total), h('span', { class: 'muted' }, ` ${w.tasks.total - w.tasks.open}/${w.tasks.total} tasks done`)),
    w.summary ? h('p', {}, w.summary) : '',
    h('h2', {}, 'Phases and tasks'),
    ...w.phases.map((p) => h('section', { class: 'phase' },
      h('h3', {}, `Phase ${p.number}: ${p.title}`),
      table(['Id', 'Task', 'Status', 'Priority', 'Line'], p.tasks.map((t) => [t.id, t.title, h('span', { 'data-test': 'task-status', 'data-task': t.id }, badge(t.status)), t.priority, String(t.line)]), { 'data-test': 'task-rows' }))),
    h('h2', {}, 'Dependencies'),
    w.dependencies.length === 0 ? h('p', { class: 'muted' }, 'None.') :
      h('ul', { 'data-test': 'dependencies' }, ...w.dependencies.map((d) => h('li', {}, `${d.direction === 'incoming' ? 'blocked by' : d.kind.replace('_', ' ')}: `, ...d.targets.flatMap((t, i) => [i ? ', ' : '', depTarget(t)]), d.blocking ? [' ', badge('blocking', 'warn')] : ''))),
    h('h2', {}, 'Closure reviews'),
    w.closureReviews.length === 0 ? h('p', { class: 'muted' }, 'None.') :
      h('div', {}, ...w.closureReviews.map((r) => h('section', { class: 'panel' },
        h('strong', {}, r.date), r.outcome ? ` — ${r.outcome}` : '',
        h('ul', {}, ...r.entries.map((e) => h('li', {}, `${e.taskId} ${e.title}: `, badge(e.classification), e.target ? ` → ${e.target}` : '', e.note ? ` (${e.note})` : '')))))),
  ];
}

// ---- ADRs and history -------------------------------------------------------------------------------

async function drawAdrs(params) {
  const query = new URLSearchParams({ limit: String(PAGE) });
  for (const key of ['status', 'offset']) if (params.get(key)) query.set(key, params.get(key));
  const [list, statuses] = await Promise.all([api(`/api/adrs?${query}`), allowedValues('/api/adrs', 'status')]);
  const select = h('select', { name: 'status', 'data-test': 'filter-status' }, h('option', { value: '' }, 'all'), ...statuses.map((v) => h('option', { value: v }, v)));
  select.value = params.get('status') ?? '';
  select.addEventListener('change', () => navigate(select.value ? `/adrs?status=${encodeURIComponent(select.value)}` : '/adrs'));
  const ref = (id) => link(`/adrs#${encodeURIComponent(id)}`, id);
  const rows = list.items.map((a) => [
    h('span', { id: a.id }, a.id), a.title, badge(a.status ?? a.statusText ?? 'none'), a.date ?? '', a.repository,
    [...a.supersedes.flatMap((id, i) => [i ? ', ' : 'supersedes ', ref(id)]), ...(a.supersededBy.length ? [a.supersedes.length ? '; ' : '', 'superseded by ', ...a.supersededBy.flatMap((id, i) => [i ? ', ' : '', ref(id)])] : [])],
    h('span', { class: 'path' }, a.path),
  ]);
  return [h('h1', {}, 'ADRs'), h('div', { class: 'filters' }, h('label', {}, 'Status', select)), table(['Id', 'Title', 'Status', 'Date', 'Repository', 'Links', 'File'], rows, { 'data-test': 'adr-rows' }), pager(list, '/adrs', params)];
}

async function drawEvents(params) {
  const query = new URLSearchParams({ limit: String(PAGE) });
  if (params.get('offset')) query.set('offset', params.get('offset'));
  const list = await api(`/api/events?${query}`);
  const rows = list.items.map((e) => [when(e.at), badge(e.kind), e.repository, e.trigger ?? '', e.summary]);
  return [h('h1', {}, 'History'), h('p', { class: 'muted' }, 'Syncs that changed the mirror, and cleanup runs.'), table(['When', 'Kind', 'Repository', 'Trigger', 'What'], rows, { 'data-test': 'event-rows' }), pager(list, '/events', params)];
}

// ---- shared -----------------------------------------------------------------------------------------

let openapi;
/** The values a list parameter allows, as the API documents them (the repository's vocabulary). */
async function allowedValues(path, name) {
  openapi ??= api('/api/openapi.json');
  const parameter = (await openapi).paths[path].get.parameters.find((p) => p.name === name);
  return parameter?.schema?.items?.enum ?? [];
}

function when(iso) {
  return new Date(iso).toLocaleString();
}

/** Redraw when the mirror changes: the server sends `mirror` events (it polls, and a watch nudges it). */
function listen() {
  const source = new EventSource('/api/live');
  source.addEventListener('hello', () => { liveBadge.textContent = 'live'; liveBadge.classList.add('on'); });
  source.addEventListener('mirror', () => void render());
  source.addEventListener('error', () => { liveBadge.textContent = 'reconnecting…'; liveBadge.classList.remove('on'); });
}

listen();
void render();
