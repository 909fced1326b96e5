// What the file-first edits accept: `workplan set | add-task | new | adr new | close` and the MCP write
// tools (docs/queries.md, "Edits"). Pure: zod schemas built from the repository's configuration, so a
// status or priority is checked against its vocabulary (aliases accepted, written canonically) and a
// wrong value names the allowed ones.
import { z } from 'zod';
import { isIsoDate } from '../parse/value-formats.js';
import type { WorkplanConfig } from './config.js';
import { adrStatusSchema, vocabularyValueSchema as vocabularyValue } from './vocabulary-schema.js';

export const ADR_STYLES = ['madr', 'nygard'] as const;
export type AdrStyle = (typeof ADR_STYLES)[number];

const MAX_TITLE = 300;

/** One line of text: a title or a single-line field value. */
const line = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(MAX_TITLE, `${what} is longer than ${MAX_TITLE} characters`)
    .refine(
      (s) => !/[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/.test(s),
      `${what} must be one line of text (no line breaks or control characters)`,
    );

/** Free Markdown text (a description, a summary): no NUL or other control characters besides tab and line breaks. */
const markdown = z.string().refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');

const date = z.string().refine(isIsoDate, 'must be a real YYYY-MM-DD date');

/** The edit schemas for a repository's configuration. */
export function createEditSchemas(config: WorkplanConfig) {
  const v = config.vocabularies;
  const dryRun = z.boolean().default(false);
  return {
    setTask: z
      .strictObject({
        /** The task id, e.g. CUST-WP-0005-T03. */
        task: line('The task id'),
        status: vocabularyValue(v.taskStatus, 'task status').optional(),
        priority: vocabularyValue(v.priority, 'priority').optional(),
        dryRun,
      })
      .refine((x) => x.status !== undefined || x.priority !== undefined, 'Give a status, a priority or both.'),
    addTask: z.strictObject({
      /** The workplan id. */
      workplan: line('The workplan id'),
      /** The phase number; with `phaseTitle` a missing phase is created after the last one. */
      phase: z.number().int().min(0),
      phaseTitle: line('The phase title').optional(),
      title: line('The title'),
      status: vocabularyValue(v.taskStatus, 'task status').optional(),
      priority: vocabularyValue(v.priority, 'priority').optional(),
      description: markdown.optional(),
      dryRun,
    }),
    newWorkplan: z.strictObject({
      id: line('The workplan id'),
      title: line('The title'),
      domain: line('The domain'),
      status: vocabularyValue(v.workstreamStatus, 'workstream status').optional(),
      owner: line('The owner').optional(),
      summary: markdown.optional(),
      /** Workplan ids this one depends on (a `Depends on:` dependency each). */
      dependsOn: z.array(line('A dependency')).optional(),
      /** The file to create (repository-relative); default `<first workplan root>/<ID>-<title-slug>.md`. */
      path: line('The path').optional(),
      /** `created:` and `updated:`; default today. */
      date: date.optional(),
      dryRun,
    }),
    newAdr: z.strictObject({
      title: line('The title'),
      status: adrStatusSchema(v.adrStatus).optional(),
      /** Default: the style of the repository's ADRs (or `adr.style` in the configuration). */
      style: z.enum(ADR_STYLES).optional(),
      date: date.optional(),
      decisionMakers: z.array(line('A decision maker')).optional(),
      context: markdown.optional(),
      decision: markdown.optional(),
      consequences: markdown.optional(),
      dryRun,
    }),
    closeWorkplan: z.strictObject({
      workplan: line('The workplan id'),
      cancelOpen: z.boolean().default(false),
      carryForwardTo: line('The carry-forward workplan id').optional(),
      context: markdown.optional(),
      date: date.optional(),
      /** Without it the close is previewed; with the preview's `confirmToken` it is applied. */
      confirm: z.string().optional(),
      dryRun,
    }),
  };
}

export type EditSchemas = ReturnType<typeof createEditSchemas>;
export type SetTaskInput = z.output<EditSchemas['setTask']>;
export type AddTaskInput = z.output<EditSchemas['addTask']>;
export type NewWorkplanInput = z.output<EditSchemas['newWorkplan']>;
export type NewAdrInput = z.output<EditSchemas['newAdr']>;
export type CloseWorkplanInput = z.output<EditSchemas['closeWorkplan']>;
