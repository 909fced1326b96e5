// The answers of the query and edit commands for people: tables that fit the terminal, a workplan,
// task or ADR shown section by section, an edit's diff and summary. Pure string building over the
// library's views (src/model/plan-views.ts); `--json` prints the views themselves.
import type {
  AdrDetailView,
  AdrView,
  DependencyView,
  DiagnosticView,
  DomainView,
  EditView,
  FreshnessView,
  RepositoryView,
  TaskDetailView,
  TaskView,
  WorkstreamDetailView,
  WorkstreamView,
} from '../index.js';
import { renderTable, type TableColumn } from './render-table.js';

/** `path:line:col: severity rule message`, with the hint on an indented second line (as `workplan check`). */
export function formatDiagnosticView(d: DiagnosticView): string {
  const head = `${d.path}:${d.line}:${d.column}: ${d.severity} ${d.ruleId} ${d.message}`;
  return d.hint ? `${head}\n    hint: ${d.hint}` : head;
}

/** What stderr says about the sync that ran before an answer (nothing when all went well). */
export function formatFreshness(freshness: FreshnessView): string[] {
  const lines = freshness.errors.map(formatDiagnosticView);
  if (freshness.errors.length > 0) lines.push('Files with errors were not synced: their rows are as of their last good sync.');
  if (freshness.outcome === 'refused')
    lines.push(`The files were not synced (${freshness.message ?? 'refused'}); the answer is the mirror as it was.`);
  return lines;
}

/** "1–100 of 1234 tasks; --offset 100 for more" when a page holds fewer than all matches. */
export function formatPageFooter(
  page: { total: number; offset: number; items: unknown[] },
  noun: string,
  paging: 'offset' | 'limit' = 'offset',
): string {
  const shown = page.items.length;
  if (page.offset === 0 && shown === page.total) return `${page.total} ${noun}${page.total === 1 ? '' : 's'}`;
  const next = paging === 'offset' ? `--offset ${page.offset + shown}` : `a higher --limit`;
  const more = page.offset + shown < page.total ? `; ${next} for more` : '';
  return `${shown === 0 ? 'none' : `${page.offset + 1}–${page.offset + shown}`} of ${page.total} ${noun}s${more}`;
}

const fmtCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '—';

export function renderWorkstreamTable(items: readonly WorkstreamView[], width: number | undefined, showRepository: boolean): string[] {
  const columns: TableColumn[] = [
    { header: 'ID' },
    { header: 'STATUS' },
    { header: 'DOMAIN' },
    ...(showRepository ? [{ header: 'REPOSITORY', optional: true }] : []),
    { header: 'OPEN', align: 'right' },
    { header: 'TASKS', align: 'right' },
    { header: 'TITLE', flex: true, minWidth: 16 },
    { header: 'FILE', optional: true, flex: true, minWidth: 20 },
  ];
  const rows = items.map((w) => [
    w.id,
    w.blocked ? `${w.status} (blocked)` : w.status,
    w.domain,
    ...(showRepository ? [w.repository] : []),
    String(w.tasks.open),
    String(w.tasks.total),
    w.title,
    w.path,
  ]);
  return renderTable(columns, rows, width);
}

export function renderTaskTable(items: readonly TaskView[], width: number | undefined, showRepository: boolean): string[] {
  const columns: TableColumn[] = [
    { header: 'ID' },
    { header: 'STATUS' },
    { header: 'PRIORITY' },
    ...(showRepository ? [{ header: 'REPOSITORY', optional: true }] : []),
    { header: 'TITLE', flex: true, minWidth: 16 },
    { header: 'LOCATION', optional: true, flex: true, minWidth: 24 },
  ];
  const flags = (t: TaskView) => [t.stale ? 'stale' : '', t.blocked ? 'blocked' : ''].filter(Boolean).join(', ');
  const rows = items.map((t) => [
    t.id,
    flags(t) ? `${t.status} (${flags(t)})` : t.status,
    t.priority,
    ...(showRepository ? [t.repository] : []),
    t.title,
    t.location,
  ]);
  return renderTable(columns, rows, width);
}

export function renderAdrTable(items: readonly AdrView[], width: number | undefined, showRepository: boolean): string[] {
  const columns: TableColumn[] = [
    { header: 'ID' },
    { header: 'STATUS' },
    { header: 'DATE' },
    ...(showRepository ? [{ header: 'REPOSITORY', optional: true }] : []),
    { header: 'TITLE', flex: true, minWidth: 16 },
    { header: 'FILE', optional: true, flex: true, minWidth: 20 },
  ];
  const rows = items.map((a) => [
    a.id,
    a.status ?? (a.statusText ? `(${a.statusText})` : '—'),
    a.date ?? a.dateText ?? '',
    ...(showRepository ? [a.repository] : []),
    a.title,
    a.path,
  ]);
  return renderTable(columns, rows, width);
}

