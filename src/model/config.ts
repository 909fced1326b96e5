// Repository configuration: roots, vocabularies, id patterns, database settings. Pure data + defaults.

export interface Vocabulary {
  /** Canonical values, in display order. */
  values: string[];
  /** Alias → canonical value; keys are matched case-insensitively after trimming. */
  aliases: Record<string, string>;
  /** Value used when a field is absent. */
  default: string;
}

export interface WorkplanConfig {
  roots: {
    workplans: string[];
    adr: string[];
  };
  vocabularies: {
    workstreamStatus: Vocabulary;
    taskStatus: Vocabulary;
    priority: Vocabulary;
  };
  /** Regular expressions (source strings) that ids must match. */
  idPatterns: {
    workplan: string;
    /** `{workplan}` is replaced by the (escaped) workplan id. */
    task: string;
    adr: string;
  };
  database: {
    /** Environment variable holding a `postgresql://` URL. */
    urlEnv: string;
    /** Embedded store data directory, relative to the repository root. */
    embeddedDir: string;
  };
  sync: {
    /** A sync refuses to remove more than this share of the repository's mirror rows without an override. */
    massRemovalThreshold: number;
    /** Files larger than this are refused with a diagnostic. */
    maxFileBytes: number;
  };
  hook: {
    /** Time budget of the pre-commit hook in milliseconds. */
    timeoutMs: number;
    /** What an unreachable database does to a commit. */
    onDatabaseUnreachable: 'warn' | 'block';
  };
  adr: {
    /** The style `workplan adr new` writes: detected from the repository's latest ADR (`auto`), or fixed. */
    style: 'auto' | 'madr' | 'nygard';
  };
}

export const OPEN_TASK_STATUSES = ['todo', 'in_progress', 'blocked'] as const;
export const CLOSED_WORKSTREAM_STATUSES = ['completed', 'archived'] as const;

export const DEFAULT_CONFIG: WorkplanConfig = {
  roots: { workplans: ['workplans'], adr: ['adr'] },
  vocabularies: {
    workstreamStatus: {
      values: ['draft', 'planned', 'active', 'blocked', 'completed', 'archived', 'cancelled'],
      aliases: {
        complete: 'completed',
        done: 'completed',
        finished: 'completed',
        'in-progress': 'active',
        in_progress: 'active',
        'in progress': 'active',
        wip: 'active',
        open: 'active',
        proposed: 'draft',
        todo: 'planned',
        canceled: 'cancelled',
        archive: 'archived',
      },
      default: 'draft',
    },
    taskStatus: {
      values: ['todo', 'in_progress', 'blocked', 'done', 'cancelled', 'carried_forward'],
      aliases: {
        'to-do': 'todo',
        'to do': 'todo',
        open: 'todo',
        pending: 'todo',
        planned: 'todo',
        'in-progress': 'in_progress',
        'in progress': 'in_progress',
        inprogress: 'in_progress',
        doing: 'in_progress',
        wip: 'in_progress',
        active: 'in_progress',
        complete: 'done',
        completed: 'done',
        finished: 'done',
        closed: 'done',
        canceled: 'cancelled',
        dropped: 'cancelled',
        'carried-forward': 'carried_forward',
        'carried forward': 'carried_forward',
        'carry-forward': 'carried_forward',
        carry_forward: 'carried_forward',
      },
      default: 'todo',
    },
    priority: {
      values: ['critical', 'high', 'medium', 'low'],
      aliases: { urgent: 'critical', p0: 'critical', p1: 'high', p2: 'medium', p3: 'low', normal: 'medium', med: 'medium' },
      default: 'medium',
    },
  },
  idPatterns: {
    workplan: '^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-WP-\\d+$',
    task: '^{workplan}-T\\d+$',
    adr: '^ADR-\\d+$',
  },
  database: { urlEnv: 'DATABASE_URL', embeddedDir: '.workplan/db' },
  // 1 MiB: the Markdown parser's costliest inputs still parse within a 512 MB heap at this size (docs/reliability.md, "Parser limits").
  sync: { massRemovalThreshold: 0.5, maxFileBytes: 1024 * 1024 },
  hook: { timeoutMs: 10_000, onDatabaseUnreachable: 'warn' },
  adr: { style: 'auto' },
};
