// Word lists and sentence builders for the benchmark corpus: technical prose shaped like real
// workplans (code spans, paths, endpoints, numbers). Pure; every choice comes from the Random passed in.
// Never emits text that Markdown would read as structure by accident (no `---`/`===` lines, no leading
// `#`, no HTML comments, no `key: value` first lines).
import type { Random } from './random.js';

export const DOMAINS = [
  { slug: 'custodian', prefix: 'CUST' },
  { slug: 'docs', prefix: 'DOC' },
  { slug: 'platform', prefix: 'PLAT' },
  { slug: 'billing', prefix: 'BILL' },
  { slug: 'identity', prefix: 'IDN' },
  { slug: 'search', prefix: 'SRCH' },
  { slug: 'data', prefix: 'DATA' },
  { slug: 'mobile', prefix: 'MOB' },
  { slug: 'infra', prefix: 'INFRA' },
  { slug: 'railiance', prefix: 'RAIL' },
] as const;

export const PEOPLE = [
  'Alice Martin',
  'Bob Chen',
  'Carol Diaz',
  'Dmitri Volkov',
  'Eve Okafor',
  'Farah Haddad',
  'Gustav Berg',
  'Hana Sato',
  'Ivan Petrov',
  'Julia Souza',
  'Kwame Mensah',
  'Lena Fischer',
  'Marco Rossi',
  'Nadia Karimi',
];

const ENTITIES = [
  'domains',
  'managed_repos',
  'topics',
  'workstreams',
  'tasks',
  'invoices',
  'accounts',
  'sessions',
  'tokens',
  'audit_events',
  'webhooks',
  'subscriptions',
  'search_index',
  'feature_flags',
  'releases',
  'deployments',
  'notifications',
  'api_keys',
  'tenants',
  'reports',
  'exports',
  'schedules',
  'snapshots',
  'policies',
];
const COMPONENTS = [
  'API router',
  'ORM model',
  'Pydantic schema',
  'MCP tool',
  'dashboard page',
  'CLI command',
  'migration',
  'background worker',
  'cache layer',
  'ingest pipeline',
  'webhook handler',
  'rate limiter',
  'search indexer',
  'retry queue',
  'feature flag',
  'health check',
  'audit log',
  'export job',
  'seed script',
  'loader',
];
const VERBS = [
  'Create',
  'Add',
  'Update',
  'Replace',
  'Remove',
  'Migrate',
  'Wire',
  'Document',
  'Harden',
  'Split',
  'Backfill',
  'Index',
  'Validate',
  'Expose',
  'Deprecate',
  'Instrument',
  'Cache',
  'Batch',
  'Refactor',
  'Test',
];
const QUALIFIERS = [
  'for multi-repo setups',
  'behind a feature flag',
  'with idempotent retries',
  'per tenant',
  'for the v2 API',
  'with pagination',
  'in the dashboard',
  'for dynamic domains',
  'without downtime',
  'with soft deletes',
  'for archived rows',
  'across regions',
  'in CI',
  'with audit events',
  'for large repositories',
];
const LANGS = ['py', 'ts', 'sql', 'sh', 'yaml', 'go'];
const HTTP = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];
const TOPICS = [
  'the registration workflow',
  'the nightly cleanup job',
  'the state summary',
  'the sync daemon',
  'the billing export',
  'the onboarding flow',
  'the search relevance model',
  'the release pipeline',
  'the permissions model',
  'the reporting warehouse',
  'the retry policy',
  'the schema migration path',
];
const REASONS = [
  'so that new domains can be added without a schema migration',
  'because the current enum cannot be renamed at runtime',
  'which keeps the API layer the single place that validates input',
  'to avoid cascading complexity in the ORM layer',
  'since the dashboard already loads this list on every page',
  'so a failed deploy can be rolled back in one step',
  'because the cleanup script treated stale rows as abandoned work',
  'to keep the p95 latency of the endpoint under 50 ms',
  'which the on-call runbook depends on',
  'so that two repositories can share one domain',
];
const OUTCOMES = [
  'Downgrade reverses every step.',
  'No data is lost; the old column is kept until the next release.',
  'The endpoint returns 409 when active topics exist.',
  'Existing clients keep working through the compatibility alias.',
  'The change is covered by an integration test against Postgres.',
  'Rows are written in one transaction per batch.',
  'The job is safe to re-run after a partial failure.',
];

