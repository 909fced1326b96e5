// Validates a workplan's frontmatter data with zod and maps every problem to the offending key's
// value span. Pure. Unknown keys are kept in `extra`, never dropped; dates stay strings.
import { z } from 'zod';
import type { WorkplanConfig } from '../model/config.js';
import type { FieldSource, WorkplanFrontmatter } from '../model/workplan.js';
import { normalizeVocabularyValue } from '../model/vocabulary.js';
import type { FrontmatterBlock } from './frontmatter.js';
import type { Reporter } from './reporter.js';
import { compileIdPatterns } from './id-patterns.js';
import { isIsoDate, isUuid } from './value-formats.js';

const REQUIRED = ['id', 'type', 'title', 'domain', 'status'] as const;
const OPTIONAL_TEXT = ['owner', 'topic_slug'] as const;
const DATES = ['created', 'updated', 'completed'] as const;
const KNOWN = new Set<string>([...REQUIRED, ...OPTIONAL_TEXT, 'state_hub_workstream_id', ...DATES]);

type Issue = { key: string; present: boolean };

const schemaCache = new WeakMap<WorkplanConfig, z.ZodType>();

function getSchema(config: WorkplanConfig): z.ZodType {
  let schema = schemaCache.get(config);
  if (!schema) {
    const workplanId = compileIdPatterns(config).workplan;
    const vocabulary = config.vocabularies.workstreamStatus;
    const date = z.string().refine(isIsoDate).optional();
    const text = z.string().trim().min(1);
    schema = z.object({
      id: z.string().regex(workplanId),
      type: z.literal('workplan'),
      title: text,
      domain: text,
      status: z.string().refine((v) => normalizeVocabularyValue(vocabulary, v).ok),
      owner: z.string().optional(),
      topic_slug: z.string().optional(),
      state_hub_workstream_id: z.string().refine(isUuid).optional(),
      created: date,
      updated: date,
      completed: date,
    });
    schemaCache.set(config, schema);
  }
  return schema;
}

/** Validates the frontmatter block; undefined when a required field is missing or invalid. */
export function validateWorkplanFrontmatter(
  block: FrontmatterBlock,
  config: WorkplanConfig,
  reporter: Reporter,
): WorkplanFrontmatter | undefined {
  const fieldOf = new Map<string, FieldSource>();
  for (const field of block.fields) fieldOf.set(field.key, field); // the last one wins, as in the data
  // `key:` with no value is YAML null: absent for optional keys, "missing" for required ones.
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(block.data)) if (KNOWN.has(key) && value !== null) input[key] = value;
  const result = getSchema(config).safeParse(input);
  const issues: Issue[] = [];
  if (!result.success) {
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push({ key, present: input[key] !== undefined });
    }
    for (const issue of issues) reportIssue(issue, block, fieldOf.get(issue.key), config, reporter);
  }
  if (issues.some((i) => (REQUIRED as readonly string[]).includes(i.key))) return undefined;
  const data = block.data;
  const status = normalizeVocabularyValue(config.vocabularies.workstreamStatus, String(data.status));
  const frontmatter: WorkplanFrontmatter = {
    id: String(data.id),
    type: 'workplan',
    title: String(data.title),
    domain: String(data.domain),
    status: status.ok ? status.value : String(data.status),
    extra: {},
  };
  const bad = new Set(issues.map((i) => i.key));
  const optional = (key: string): string | undefined => (bad.has(key) || typeof data[key] !== 'string' ? undefined : (data[key] as string));
  assignDefined(frontmatter, 'owner', optional('owner'));
  assignDefined(frontmatter, 'topicSlug', optional('topic_slug'));
  assignDefined(frontmatter, 'workstreamUuid', optional('state_hub_workstream_id'));
  for (const key of DATES) assignDefined(frontmatter, key, optional(key));
  for (const [key, value] of Object.entries(data)) if (!KNOWN.has(key)) frontmatter.extra[key] = value;
  return frontmatter;
}

