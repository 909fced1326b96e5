// `workplan new <WORKPLAN-ID> --title "…" --domain <slug>`: a new workplan file in the documented
// format (docs/format.md), never replacing a file, then synced. The work is the library's
// `new-workplan` call.
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { callOrUsage, splitList, withPlanSession } from '../plan-command.js';
import { reportEdit } from './edit-answer.js';

const USAGE =
  'workplan new <WORKPLAN-ID> --title "…" --domain <slug> [--status s] [--owner o] [--summary "…"] [--depends-on ID,…] [--file <path>] [--date YYYY-MM-DD] [--dry-run] [--json]';

export async function runNewCommand(ctx: CliContext): Promise<number> {
  const [id, ...extra] = ctx.positionals;
  const usage = (message: string) => {
    ctx.out.error(`workplan new: ${message}\nUsage: ${USAGE}`);
    return EXIT.usage;
  };
  if (!id) return usage("name the new workplan's id, e.g. DOC-WP-0042.");
  if (extra.length > 0) return usage(`unexpected argument "${extra[0]}".`);
  const v = ctx.values;
  if (v.title === undefined) return usage('--title is required.');
  const domain = v.domain?.at(-1);
  if (domain === undefined) return usage('--domain is required.');
  const dependsOn = splitList(v['depends-on']);
  return withPlanSession(ctx, async (session) => {
    const answer = await callOrUsage(ctx, USAGE, () =>
      session.call('new-workplan', {
        id,
        title: v.title!,
        domain,
        ...(v.status ? { status: v.status.at(-1)! } : {}),
        ...(v.owner !== undefined ? { owner: v.owner } : {}),
        ...(v.summary !== undefined ? { summary: v.summary } : {}),
        ...(dependsOn ? { dependsOn } : {}),
        ...(v.file !== undefined ? { path: v.file } : {}),
        ...(v.date !== undefined ? { date: v.date } : {}),
        dryRun: v['dry-run'] ?? false,
      }),
    );
    return answer.ok ? reportEdit(ctx, answer.value) : answer.code;
  });
}
