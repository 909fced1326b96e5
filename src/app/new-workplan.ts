// `workplan new <WORKPLAN-ID> --title … --domain …` (and the MCP tool create_workplan): a new workplan
// file in the documented format, created (never replacing a file), then synced. Refused when the id
// is already declared by a workplan file. Orchestration only.
import { posix } from 'node:path';
import type { NewWorkplanInput } from '../model/edit-input.js';
import type { EditView } from '../model/edit-views.js';
import { SyncError } from '../model/errors.js';
import { toLocalIsoDate } from '../model/local-date.js';
import { renderNewWorkplan, slugifyTitle } from '../writeback/render-workplan.js';
import { completeEdit, elementAt, refusedEdit } from './edit-outcome.js';
import { listDeclaredWorkplanIds } from './locate-workplan.js';
import type { PlanContext } from './plan-context.js';
import { classifySourcePath } from '../model/source-path.js';

/** Creates a new workplan file, then syncs it. */
export async function createWorkplan(ctx: PlanContext, input: NewWorkplanInput): Promise<EditView> {
  const root = ctx.config.roots.workplans[0] ?? 'workplans';
  const path = input.path
    ? posix.normalize(input.path.replace(/\\/g, '/'))
    : posix.join(root, `${input.id}-${slugifyTitle(input.title)}.md`);
  if (classifySourcePath(path, ctx.config) !== 'workplan') {
    throw new SyncError(
      'INVALID_INPUT',
      `${path} is not a workplan path: it must be a .md file under ${ctx.config.roots.workplans.join(' or ')} (and not a README or template). Nothing was written.`,
    );
  }
  const existing = await listDeclaredWorkplanIds(ctx.source, ctx.config, input.id);
  if (existing.length > 0) {
    return refusedEdit('new-workplan', 'exists', `Workplan ${input.id} already exists (${existing.join(', ')}). Nothing was written.`);
  }
  const text = renderNewWorkplan({
    id: input.id,
    title: input.title,
    domain: input.domain,
    status: input.status ?? ctx.config.vocabularies.workstreamStatus.default,
    owner: input.owner,
    summary: input.summary,
    dependsOn: input.dependsOn,
    date: input.date ?? toLocalIsoDate(ctx.now()),
  });
  return completeEdit(ctx, {
    operation: 'new-workplan',
    changes: [{ path, before: undefined, after: text }],
    element: elementAt('workplan', input.id, path, 1),
    describe: `new workplan ${input.id}`,
    errorsBefore: [],
    dryRun: input.dryRun,
  });
}
