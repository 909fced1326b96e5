// `workplan adr new "<title>"` (and the MCP tool create_adr): the next ADR number, in the repository's
// ADR style (detected from its latest ADR, or `adr.style` in the configuration), created beside the
// latest ADR (never replacing a file), then synced. Orchestration only: the conventions and the text
// are src/writeback/render-adr.ts.
import { posix } from 'node:path';
import type { Adr } from '../model/adr.js';
import type { NewAdrInput } from '../model/edit-input.js';
import type { EditView } from '../model/edit-views.js';
import { toLocalIsoDate } from '../model/local-date.js';
import { parseAdr } from '../parse/adr.js';
import { checkAdrLinks } from '../parse/adr-links.js';
import { formatAdrId, readAdrNumberFromFileName } from '../parse/adr-reference.js';
import { decodeSource } from '../parse/decode.js';
import { detectAdrConventions, renderNewAdr, type ExistingAdr } from '../writeback/render-adr.js';
import { completeEdit, elementAt, refusedEdit } from './edit-outcome.js';
import type { PlanContext } from './plan-context.js';
import { isSourceFile } from '../model/source-file.js';

/** Creates the next ADR, then syncs it. */
export async function createAdr(ctx: PlanContext, input: NewAdrInput): Promise<EditView> {
  const { parsed, numbers } = await readAdrs(ctx);
  const number = Math.max(0, ...numbers) + 1;
  const configured = ctx.config.adr.style === 'auto' ? undefined : ctx.config.adr.style;
  const conventions = detectAdrConventions(parsed, input.style ?? configured);
  const latest = [...parsed].sort((a, b) => (b.adr.number ?? -1) - (a.adr.number ?? -1))[0];
  const dir = latest ? posix.dirname(latest.path) : (ctx.config.roots.adr[0] ?? 'adr');
  const { fileName, text } = renderNewAdr(conventions, {
    number,
    title: input.title,
    status: input.status ?? 'proposed',
    date: input.date ?? toLocalIsoDate(ctx.now()),
    decisionMakers: input.decisionMakers,
    context: input.context,
    decision: input.decision,
    consequences: input.consequences,
  });
  const path = posix.join(dir, fileName);
  const created = parseAdr(path, text, ctx.config);
  if (created.value?.number !== number) {
    return refusedEdit(
      'new-adr',
      'invalid-result',
      `The new ADR would not read back as number ${number}, so it was refused (please report this). Nothing was written.`,
      created.diagnostics,
    );
  }
  // Cross-file rules: a number another file already uses (e.g. one that could not be parsed).
  const clashes = checkAdrLinks([...parsed.map((p) => p.adr), created.value]).filter((d) => d.path === path && d.severity === 'error');
  if (clashes.length > 0)
    return refusedEdit(
      'new-adr',
      'invalid-result',
      `The new ADR ${formatAdrId(number)} would clash with existing ADRs. Nothing was written.`,
      clashes,
    );
  return completeEdit(ctx, {
    operation: 'new-adr',
    changes: [{ path, before: undefined, after: text }],
    element: elementAt('adr', formatAdrId(number), path, 1),
    describe: `new ADR ${formatAdrId(number)} (${conventions.style === 'nygard' ? 'Nygard' : 'MADR'} style)`,
    errorsBefore: [],
    dryRun: input.dryRun,
  });
}

/** The repository's ADRs that parse, and every number in use (also by files that do not parse). */
async function readAdrs(ctx: PlanContext): Promise<{ parsed: ExistingAdr[]; numbers: number[] }> {
  const listing = await ctx.source.list(ctx.config);
  const parsed: ExistingAdr[] = [];
  const numbers: number[] = [];
  for (const entry of listing.files) {
    if (entry.kind !== 'adr') continue;
    const fromName = readAdrNumberFromFileName(entry.path);
    if (fromName !== undefined) numbers.push(fromName);
    const read = await ctx.source.read(entry.path, entry.kind, ctx.config);
    if (!isSourceFile(read)) continue;
    const decoded = decodeSource(read.path, read.bytes);
    const adr: Adr | undefined = decoded.value ? parseAdr(read.path, decoded.value.text, ctx.config).value : undefined;
    if (!adr) continue;
    parsed.push({ path: read.path, adr });
    if (adr.number !== null) numbers.push(adr.number);
  }
  return { parsed, numbers };
}
