// The report's lines for `--only startup` and the first-run and peer measurements (report.ts renders
// the rest): what was measured, so the targets table's figures can be traced to their samples.
import { formatBytes, formatMs } from './format.js';
import { isNa, type RunResults } from './results.js';

export function renderStartupSections(results: RunResults): string[] {
  const out: string[] = [];
  const only = results.startupOnly ?? [];
  if (only.length > 0) {
    out.push(
      '#### Start-up (`--only startup`)',
      '',
      '| store | workplans | cold `workplan sync` process | no-op process, samples | `node -e 0`, samples | hooked commit / --no-verify |',
      '|---|---:|---:|---|---|---|',
    );
    for (const r of only) {
      const s = isNa(r.startup) ? `n/a (${r.startup.na})` : r.startup.noopSamples.map(formatMs).join(', ');
      const f = isNa(r.startup) ? '—' : r.startup.floorSamples.map(formatMs).join(', ');
      const h = isNa(r.hook)
        ? `n/a (${r.hook.na})`
        : `${formatMs(r.hook.median)} / ${formatMs(r.hook.noVerifyMedian)} (${r.hook.samples.map(formatMs).join(', ')})`;
      out.push(
        `| ${r.store} | ${r.size.toLocaleString('en-US')} | ${formatMs(r.cold.wallMs)}, ${formatBytes(r.cold.maxRssKb * 1024)} | ${s} | ${f} | ${h} |`,
      );
    }
    out.push('');
  }
  const fr = results.firstRun;
  if (fr && !isNa(fr)) {
    const clone = isNa(fr.clone)
      ? `n/a (${fr.clone.na})`
      : `first ${formatMs(fr.clone.firstMs)}, no-op ${fr.clone.noopSamples.map(formatMs).join(', ')} (${fr.clone.files} files)`;
    out.push(
      '#### First run (embedded)',
      '',
      `New store from the template: ${fr.createSamples.map(formatMs).join(', ')}; in place (initdb + migrations): ${formatMs(fr.createInPlaceMs)}; ` +
        `the same stores opened again: ${(fr.reopenSamples ?? []).map(formatMs).join(', ')}. ` +
        `Template ${fr.templateWasReady ? 'made by the build' : `made by this run in ${formatMs(fr.templateMadeMs)}`}. Fresh clone of this repository: ${clone}.`,
      '',
    );
  }
  const p = results.peer;
  if (p) {
    out.push(
      '#### Peer',
      '',
      isNa(p)
        ? `MarkdownDB: n/a (${p.na})`
        : `${p.name} ${p.version} (installed in ${p.cacheDir}${p.installMs === null ? '' : `, in ${formatMs(p.installMs)}`}): indexing ${formatMs(p.wallMs)}, peak RSS ${formatBytes(p.maxRssKb * 1024)}.${p.output ? ` Its last line: \`${p.output.slice(0, 200)}\`` : ''}`,
      '',
    );
  }
  return out;
}
