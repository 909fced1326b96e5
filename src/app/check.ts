// The `check` use case: parse every workplan and ADR, apply single-file and cross-file rules.
// Read-only: never writes a file or touches the mirror.
import type { Adr } from '../model/adr.js';
import type { WorkplanConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { checkRepository, type WorkplanSummary } from '../reconcile/check-repository.js';
import { isSourceFile, listingProblemDiagnostic, type SourceFile, type SourceProvider } from '../model/source-file.js';
import type { PreparedCache } from '../cache/prepared-cache.js';

export interface CheckOptions {
  config: WorkplanConfig;
  source: SourceProvider;
  /** Extra files to check besides the repository's (e.g. paths given on the command line). */
  extraFiles?: SourceFile[];
  /** Report only diagnostics for these paths (cross-file rules still see the whole repository). */
  onlyPaths?: (path: string) => boolean;
  /** Parser worker threads (default: one per core for large repositories). */
  workers?: number;
  /** Reuse parse results of unchanged files. */
  cache?: PreparedCache;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  workplans: WorkplanSummary[];
  adrs: Adr[];
  filesChecked: number;
}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const { config, source } = options;
  const diagnostics: Diagnostic[] = [];
  const listing = await source.list(config);
  for (const problem of listing.problems) diagnostics.push(listingProblemDiagnostic(problem));
  const files: SourceFile[] = [];
  for (const entry of listing.files) {
    const read = await source.read(entry.path, entry.kind, config);
    if (isSourceFile(read)) files.push(read);
    else if (!('missing' in read)) diagnostics.push(read);
  }
  const known = new Set(files.map((f) => f.path));
  for (const extra of options.extraFiles ?? []) if (!known.has(extra.path)) files.push(extra);

  const workplans: WorkplanSummary[] = [];
  const adrs: Adr[] = [];
  // Loaded here: the pre-commit hook imports this module (compareDiagnostics) and may need no parser.
  const { prepareFiles } = await import('./parse-pool.js');
  const prepared = await prepareFiles(files, config, {
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
  });
  for (const p of prepared) {
    diagnostics.push(...p.diagnostics);
    if (p.kind === 'workplan' && p.summary) workplans.push(p.summary);
    if (p.kind === 'adr' && p.adr) adrs.push(p.adr);
  }
  diagnostics.push(...checkRepository({ workplans, adrs }));
  const reported = options.onlyPaths ? diagnostics.filter((d) => options.onlyPaths!(d.path)) : diagnostics;
  reported.sort(compareDiagnostics);
  return { diagnostics: reported, workplans, adrs, filesChecked: files.length };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.span.start.offset - b.span.start.offset || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
