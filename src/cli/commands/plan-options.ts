// The option values of the query and edit commands (`list`, `show`, `next`, `set`, `add-task`, `new`,
// `adr new`, `mcp`), as main.ts hands them over (flag names; repeatable options as arrays). Their
// grammar and help are in command-table.ts. No imports: main.ts loads this module on every run.

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
  /** false with --no-sync. */
  sync?: boolean;
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