export function renderDomainTable(items: readonly DomainView[], width: number | undefined): string[] {
  const columns: TableColumn[] = [
    { header: 'DOMAIN' },
    { header: 'WORKSTREAMS', align: 'right' },
    { header: 'BLOCKED', align: 'right' },
    { header: 'TASKS', align: 'right' },
    { header: 'OPEN', align: 'right' },
    { header: 'STALE', align: 'right' },
    { header: 'ADRS', align: 'right' },
    { header: 'WORKPLANS BY STATUS', flex: true, optional: true, minWidth: 16 },
  ];
  const rows = items.map((d) => [
    d.slug,
    String(d.workstreams.total),
    String(d.workstreams.blocked),
    String(d.tasks.total),
    String(d.tasks.open),
    String(d.tasks.stale),
    String(d.adrs.total),
    fmtCounts(d.workstreams.byStatus),
  ]);
  return renderTable(columns, rows, width);
}

export function renderRepositoryTable(items: readonly RepositoryView[], width: number | undefined): string[] {
  const columns: TableColumn[] = [
    { header: 'REPOSITORY' },
    { header: 'WORKSTREAMS', align: 'right' },
    { header: 'TASKS', align: 'right' },
    { header: 'OPEN', align: 'right' },
    { header: 'ADRS', align: 'right' },
    { header: 'LAST SYNC', optional: true },
    { header: 'ROOT', flex: true, optional: true, minWidth: 16 },
  ];
  const rows = items.map((r) => [
    r.slug,
    String(r.workstreams),
    String(r.tasks),
    String(r.openTasks),
    String(r.adrs),
    r.lastSyncedAt ?? 'never',
    r.root,
  ]);
  return renderTable(columns, rows, width);
}

/** A workplan, section by section. */
export function renderWorkstreamDetail(w: WorkstreamDetailView): string[] {
  const lines = [`${w.id}  ${w.title}`];
  lines.push(
    `  status ${w.status}${w.blocked ? ' (blocked)' : ''} · domain ${w.domain} · repository ${w.repository}${w.owner ? ` · owner ${w.owner}` : ''}${w.topic ? ` · topic ${w.topic}` : ''}`,
  );
  const dates = [
    w.created ? `created ${w.created}` : '',
    w.updated ? `updated ${w.updated}` : '',
    w.completed ? `completed ${w.completed}` : '',
  ].filter(Boolean);
  if (dates.length > 0) lines.push(`  ${dates.join(' · ')}`);
  lines.push(`  ${w.location}  (mirror id ${w.uuid})`);
  lines.push(`  tasks: ${w.tasks.total} (${w.tasks.open} open): ${fmtCounts(w.tasks.byStatus)}`);
  for (const [key, value] of Object.entries(w.extra)) lines.push(`  ${key}: ${JSON.stringify(value)}`);
  for (const [label, text] of [
    ['Summary', w.summary],
    ['Context', w.context],
    ['Notes', w.notes],
  ] as const) {
    if (text) lines.push('', label, ...indent(text));
  }
  for (const p of w.phases) {
    lines.push('', `Phase ${p.number}${p.title ? ` — ${p.title}` : ''}${p.line !== null ? `  (${w.path}:${p.line})` : ''}`);
    for (const t of p.tasks) lines.push(`  ${t.id}  ${t.status}  ${t.priority}  ${t.title}  (${w.path}:${t.line})`);
  }
  if (w.dependencies.length > 0) lines.push('', 'Dependencies', ...w.dependencies.map((d) => `  ${formatDependency(d, w.path)}`));
  for (const r of w.closureReviews) {
    lines.push('', `Closure Review — ${r.date}${r.line !== null ? `  (${w.path}:${r.line})` : ''}`);
    if (r.outcome) lines.push(...indent(`Outcome: ${r.outcome}`));
    for (const e of r.entries)
      lines.push(`  ${e.taskId}  ${e.classification}${e.target ? ` → ${e.target}` : ''}${e.note ? `  (${e.note})` : ''}  ${e.title}`);
  }
  return lines;
}

