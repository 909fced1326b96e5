// `workplan check [paths…]`: validate; print diagnostics; exit 1 on any error.
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { hasErrors } from '../../model/diagnostic.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { SyncError, isSyncError } from '../../model/errors.js';
import { resolveInsideRoot } from '../../fs/repo-path.js';
import { workingTreeSource } from '../../fs/source-files.js';
import { classifyNamedPath } from '../../model/source-path.js';
import { isSourceFile, type SourceFile } from '../../model/source-file.js';
import { cacheDirFor, openWorkspace } from '../../app/workspace.js';
import { openPreparedCache } from '../../cache/prepared-cache.js';
import { ensureStateDir } from '../../fs/state-dir.js';
import { EXIT } from '../exit-codes.js';
import { formatDiagnostic, formatDiagnosticSummary, toJsonDiagnostic } from '../render-diagnostics.js';
import type { CliContext } from '../context.js';
import { reportConfigErrors } from '../report-config-errors.js';

export async function runCheckCommand(ctx: CliContext): Promise<number> {
  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (!ws.config) return reportConfigErrors(ctx, ws.configDiagnostics);
  const config = ws.config;

  // Paths given on the command line: files or directories inside the repository (under its roots or
  // not). A path outside it — directly or through a symlink — is refused unread, as sync refuses it.
  const extraFiles: SourceFile[] = [];
  const extraDiagnostics: Diagnostic[] = [];
  const selected: string[] = [];
  for (const arg of ctx.positionals) {
    const abs = resolve(ctx.cwd, arg);
    const rel = relative(ws.root, abs).split(sep).join('/');
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) throw outsideRepository(arg, ws.root, 'it is outside the repository');
    const resolved = await resolveInsideRoot(ws.root, rel || '.').catch((error: unknown) => {
      throw isSyncError(error, 'PATH_OUTSIDE_ROOT')
        ? outsideRepository(
            arg,
            ws.root,
            error.message.replace(/^Refused path "[^"]*": /, '').replace(/\. Nothing was read or written\.$/, ''),
          )
        : error;
    });
    const info = resolved.exists ? await stat(resolved.realPath).catch(() => undefined) : undefined;
    if (!info) {
      ctx.out.error(`workplan: ${arg}: no such file or directory`);
      return EXIT.usage;
    }
    selected.push(rel);
    if (info.isFile()) {
      const kind = classifyNamedPath(rel, config);
      const read = await workingTreeSource(ws.root).read(rel, kind, config);
      if (isSourceFile(read)) extraFiles.push(read);
      else if (!('missing' in read)) extraDiagnostics.push(read);
    }
  }
  const onlyPaths =
    selected.length === 0
      ? undefined
      : (path: string) => selected.some((s) => path === s || path.startsWith(s.endsWith('/') ? s : `${s}/`) || s === '');
  await ensureStateDir(ws.root).catch(() => undefined); // the parse cache lives there; a read-only tree still checks
  const { runCheck } = await import('../../app/check.js');
  const result = await runCheck({
    config,
    source: workingTreeSource(ws.root),
    extraFiles,
    cache: openPreparedCache(cacheDirFor(ws.root), config),
    ...(onlyPaths ? { onlyPaths } : {}),
  });
  const diagnostics = [...ws.configDiagnostics, ...extraDiagnostics, ...result.diagnostics];

  if (ctx.values.json) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    ctx.out.print(
      JSON.stringify(
        {
          version: 1,
          ok: errors === 0,
          filesChecked: result.filesChecked,
          errors,
          warnings: diagnostics.length - errors,
          diagnostics: diagnostics.map(toJsonDiagnostic),
        },
        null,
        2,
      ),
    );
  } else {
    for (const d of diagnostics) ctx.out.print(formatDiagnostic(d));
    if (!ctx.values.quiet) ctx.out.print(formatDiagnosticSummary(diagnostics, result.filesChecked));
  }
  return hasErrors(diagnostics) ? EXIT.invalid : EXIT.ok;
}

function outsideRepository(arg: string, root: string, why: string): SyncError {
  return new SyncError('PATH_OUTSIDE_ROOT', `${arg}: ${why}; it was not read. workplan checks files inside the repository ${root} only.`, {
    hint: 'Run the check in the repository the file belongs to (or pass --root <that repository>).',
  });
}