export function entity(rng: Random): string {
  return rng.pick(ENTITIES);
}

export function component(rng: Random): string {
  return rng.pick(COMPONENTS);
}

export function filePathFor(rng: Random): string {
  const dir = rng.pick(['api/models', 'api/routers', 'api/schemas', 'scripts', 'dashboard/src', 'mcp_server', 'workers']);
  return `state-hub/${dir}/${entity(rng)}.${rng.pick(['py', 'ts', 'md', 'sh'])}`;
}

export function endpoint(rng: Random): string {
  const e = entity(rng).replace(/_/g, '-');
  return `${rng.pick(HTTP)} /${e}/${rng.chance(0.5) ? '{slug}/' : ''}${rng.chance(0.3) ? rng.pick(['archive', 'rename', 'stats']) : ''}`;
}

/** A task or workplan title: "Create `tasks` table + migration for multi-repo setups". */
export function title(rng: Random): string {
  const verb = rng.pick(VERBS);
  const what = rng.chance(0.5) ? `\`${entity(rng)}\` ${rng.pick(['table', 'model', 'endpoint', 'index', 'job'])}` : component(rng);
  const extra = rng.chance(0.35) ? ` + ${component(rng)}` : '';
  return `${verb} ${what}${extra}${rng.chance(0.6) ? ` ${rng.pick(QUALIFIERS)}` : ''}`;
}

/** A title without Markdown (for YAML frontmatter and headings that should stay plain). */
export function plainTitle(rng: Random): string {
  return title(rng).replace(/`/g, '');
}

/** One sentence of technical prose. */
export function sentence(rng: Random): string {
  switch (rng.int(0, 9)) {
    case 0:
      return `Add \`${entity(rng)}.${rng.pick(['status', 'domain_id', 'slug', 'updated_at', 'owner_id'])}\` and backfill it from \`${entity(rng)}\` ${rng.pick(REASONS)}.`;
    case 1:
      return `The ${component(rng)} for \`${entity(rng)}\` moves to \`${filePathFor(rng)}\`; ${rng.pick(OUTCOMES).toLowerCase()}`;
    case 2:
      return `\`${endpoint(rng)}\` returns ${rng.int(1, 5) * 100} rows per page and filters on \`?status=active|archived|all\`.`;
    case 3:
      return `Coordinate with ${rng.pick(PEOPLE)} on ${rng.pick(TOPICS)}: if it ships first, extend it rather than replace it.`;
    case 4:
      return `${rng.pick(VERBS)} the ${component(rng)} ${rng.pick(QUALIFIERS)}, ${rng.pick(REASONS)}.`;
    case 5:
      return `Measured on staging: ${rng.int(2, 900)} ms p95 over ${rng.int(1, 90)}k requests, down from ${rng.int(901, 4000)} ms.`;
    case 6:
      return `${rng.pick(OUTCOMES)} See ${rng.pick(TOPICS)} for the background.`;
    case 7:
      return `Keep \`${entity(rng)}\` as \`String(${rng.pick([50, 100, 200])})\` (not a foreign key) for now; validation happens at the API layer ${rng.pick(REASONS)}.`;
    case 8:
      return `Use \`${rng.pick(['ON CONFLICT DO NOTHING', 'SELECT … FOR UPDATE SKIP LOCKED', 'pg_advisory_xact_lock', 'COPY … FROM STDIN'])}\` in \`${filePathFor(rng)}\` ${rng.pick(REASONS)}.`;
    default:
      return `This touches ${rng.pick(TOPICS)} and ${rng.pick(TOPICS)}; ${rng.pick(OUTCOMES).toLowerCase()}`;
  }
}

/** A paragraph of `min`–`max` sentences, wrapped near 100 columns like hand-written Markdown. */
export function paragraph(rng: Random, min = 2, max = 4): string {
  const words = Array.from({ length: rng.int(min, max) }, () => sentence(rng))
    .join(' ')
    .split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > 100) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** A bullet list (the bullet given) of short items. */
