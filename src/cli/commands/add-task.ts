// `workplan add-task <WORKPLAN-ID> --phase <n> --title "…"`: a new task at the end of the phase (the
// next task id, written like the file's other tasks), then a sync that assigns its mirror id.
// --phase-title creates a missing phase. The work is the library's `add-task` call.
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { callOrUsage, parseCount, withPlanSession } from '../plan-command.js';
import { reportEdit } from './edit-answer.js';

const USAGE =
  'workplan add-task <WORKPLAN-ID> --phase <n> --title "…" [--priority p] [--status s] [--description "…"] [--phase-title "…"] [--dry-run] [--json]';

export async function runAddTaskCommand(ctx: CliContext): Promise<number> {
  const [workplan, ...extra] = ctx.positionals;
  const usage = (message: string) => {
    ctx.out.error(`workplan add-task: ${message}\nUsage: ${USAGE}`);
    return EXIT.usage;
  };
  if (!workplan) return usage('name the workplan.');
  if (extra.length > 0) return usage(`unexpected argument "${extra[0]}".`);
  const phase = parseCount(ctx.values.phase);
  if (phase === undefined || Number.isNaN(phase)) return usage('--phase <number> is required.');
  if (ctx.values.title === undefined) return usage('--title is required.');
  const v = ctx.values;
  return withPlanSession(ctx, async (session) => {
    const answer = await callOrUsage(ctx, USAGE, () =>
      session.call('add-task', {
        workplan,
        phase,
        title: v.title!,
        ...(v['phase-title'] !== undefined ? { phaseTitle: v['phase-title'] } : {}),
        ...(v.priority ? { priority: v.priority.at(-1)! } : {}),
        ...(v.status ? { status: v.status.at(-1)! } : {}),
        ...(v.description !== undefined ? { description: v.description } : {}),
        dryRun: v['dry-run'] ?? false,
      }),
    );
    return answer.ok ? reportEdit(ctx, answer.value) : answer.code;
  });
}
