// `workplan set <TASK-ID> status=<s> [priority=<p>]`: the task's status and priority in its file
// (only those value bytes change), then a sync. --dry-run prints the diff. The work is the library's
// `set-task` call.
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { callOrUsage, withPlanSession } from '../plan-command.js';
import { reportEdit } from './edit-answer.js';

const USAGE = 'workplan set <TASK-ID> status=<status> [priority=<priority>] [--dry-run] [--json]';

export async function runSetCommand(ctx: CliContext): Promise<number> {
  const [task, ...assignments] = ctx.positionals;
  const usage = (message: string) => {
    ctx.out.error(`workplan set: ${message}\nUsage: ${USAGE}`);
    return EXIT.usage;
  };
  if (!task) return usage('name the task.');
  if (assignments.length === 0) return usage('say what to set: status=<status> and/or priority=<priority>.');
  const fields: { status?: string; priority?: string } = {};
  for (const a of assignments) {
    const m = /^(status|priority)=(.*)$/.exec(a);
    if (!m) return usage(`"${a}" is not status=<value> or priority=<value>.`);
    fields[m[1] as 'status' | 'priority'] = m[2]!;
  }
  return withPlanSession(ctx, async (session) => {
    const answer = await callOrUsage(ctx, USAGE, () =>
      session.call('set-task', { task, ...fields, dryRun: ctx.values['dry-run'] ?? false }),
    );
    return answer.ok ? reportEdit(ctx, answer.value) : answer.code;
  });
}