/** A task, with its workplan's dependencies and the reviews that classify it. */
export function renderTaskDetail(t: TaskDetailView): string[] {
  const flags = [
    t.stale ? 'stale: open in a closed workplan' : '',
    t.blocked ? 'blocked: its workplan waits for an unfinished one' : '',
  ].filter(Boolean);
  const lines = [
    `${t.id}  ${t.title}`,
    `  status ${t.status} · priority ${t.priority}${t.label ? ` · label ${t.label}` : ''}${t.phase ? ` · phase ${t.phase.number}${t.phase.title ? ` — ${t.phase.title}` : ''}` : ''}`,
    `  workplan ${t.workstream.id} [${t.workstream.status}] ${t.workstream.title} · domain ${t.domain} · repository ${t.repository}`,
    `  ${t.location}  (mirror id ${t.uuid})`,
    ...flags.map((f) => `  ${f}`),
  ];
  for (const [key, value] of Object.entries(t.extra)) lines.push(`  ${key}: ${JSON.stringify(value)}`);
  if (t.description) lines.push('', 'Description', ...indent(t.description));
  if (t.dependencies.length > 0)
    lines.push('', `Dependencies of ${t.workstream.id}`, ...t.dependencies.map((d) => `  ${formatDependency(d, t.path)}`));
  if (t.closure.length > 0) {
    lines.push('', 'Closure Reviews');
    for (const e of t.closure)
      lines.push(`  ${e.reviewDate}  ${e.classification}${e.target ? ` → ${e.target}` : ''}${e.note ? `  (${e.note})` : ''}`);
  }
  return lines;
}

export function renderAdrDetail(a: AdrDetailView): string[] {
  const lines = [
    `${a.id}  ${a.title}`,
    `  status ${a.status ?? 'none'}${a.statusText && a.statusText.toLowerCase() !== a.status ? ` (written "${a.statusText}")` : ''}${a.date ? ` · ${a.date}` : a.dateText ? ` · date "${a.dateText}"` : ''}${a.domain ? ` · domain ${a.domain}` : ''} · ${a.format === 'nygard' ? 'Nygard' : 'MADR'} · repository ${a.repository}`,
    `  ${a.location}  (mirror id ${a.uuid})`,
  ];
  if (a.decisionMakers.length > 0) lines.push(`  decision makers: ${a.decisionMakers.join(', ')}`);
  for (const l of a.links.supersedes)
    lines.push(
      `  supersedes ${l.id}${l.title ? ` ${l.title}` : ''}${l.status ? ` [${l.status}]` : ' (not in the mirror)'}${l.path ? `  (${l.path})` : ''}`,
    );
  for (const l of a.links.supersededBy)
    lines.push(
      `  superseded by ${l.id}${l.title ? ` ${l.title}` : ''}${l.status ? ` [${l.status}]` : ' (not in the mirror)'}${l.path ? `  (${l.path})` : ''}`,
    );
  return lines;
}

function formatDependency(d: DependencyView, path: string): string {
  const targets = d.targets.map((t) => `${t.id} ${t.state === 'unknown' ? '(not in the mirror)' : `[${t.status}]`}`).join(', ');
  const label = d.direction === 'incoming' ? 'blocked by' : d.kind.replace('_', ' ');
  const where = d.line !== null ? `  (${path}:${d.line})` : '';
  return `${label} ${targets}${d.blocking ? '  — blocking' : ''}${where}`;
}

/** An edit's answer: its diff on a dry run, what was written and synced otherwise. */
export function renderEdit(view: EditView): { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  switch (view.outcome) {
    case 'refused':
      stderr.push(...view.diagnostics.map(formatDiagnosticView), `workplan: ${view.message}`);
      for (const t of view.openTasks ?? []) stderr.push(`  ${t.id}  ${t.status}  ${t.title}`);
      break;
    case 'dry-run':
      for (const f of view.files) stdout.push(f.diff.replace(/\n$/, ''));
      stdout.push(view.message);
      break;
    case 'unchanged':
      stdout.push(view.message);
      break;
    case 'written': {
      stdout.push(view.message);
      if (view.element) stdout.push(`  ${view.element.kind} ${view.element.id} at ${view.element.location}`);
      const sync = view.sync;
      if (sync) {
        for (const d of sync.diagnostics.filter((x) => x.severity === 'error')) stdout.push(formatDiagnosticView(d));
        for (const w of sync.writeBacks)
          if (w.outcome !== 'written') stderr.push(`${w.path}: ids not written back (${w.outcome}): ${w.message ?? ''}`);
        const c = sync.counts;
        stdout.push(
          `  sync: ${c.created} created, ${c.updated} updated, ${c.removed} removed, ${c.idsAssigned} id${c.idsAssigned === 1 ? '' : 's'} assigned, ${sync.durationMs} ms`,
        );
      }
      break;
    }
  }
  return { stdout, stderr };
}

function indent(text: string): string[] {
  return text.split(/\r?\n/).map((l) => (l ? `  ${l}` : ''));
}
