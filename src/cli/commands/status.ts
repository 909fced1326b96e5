// `workplan status`: the mirror's view of this repository, plus files that currently fail to parse.
import { readMirrorStatus } from '../../db/mirror-status.js';
import { runCheck } from '../../app/check.js';
import { openMirror } from '../../app/open-mirror.js';
import { workingTreeSource } from '../../fs/source-files.js';
import { openWorkspace } from '../../app/workspace.js';
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { reportConfigErrors } from '../report-config-errors.js';
import { withStoreClosedOnSignals } from '../signals.js';

export async function runStatusCommand(ctx: CliContext): Promise<number> {
  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (!ws.config) return reportConfigErrors(ctx, ws.configDiagnostics);
  const config = ws.config;
  const check = await runCheck({ config, source: workingTreeSource(ws.root) });
  const filesWithErrors = [...new Set(check.diagnostics.filter((d) => d.severity === 'error').map((d) => d.path))];
  const opened = await openMirror({ root: ws.root, config }, ctx.env, {
    onWait: (m) => ctx.out.error(m),
    onProgress: (m) => ctx.out.progress(m),
  });
  return withStoreClosedOnSignals(opened, async () => {
    const status = await readMirrorStatus(opened.mirror.db, ws.repository);
    if (ctx.values.json) {
      ctx.out.print(JSON.stringify({ version: 1, store: opened.store.describe, ...status, filesWithErrors }, null, 2));
      return EXIT.ok;
    }
    const out = ctx.out;
    out.print(`Repository ${status.repository} in ${opened.store.describe}`);
    if (!status.known) {
      out.print('Not synced yet: run "workplan sync".');
      return EXIT.ok;
    }
    const fmt = (t: Record<string, number>) =>
      Object.entries(t)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ') || 'no tasks';
    for (const d of status.domains) {
      out.print(`\n${d.slug}: ${d.workstreams} workstream(s); tasks: ${fmt(d.tasks)}`);
      for (const w of status.workstreams.filter((x) => x.domain === d.slug)) {
        out.print(`  ${w.fileId}  [${w.status}]  ${w.title}  —  ${fmt(w.tasks)}`);
      }
    }
    if (Object.keys(status.adrs).length > 0) out.print(`\nADRs: ${fmt(status.adrs)}`);
    out.print(`\nOpen tasks in completed or archived workstreams: ${status.openTasksInClosedWorkstreams.length}`);
    for (const t of status.openTasksInClosedWorkstreams) out.print(`  ${t.workstream}  ${t.task}  [${t.status}]  ${t.title}`);
    out.print(`Files with errors: ${filesWithErrors.length}${filesWithErrors.length ? ` (${filesWithErrors.join(', ')})` : ''}`);
    const l = status.lastSync;
    out.print(
      l
        ? `Last sync: ${l.at} (${l.trigger}): ${l.created} created, ${l.updated} updated, ${l.removed} removed, ${l.drifted} drifted`
        : 'Last sync: none recorded',
    );
    return EXIT.ok;
  });
}
