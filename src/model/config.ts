// Repository configuration: roots, vocabularies, id patterns, database settings. Pure data + defaults.

export interface Vocabulary {
  /** Canonical values, in display order. */
  values: string[];
  /** Alias → canonical value; keys are matched case-insensitively after trimming. */
  aliases: Record<string, string>;
  /** Value used when a field is absent. */
  default: string;
}

/**
 * The ADR status vocabulary: canonical statuses and the words that mean them. It has no default: an
 * ADR that states no status is mirrored with none (docs/adr-format.md, "Status").
 */
export type AdrStatusVocabulary = Omit<Vocabulary, 'default'>;

export interface WorkplanConfig {
  roots: {
    workplans: string[];
    adr: string[];
  };
  vocabularies: {
    workstreamStatus: Vocabulary;
    taskStatus: Vocabulary;
    priority: Vocabulary;
    /** ADR statuses: written words → a small canonical set (the written text is kept too). */
    adrStatus: AdrStatusVocabulary;
    /** Workplan dependency labels (`**Blocks:**`) → dependency kinds; `default` is the kind of an unknown label. */
    dependencyKind: Vocabulary;
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
/** The ADR status a "Superseded by …" line sets: the ADR status vocabulary must keep it. */
export const SUPERSEDED_ADR_STATUS = 'superseded';
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
    adrStatus: {
      values: ['proposed', 'accepted', 'rejected', 'deprecated', 'superseded'],
      aliases: aliasesOf({
        proposed: [
          'draft',
          'drafted',
          'drafting',
          'proposal',
          'propose',
          'new',
          'open',
          'pending',
          'review',
          'in review',
          'in-review',
          'under review',
          'under discussion',
          'discussion',
          'discussing',
          'under consideration',
          'considered',
          'suggested',
          'rfc',
          'request for comments',
          'wip',
          'work in progress',
          'in progress',
          'in-progress',
          'tbd',
          'undecided',
          'on hold',
          'hold',
          'postponed',
          'deferred',
          'paused',
          'investigating',
          'exploring',
          'experimental',
          'trial',
          'idea',
          'candidate',
          'planned',
          'ready for review',
          'awaiting review',
          'needs review',
          'awaiting approval',
          'pending approval',
          // MADR's translations and their users (fr, es, pt, it, de, nl, zh, ja).
          'proposé',
          'proposée',
          'proposition',
          'brouillon',
          'en cours',
          'en revue',
          'en discussion',
          'propuesto',
          'propuesta',
          'borrador',
          'en revisión',
          'en discusión',
          'proposto',
          'proposta',
          'rascunho',
          'em análise',
          'em discussão',
          'bozza',
          'vorgeschlagen',
          'entwurf',
          'in prüfung',
          'in diskussion',
          'offen',
          'voorgesteld',
          'concept',
          '提议',
          '提案',
          '草案',
          '讨论中',
          '審議中',
        ],
        accepted: [
          'accept',
          'approved',
          'approve',
          'adopted',
          'adopt',
          'agreed',
          'decided',
          'done',
          'implemented',
          'final',
          'finalized',
          'finalised',
          'active',
          'current',
          'valid',
          'in effect',
          'effective',
          'confirmed',
          'ratified',
          'completed',
          'complete',
          'established',
          'in use',
          'live',
          'chosen',
          'enforced',
          'enacted',
          'signed off',
          'resolved',
          'settled',
          'accepté',
          'acceptée',
          'adopté',
          'adoptée',
          'validé',
          'validée',
          'approuvé',
          'approuvée',
          'décidé',
          'aceptado',
          'aceptada',
          'aprobado',
          'aprobada',
          'adoptado',
          'aceito',
          'aceita',
          'aprovado',
          'aprovada',
          'accettato',
          'accettata',
          'approvato',
          'approvata',
          'angenommen',
          'akzeptiert',
          'beschlossen',
          'genehmigt',
          'entschieden',
          'geaccepteerd',
          'aangenomen',
          '已接受',
          '接受',
          '已采纳',
          '采纳',
          '通过',
          '承認',
          '承認済み',
          '採用',
        ],
        rejected: [
          'reject',
          'declined',
          'refused',
          'withdrawn',
          'abandoned',
          'not accepted',
          'not adopted',
          'denied',
          'cancelled',
          'canceled',
          'dropped',
          'discarded',
          'vetoed',
          "won't do",
          'wont do',
          "won't fix",
          'wontfix',
          'rejeté',
          'rejetée',
          'refusé',
          'refusée',
          'abandonné',
          'abandonnée',
          'rechazado',
          'rechazada',
          'rejeitado',
          'rejeitada',
          'rifiutato',
          'rifiutata',
          'respinto',
          'abgelehnt',
          'verworfen',
          'afgewezen',
          '已拒绝',
          '拒绝',
          '却下',
        ],
        deprecated: [
          'deprecate',
          'obsolete',
          'retired',
          'outdated',
          'legacy',
          'archived',
          'sunset',
          'sunsetted',
          'expired',
          'inactive',
          'revoked',
          'no longer valid',
          'déprécié',
          'dépréciée',
          'obsolète',
          'obsoleto',
          'obsoleta',
          'deprecado',
          'descontinuado',
          'veraltet',
          'verouderd',
          '已废弃',
          '废弃',
          '廃止',
        ],
        superseded: [
          'supersede',
          'replaced',
          'superseeded',
          'superceded',
          'supplanted',
          'remplacé',
          'remplacée',
          'reemplazado',
          'reemplazada',
          'sustituido',
          'substituído',
          'substituido',
          'sostituito',
          'ersetzt',
          'abgelöst',
          'vervangen',
          '已取代',
          '已替代',
          '取代',
        ],
      }),
    },
    dependencyKind: {
      values: ['blocks', 'depends_on', 'related'],
      aliases: aliasesOf({
        blocks: ['blocking', 'enables', 'unblocks', 'required by', 'needed by', 'prerequisite for', 'precedes', 'before'],
        depends_on: [
          'depends on',
          'depends',
          'dependency',
          'dependencies',
          'blocked by',
          'blocked on',
          'requires',
          'required',
          'needs',
          'prerequisite',
          'prerequisites',
          'waits for',
          'waiting for',
          'waiting on',
          'after',
          'follows',
        ],
        related: [
          'related to',
          'relates to',
          'relates',
          'relation',
          'see also',
          'see',
          'supersedes',
          'superseded by',
          'replaces',
          'replaced by',
          'follow-up',
          'follow up',
          'followed by',
          'continues',
          'continued by',
          'extends',
          'extended by',
          'duplicates',
          'duplicated by',
          'part of',
          'parent',
          'child',
          'references',
          'referenced by',
          'links',
          'linked',
          'associated with',
          'connected to',
          'informs',
          'informed by',
        ],
      }),
      default: 'related',
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

/** An alias table written value → aliases, as the configuration stores it (alias → value). */
function aliasesOf(byValue: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [value, aliases] of Object.entries(byValue)) for (const alias of aliases) out[alias] = value;
  return out;
}
