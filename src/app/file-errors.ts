// The errors of the server's repository files, for the dashboard's "needs attention" panel: what
// `workplan check` reports, recomputed when the mirror's version token changes (a watch sync follows
// every file change) or the last answer is older than `maxAgeMs` (a file with errors does not change
// the mirror). Reads files; never writes.
import type { WorkplanConfig } from '../model/config.js';
import { toDiagnosticView, type DiagnosticView } from '../model/plan-views.js';
import { runCheck } from './check.js';
import { openPreparedCache } from '../cache/prepared-cache.js';
import { workingTreeSource } from '../fs/source-files.js';
import { cacheDirFor } from './workspace.js';

/** A reader of the files' errors, cached by the mirror's version. */
export function createFileErrorReader(
  root: string,
  config: WorkplanConfig,
  versionToken: () => Promise<string>,
  maxAgeMs = 5_000,
): () => Promise<DiagnosticView[]> {
  const cache = openPreparedCache(cacheDirFor(root), config);
  let last: { token: string; at: number; errors: Promise<DiagnosticView[]> } | undefined;
  return async () => {
    const token = await versionToken();
    if (last && last.token === token && Date.now() - last.at < maxAgeMs) return last.errors;
    const errors = runCheck({ config, source: workingTreeSource(root), cache, workers: 1 }).then((r) =>
      r.diagnostics.filter((d) => d.severity === 'error').map(toDiagnosticView),
    );
    last = { token, at: Date.now(), errors };
    errors.catch(() => (last = undefined));
    return errors;
  };
}
