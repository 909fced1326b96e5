// Every question and edit the CLI, the MCP server and the watch daemon's socket can run, by name:
// its input schema, whether it needs the mirror and whether it writes, and the use case that answers
// it. A call is plain JSON in and out, so the session (plan-session.ts) can run it in this process or
// hand it to the running watch daemon, which runs the very same use case (adr/0008).
import { z } from 'zod';
import type { WorkplanConfig } from '../model/config.js';
import { createEditSchemas, type EditSchemas } from '../model/edit-input.js';
import type { EditView } from '../model/edit-views.js';
import type { syncCallView } from '../model/edit-views.js';
import { SyncError } from '../model/errors.js';
import { createPlanQuerySchemas, type PlanQuerySchemas } from '../model/plan-query.js';
import {
  PLAN_VIEW_VERSION,
  type AdrListView,
  type DomainListView,
  type EventListView,
  type MirrorVersionView,
  type NextTasksView,
  type RepositoryListView,
  type ShowView,
  type TaskListView,
  type WorkstreamListView,
} from '../model/plan-views.js';
import { addTask } from './add-task.js';
import { closeWorkplan } from './close-workplan.js';
import { createAdr } from './new-adr.js';
import { createWorkplan } from './new-workplan.js';
import type { PlanContext } from './plan-context.js';
import { listEvents, readMirrorVersionCall } from './query-history.js';
import { listAdrs, listDomains, listRepositories, listTasks, listWorkstreams, nextTasks } from './query-plans.js';
import { requireMirror, toSyncSummaryView } from './refresh-mirror.js';
import { setTask } from './set-task.js';
import { showElement } from './show-element.js';
import { runSync } from './sync.js';

/** The answer of the `sync` call. */
export type SyncCallView = z.infer<typeof syncCallView>;

/** Each call's input (as callers may write it) and answer. */
export interface PlanCalls {
  'list-workstreams': { input: z.input<PlanQuerySchemas['workstreams']>; output: WorkstreamListView };
  'list-tasks': { input: z.input<PlanQuerySchemas['tasks']>; output: TaskListView };
  'list-adrs': { input: z.input<PlanQuerySchemas['adrs']>; output: AdrListView };
  'list-domains': { input: z.input<PlanQuerySchemas['domains']>; output: DomainListView };
  'list-repositories': { input: z.input<PlanQuerySchemas['repositories']>; output: RepositoryListView };
  'list-events': { input: z.input<PlanQuerySchemas['events']>; output: EventListView };
  'mirror-version': { input: z.input<PlanQuerySchemas['mirrorVersion']>; output: MirrorVersionView };
  show: { input: z.input<PlanQuerySchemas['show']>; output: ShowView };
  next: { input: z.input<PlanQuerySchemas['next']>; output: NextTasksView };
  sync: { input: z.input<SyncCallSchema>; output: SyncCallView };
  'set-task': { input: z.input<EditSchemas['setTask']>; output: EditView };
  'add-task': { input: z.input<EditSchemas['addTask']>; output: EditView };
  'new-workplan': { input: z.input<EditSchemas['newWorkplan']>; output: EditView };
  'new-adr': { input: z.input<EditSchemas['newAdr']>; output: EditView };
  'close-workplan': { input: z.input<EditSchemas['closeWorkplan']>; output: EditView };
}

export type PlanCallName = keyof PlanCalls;
export type PlanCallInput<N extends PlanCallName> = PlanCalls[N]['input'];
export type PlanCallOutput<N extends PlanCallName> = PlanCalls[N]['output'];

const syncCallSchema = z.strictObject({
  dryRun: z.boolean().default(false).describe('Plan the sync and report it; change nothing.'),
  allowMassRemoval: z.boolean().default(false).describe("Allow a sync that removes more than the configured share of the mirror's rows."),
});
type SyncCallSchema = typeof syncCallSchema;

interface CallDefinition {
  schema: (config: WorkplanConfig) => z.ZodType;
  /** Whether it changes files (refused in a read-only session). */
  writes: boolean;
  /** Whether it needs the mirror, given its validated input. */
  needsMirror: (input: Record<string, unknown>) => boolean;
  run: (ctx: PlanContext, input: never) => Promise<unknown>;
}

// A configuration's schemas are built once (a server validates every request with them).
const querySchemas = new WeakMap<WorkplanConfig, PlanQuerySchemas>();
const editSchemas = new WeakMap<WorkplanConfig, EditSchemas>();
const memo =
  <S>(cache: WeakMap<WorkplanConfig, S>, build: (c: WorkplanConfig) => S) =>
  (config: WorkplanConfig): S => {
    let schemas = cache.get(config);
    if (!schemas) cache.set(config, (schemas = build(config)));
    return schemas;
  };
const query = (pick: (s: PlanQuerySchemas) => z.ZodType) => (config: WorkplanConfig) =>
  pick(memo(querySchemas, createPlanQuerySchemas)(config));
