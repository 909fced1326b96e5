// The command-line options of the query and edit commands (`list`, `show`, `next`, `set`, `add-task`,
// `new`, `adr new`, `mcp`), merged into the CLI's option table by main.ts. No imports: main.ts loads
// this module on every run.

export const PLAN_OPTIONS = {
  status: { type: 'string', multiple: true },
  domain: { type: 'string', multiple: true },
  repo: { type: 'string', multiple: true },
  workstream: { type: 'string', multiple: true },
  priority: { type: 'string', multiple: true },
  stale: { type: 'boolean' },
  blocked: { type: 'boolean' },
  sort: { type: 'string' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  'all-repos': { type: 'boolean' },
  'no-sync': { type: 'boolean' },
  phase: { type: 'string' },
  'phase-title': { type: 'string' },
  title: { type: 'string' },
  description: { type: 'string' },
  owner: { type: 'string' },
  summary: { type: 'string' },
  'depends-on': { type: 'string', multiple: true },
  file: { type: 'string' },
  style: { type: 'string' },
  'decision-maker': { type: 'string', multiple: true },
  decision: { type: 'string' },
  consequences: { type: 'string' },
  'read-only': { type: 'boolean' },
} as const;

export type PlanCliValues = {
  status?: string[];
  domain?: string[];
  repo?: string[];
  workstream?: string[];
  priority?: string[];
  stale?: boolean;
  blocked?: boolean;
  sort?: string;
  limit?: string;
  offset?: string;
  'all-repos'?: boolean;
  'no-sync'?: boolean;
  phase?: string;
  'phase-title'?: string;
  title?: string;
  description?: string;
  owner?: string;
  summary?: string;
  'depends-on'?: string[];
  file?: string;
  style?: string;
  'decision-maker'?: string[];
  decision?: string;
  consequences?: string;
  'read-only'?: boolean;
};

export const PLAN_USAGE = `Queries (the files are synced into the mirror first; --no-sync skips that):
  list workstreams|tasks|adrs|domains|repositories
                        One page of the mirror as a table (--json: the documented shape, docs/queries.md)
  show <ID>             A workplan, task or ADR: every field, phases, dependencies, reviews, file:line
  next                  Open tasks whose workplan's dependencies are done, most urgent first

Edits (the file is edited surgically, re-parsed, written with compare-and-swap, then synced):
  set <TASK-ID> status=<s> [priority=<p>]
  add-task <WORKPLAN-ID> --phase <n> --title "…"
  new <WORKPLAN-ID> --title "…" --domain <slug>
  adr new "<title>"     The next ADR, in the repository's ADR style (MADR or Nygard)
  mcp                   A Model Context Protocol server over stdio for agents (docs/mcp.md)

list / next options:
  --status s[,s…]       Filter by status (repeatable; aliases accepted)
  --domain d[,d…]       Filter by domain
  --workstream ID[,…]   Tasks of these workplans
  --priority p[,p…]     Tasks of these priorities
  --stale               Open tasks in completed or archived workplans
  --blocked             Tasks (or workplans) waiting for an unfinished workplan
  --sort key[:desc]     Sort key (tasks: id, priority, status, workstream, title, domain, updated)
  --limit n, --offset n Paging (default limit 100)
  --repo slug[,…]       Other repositories of a shared mirror; --all-repos: every repository
  --no-sync             Answer from the mirror as it is, without syncing the files first

edit options:
  --dry-run             Print the unified diff; write nothing
  --phase <n>, --phase-title "…", --title "…", --priority p, --status s, --description "…"   (add-task)
  --title, --domain, --status, --owner, --summary, --depends-on ID, --file <path>, --date    (new)
  --status, --style madr|nygard, --date, --decision-maker, --context, --decision, --consequences (adr new)
  --read-only           (mcp) Offer only the tools that read`;