export function bulletList(rng: Random, bullet: string, min = 2, max = 5): string {
  return Array.from({ length: rng.int(min, max) }, () => {
    switch (rng.int(0, 3)) {
      case 0:
        return `${bullet} \`${endpoint(rng)}\` — ${rng.pick(REASONS)}`;
      case 1:
        return `${bullet} \`${entity(rng)}\`: ${rng.pick(OUTCOMES).replace(/\.$/, '')}`;
      case 2:
        return `${bullet} ${rng.pick(VERBS)} \`${filePathFor(rng)}\` ${rng.pick(QUALIFIERS)}`;
      default:
        return `${bullet} ${sentence(rng)}`;
    }
  }).join('\n');
}

export function numberedList(rng: Random, min = 2, max = 5): string {
  return Array.from({ length: rng.int(min, max) }, (_, i) => `${i + 1}. ${sentence(rng)}`).join('\n');
}

export function fencedCode(rng: Random): string {
  const lang = rng.pick(LANGS);
  const t = entity(rng);
  const body: Record<string, string> = {
    py: `async def list_${t}(db: AsyncSession, status: str = "active") -> list[${t.replace(/_/g, '')}]:\n    rows = await db.execute(select(${t}).where(${t}.c.status == status))\n    return rows.scalars().all()`,
    ts: `export async function list${t.replace(/_/g, '')}(status = 'active') {\n  return db.selectFrom('${t}').where('status', '=', status).selectAll().execute();\n}`,
    sql: `ALTER TABLE ${t} ADD COLUMN domain_id uuid REFERENCES domains(id);\nUPDATE ${t} SET domain_id = (SELECT id FROM domains WHERE slug = ${t}.domain::text);\nALTER TABLE ${t} ALTER COLUMN domain_id SET NOT NULL;`,
    sh: `make add-domain DOMAIN=${t} NAME="${t}"\ncurl -sf http://localhost:8000/${t}/ | jq '.[] | .slug'`,
    yaml: `${t}:\n  retries: ${rng.int(1, 9)}\n  timeout_s: ${rng.int(5, 120)}\n  enabled: true`,
    go: `func (s *Store) List${t.replace(/_/g, '')}(ctx context.Context) ([]Row, error) {\n\treturn s.q.List(ctx, "${t}")\n}`,
  };
  return `\`\`\`${lang}\n${body[lang]}\n\`\`\``;
}

export function table(rng: Random): string {
  const rows = Array.from(
    { length: rng.int(2, 4) },
    () => `| \`${entity(rng)}\` | ${rng.pick(['uuid', 'text', 'int', 'jsonb', 'timestamptz'])} | ${rng.pick(['yes', 'no'])} |`,
  );
  return ['| column | type | nullable |', '| ------ | ---- | -------- |', ...rows].join('\n');
}

/** A task description: paragraphs first, then lists, code and tables mixed in. */
export function description(rng: Random): string {
  const blocks: string[] = [paragraph(rng, 1, 2)];
  const e = rng.next();
  const extra = e < 0.4 ? 0 : e < 0.85 ? 1 : 2;
  for (let i = 0; i < extra; i++) {
    const r = rng.next();
    if (r < 0.35) blocks.push(`${rng.pick(['Endpoints', 'Steps', 'Changes', 'Checks'])}:`, bulletList(rng, rng.pick(['-', '*']), 2, 4));
    else if (r < 0.5) blocks.push(numberedList(rng));
    else if (r < 0.62) blocks.push(fencedCode(rng));
    else if (r < 0.68) blocks.push(table(rng));
    else if (r < 0.71) blocks.push(`#### ${rng.pick(['Notes', 'Rollout', 'Open questions'])}`, paragraph(rng, 1, 1));
    else blocks.push(paragraph(rng, 1, 2));
  }
  return blocks.join('\n\n');
}

/** `s` as a URL-safe slug of at most `max` characters. */
export function slugify(s: string, max = 48): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
}

/** A real calendar date between 2023-01-01 and 2026-12-28, as YYYY-MM-DD. */
export function date(rng: Random, minYear = 2023, maxYear = 2026): string {
  const y = rng.int(minYear, maxYear);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A date `days` after `start` (YYYY-MM-DD arithmetic in UTC; pure). */
export function addDays(start: string, days: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const t = Date.UTC(y, m - 1, d) + days * 86_400_000;
  const at = new Date(t);
  return at.toISOString().slice(0, 10);
}