function assignDefined<K extends keyof WorkplanFrontmatter>(
  target: WorkplanFrontmatter,
  key: K,
  value: WorkplanFrontmatter[K] | undefined,
): void {
  if (value !== undefined) target[key] = value;
}

function reportIssue(
  issue: Issue,
  block: FrontmatterBlock,
  field: FieldSource | undefined,
  config: WorkplanConfig,
  reporter: Reporter,
): void {
  const { key } = issue;
  const raw = field?.raw ?? '';
  const span = field?.valueSpan ?? reporter.lines.spanOf(block.span.start.offset, block.span.start.offset + 3);
  if (!issue.present && (REQUIRED as readonly string[]).includes(key)) {
    const message = field ? `Frontmatter field "${key}" has no value` : `Frontmatter field "${key}" is missing`;
    reporter.reportAt('frontmatter-field-missing', span, message, `Add "${key}: ${exampleValue(key, config)}" to the frontmatter.`);
    return;
  }
  switch (key) {
    case 'id':
      reporter.reportAt(
        'workplan-id-invalid',
        span,
        `Workplan id ${quote(raw)} does not match ${config.idPatterns.workplan}`,
        'Use an id such as CUST-WP-0005: a prefix, "-WP-" and a number.',
      );
      return;
    case 'type':
      reporter.reportAt(
        'frontmatter-type-invalid',
        span,
        `Frontmatter type ${quote(raw)} is not "workplan"`,
        'Set "type: workplan"; other documents (ADRs) belong in their own folder.',
      );
      return;
    case 'status': {
      const vocabulary = config.vocabularies.workstreamStatus;
      reporter.reportAt(
        'workstream-status-invalid',
        span,
        `Unknown workstream status ${quote(raw)}; use one of ${vocabulary.values.join(', ')}`,
        `Set status to one of ${vocabulary.values.join(', ')}.`,
      );
      return;
    }
    case 'state_hub_workstream_id':
      reporter.reportAt(
        'uuid-invalid',
        span,
        `state_hub_workstream_id ${quote(raw)} is not a UUID`,
        'Use the UUID the mirror assigned (8-4-4-4-12 hex digits), or delete the line and let workplan-sync fill it in.',
      );
      return;
    case 'created':
    case 'updated':
    case 'completed':
      reporter.reportAt(
        'date-invalid',
        span,
        typeof block.data[key] === 'string'
          ? `Date "${key}" is ${quote(raw)}, not a YYYY-MM-DD date`
          : `Date "${key}" is ${describeValue(raw, block.data[key])}, not a YYYY-MM-DD string`,
        `Write the date as YYYY-MM-DD, e.g. ${key}: "2026-02-28" (quote it if your tools turn it into a number).`,
      );
      return;
    default:
      reporter.reportAt(
        'frontmatter-field-invalid',
        span,
        typeof block.data[key] === 'string'
          ? `Frontmatter field "${key}" is empty`
          : `Frontmatter field "${key}" must be text, not ${describeValue(raw, block.data[key])}`,
        `Write ${key} as text, quoted if needed: ${key}: "${exampleValue(key, config)}".`,
      );
  }
}

function exampleValue(key: string, config: WorkplanConfig): string {
  switch (key) {
    case 'id':
      return 'CUST-WP-0001';
    case 'type':
      return 'workplan';
    case 'status':
      return config.vocabularies.workstreamStatus.default;
    case 'domain':
      return 'custodian';
    default:
      return `<${key}>`;
  }
}

function describeValue(raw: string, value: unknown): string {
  if (typeof value === 'number') return `the number ${raw}`;
  if (typeof value === 'boolean') return `the boolean ${raw}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  return quote(raw);
}

function quote(raw: string): string {
  const shown = raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
  return /^["']/.test(shown) ? shown : `"${shown}"`;
}