const edit = (pick: (s: EditSchemas) => z.ZodType) => (config: WorkplanConfig) => pick(memo(editSchemas, createEditSchemas)(config));
/** An edit needs the mirror only to sync what it wrote: not on a dry run. */
const unlessDryRun = (input: Record<string, unknown>) => input.dryRun !== true;
const always = () => true;

const CALLS: Record<PlanCallName, CallDefinition> = {
  'list-workstreams': { schema: query((s) => s.workstreams), writes: false, needsMirror: always, run: listWorkstreams },
  'list-tasks': { schema: query((s) => s.tasks), writes: false, needsMirror: always, run: listTasks },
  'list-adrs': { schema: query((s) => s.adrs), writes: false, needsMirror: always, run: listAdrs },
  'list-domains': { schema: query((s) => s.domains), writes: false, needsMirror: always, run: listDomains },
  'list-repositories': { schema: query((s) => s.repositories), writes: false, needsMirror: always, run: listRepositories },
  'list-events': { schema: query((s) => s.events), writes: false, needsMirror: always, run: listEvents },
  'mirror-version': { schema: query((s) => s.mirrorVersion), writes: false, needsMirror: always, run: readMirrorVersionCall },
  show: { schema: query((s) => s.show), writes: false, needsMirror: always, run: showElement },
  next: { schema: query((s) => s.next), writes: false, needsMirror: always, run: nextTasks },
  sync: { schema: () => syncCallSchema, writes: false, needsMirror: always, run: runSyncCall },
  'set-task': { schema: edit((s) => s.setTask), writes: true, needsMirror: unlessDryRun, run: setTask },
  'add-task': { schema: edit((s) => s.addTask), writes: true, needsMirror: unlessDryRun, run: addTask },
  'new-workplan': { schema: edit((s) => s.newWorkplan), writes: true, needsMirror: unlessDryRun, run: createWorkplan },
  'new-adr': { schema: edit((s) => s.newAdr), writes: true, needsMirror: unlessDryRun, run: createAdr },
  'close-workplan': {
    schema: edit((s) => s.closeWorkplan),
    writes: true,
    // A close without `confirm` only previews (src/app/close-workplan.ts).
    needsMirror: (input) => input.dryRun !== true && typeof input.confirm === 'string',
    run: closeWorkplan,
  },
};

/** The names of every call. */
export const PLAN_CALL_NAMES = Object.keys(CALLS) as PlanCallName[];

/** The input schema of a call for a repository's configuration (what the MCP tools declare). */
export function planCallSchema(config: WorkplanConfig, name: PlanCallName): z.ZodType {
  return CALLS[name].schema(config);
}

/** True for calls that change files. */
export function isWritingCall(name: PlanCallName): boolean {
  return CALLS[name].writes;
}

/** A validated call, ready to run (here or in the watch daemon). */
export interface ValidatedCall {
  name: PlanCallName;
  /** The input after validation: aliases normalised, defaults filled in. */
  input: Record<string, unknown>;
  needsMirror: boolean;
}

/** Validates a call's input against the repository's configuration; INVALID_INPUT names what is wrong. */
export function validatePlanCall(config: WorkplanConfig, name: string, input: unknown): ValidatedCall {
  const definition = (CALLS as Record<string, CallDefinition | undefined>)[name];
  if (!definition) throw new SyncError('INVALID_INPUT', `Unknown call "${name}"; use one of ${PLAN_CALL_NAMES.join(', ')}.`);
  const parsed = definition.schema(config).safeParse(input ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new SyncError('INVALID_INPUT', `Invalid input for ${name}: ${problems.join('; ')}. Nothing was changed.`);
  }
  const valid = parsed.data as Record<string, unknown>;
  return { name: name as PlanCallName, input: valid, needsMirror: definition.needsMirror(valid) };
}

/** Runs a validated call. The context must hold the mirror when the call needs it. */
export async function executePlanCall(ctx: PlanContext, call: ValidatedCall): Promise<unknown> {
  const definition = CALLS[call.name];
  if (definition.writes && ctx.readOnly) {
    throw new SyncError('INVALID_INPUT', `${call.name} changes files, and this session is read-only. Nothing was changed.`);
  }
  return definition.run(ctx, call.input as never);
}

/** The `sync` call: the working tree into the mirror (ids written back unless the context is read-only). */
async function runSyncCall(ctx: PlanContext, input: z.output<SyncCallSchema>): Promise<SyncCallView> {
  const result = await runSync({
    root: ctx.root,
    config: ctx.config,
    repository: ctx.repository,
    source: ctx.source,
    mirror: requireMirror(ctx),
    trigger: ctx.trigger,
    dryRun: input.dryRun,
    allowMassRemoval: input.allowMassRemoval,
    writeBack: !ctx.readOnly,
    newId: ctx.newId,
    now: ctx.now,
    ...(ctx.cache ? { cache: ctx.cache } : {}),
  });
  return { version: PLAN_VIEW_VERSION, kind: 'sync', sync: toSyncSummaryView(result) };
}
