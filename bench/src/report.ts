// The benchmark's Markdown report (printed, written to bench/results/latest.md, pasteable into the
// README) and its JSON files (bench/results/<date>-<size>.json).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { StoreKind } from '#lib/db/store.js';
import type { SyncBreakdown } from './instrument.js';
import { formatBytes, formatCount, formatMs } from './format.js';
import { isNa, type Maybe, type RunResults, type SizeResult, type StoreResult } from './results.js';
import { renderStartupSections } from './report-startup.js';

export function renderReport(results: RunResults): string {
  const m = results.machine;
  const stores = results.options.stores;
  const lines: string[] = [];
  lines.push(`### Benchmark — ${results.date}`, '');
  lines.push(
    `Machine: ${m.os} ${m.arch}, ${m.cpus} × ${m.cpuModel}, ${formatBytes(m.memoryMb * 1024 * 1024)} RAM, Node ${m.node}. ` +
      `Shared and noisy: judge the ratios (each measured within one run), not the absolute times.`,
    '',
  );
  for (const size of results.sizes) if (size.stores.length > 0) lines.push(...renderSize(size, stores), '');
  lines.push(...renderStartupSections(results));

  lines.push('#### Targets', '');
  lines.push(`| target | corpus | limit | ${stores.join(' | ')} |`, `|---|---|---|${stores.map(() => '---|').join('')}`);
  for (const t of results.targets) {
    const cells = stores.map((s) => {
      const c = t.cells[s];
      if (!c) return '—';
      return c.pass === null ? c.display : `${c.display} **${c.pass ? 'PASS' : 'MISS'}**`;
    });
    lines.push(`| ${t.label} | ${t.scope} | ${t.limit} | ${cells.join(' | ')} |`);
  }
  if (results.notes.length > 0) lines.push('', ...results.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

function renderSize(size: SizeResult, stores: StoreKind[]): string[] {
  const c = size.corpus;
  const by = (s: StoreKind) => size.stores.find((r) => r.store === s);
  const row = (label: string, cell: (r: StoreResult) => string) =>
    `| ${label} | ${stores.map((s) => (by(s) ? cell(by(s)!) : '—')).join(' | ')} |`;
  const maybe = <T extends object>(v: Maybe<T>, f: (x: T) => string) => (isNa(v) ? `n/a (${v.na})` : f(v));
  const out: string[] = [];
  out.push(
    `#### ${formatCount(c.workplans)} workplans + ${formatCount(c.adrs)} ADRs${size.shape === 'varied' ? ', varied shape' : ''}`,
    '',
    `${formatCount(c.files)} files, ${formatBytes(c.bytes)}, ${formatCount(c.tasks)} tasks; ` +
      `${formatCount(c.workplansWithIds)} workplans already carry mirror ids, ${formatCount(c.completed)} are completed ` +
      `(seed ${size.seed}).`,
    '',
  );
  out.push(`| measure | ${stores.join(' | ')} |`, `|---|${stores.map(() => '---:|').join('')}`);
  out.push(
    row(
      'parse-only: unified + remark-parse/frontmatter/gfm, 1 thread, files already read (mean of the passes before and after cold)',
      (r) =>
        `${formatMs(r.parseOnly.ms)}${r.parseOnly.samples && r.parseOnly.samples.length > 1 ? ` (${r.parseOnly.samples.map(formatMs).join(', ')})` : ''}`,
    ),
  );
  out.push(row('cold sync, library in-process (wall)', (r) => formatMs(r.library.cold.ms)));
  if (size.stores.some((r) => r.coldMainThread)) {
    out.push(
      row('cold sync, library, parsing on the main thread (workers: 0)', (r) =>
        r.coldMainThread
          ? `${formatMs(r.coldMainThread.ms)} (parse ${formatMs(r.coldMainThread.breakdown.parseMs)} vs ${formatMs(r.library.cold.breakdown.parseMs)} on workers)`
          : '—',
      ),
    );
  }
  out.push(
    row('cold sync, `workplan sync` process (wall, start-up included)', (r) =>
      maybe(r.child, (x) => `${formatMs(x.wallMs)} (sync ${formatMs(x.durationMs)})`),
    ),
  );
  out.push(
    row('cold sync peak RSS (that process; main-thread heap / external peaks)', (r) =>
      maybe(
        r.child,
        (x) =>
          `${formatBytes(x.maxRssKb * 1024)} (${x.memoryPeaksMb.heapTotal ?? '?'} / ${x.memoryPeaksMb.external ?? '?'} MB${x.memoryPeaksMb.wasm ? `; PGlite WASM memory ${x.memoryPeaksMb.wasm} MB` : ''})`,
      ),
    ),
  );
  out.push(...renderScaleRows(row, maybe));
  out.push(row(`no-op sync (median of ${size.stores[0]?.library.noop.samples.length ?? 0})`, (r) => formatMs(r.library.noop.ms)));
  out.push(
    row(`one-file sync (median of ${size.stores[0]?.library.oneFile.samples.length ?? 0}; min–max)`, (r) => {
      const o = r.library.oneFile;
      return `${formatMs(o.median)} (${formatMs(o.min)}–${formatMs(o.max)})`;
    }),
  );
  out.push(
    row(
      `one-file sync of the changed path, as watch and the hook sync (median of ${size.stores[0]?.library.oneFilePath.samples.length ?? 0}; min–max)`,
      (r) => {
        const o = r.library.oneFilePath;
        return `${formatMs(o.median)} (${formatMs(o.min)}–${formatMs(o.max)})`;
      },
    ),
  );
  out.push(row('write phase: engine transaction (writeMs)', (r) => formatMs(r.library.cold.writeMs)));
  out.push(
    row('write phase: raw `unnest` upsert, same rows', (r) =>
      'error' in r.library.raw ? `n/a (${r.library.raw.error})` : formatMs(r.library.raw.ms),
    ),
  );
  out.push(
    row('watch latency: save → committed (median)', (r) =>
      maybe(
        r.watch,
        (w) =>
          `${formatMs(w.median)} (debounce ${w.debounceMs} ms: detect ${formatMs(w.detectMedian)}, settle ${formatMs(w.settleMedian)}, sync ${formatMs(w.syncMedian)})`,
      ),
    ),
  );
  out.push(
    row('pre-commit hook: `git commit`, one staged file (median; samples)', (r) =>
      maybe(
        r.hook,
        (h) =>
          `${formatMs(h.median)} (${h.samples.map(formatMs).join(', ')}; git alone ${formatMs(h.noVerifyMedian)})` +
          (h.notSynced.length ? `; mirror NOT synced after ${h.notSynced.length} of ${h.samples.length} commits` : ''),
      ),
    ),
  );
  out.push('');

  out.push('Where the time goes (instrumented from outside the engine; phases that overlap are attributed in order):', '');
  out.push(`| phase | ${stores.map((s) => `${s} cold`).join(' | ')} | ${stores.map((s) => `${s} one-file`).join(' | ')} |`);
  out.push(`|---|${stores.map(() => '---:|').join('')}${stores.map(() => '---:|').join('')}`);
  const phases: Array<[keyof SyncBreakdown, string]> = [
    ['listMs', 'list files'],
    ['readMs', 'read + hash files'],
    ['sqlBeforeTxMs', 'SQL before the transaction (repository row, index)'],
    ['parseMs', 'parse changed files'],
    ['txBeginMs', 'BEGIN + advisory lock'],
    ['sqlReadInTxMs', 'SQL reads in the transaction'],
    ['planMs', 'plan (reconcile + write-back planning)'],
    ['sqlWriteMs', 'SQL writes (applyPlan + sync run)'],
    ['commitMs', 'COMMIT'],
    ['writeBackMs', 'write ids back into files'],
    ['otherMs', 'other'],
  ];
  for (const [key, label] of phases) {
    const cold = stores.map((s) => (by(s) ? formatMs(by(s)!.library.cold.breakdown[key] as number) : '—'));
    const one = stores.map((s) => (by(s) ? formatMs(by(s)!.library.oneFile.breakdown[key] as number) : '—'));
    out.push(`| ${label} | ${cold.join(' | ')} | ${one.join(' | ')} |`);
  }
  const top = stores.flatMap((s) => {
    const r = by(s);
    if (!r) return [];
    const fmt = (x: { label: string; ms: number; count: number; phase: string }) =>
      `${x.label}${x.phase === 'tx-write' ? '' : ` (${x.phase})`} ${formatMs(x.ms)}${x.count > 1 ? ` ×${x.count}` : ''}`;
    const cold = r.library.cold.breakdown.statements
      .filter((x) => x.phase === 'tx-write')
      .slice(0, 5)
      .map(fmt);
    const one = r.library.oneFile.statements.slice(0, 5).map(fmt);
    const raw =
      'error' in r.library.raw
        ? []
        : Object.entries(r.library.raw.statementMs)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 5)
            .map(([t, ms]) => `${t} ${formatMs(ms)}`);
    return [
      `- ${s}: slowest cold write statements: ${cold.join(', ')}.`,
      ...(raw.length ? [`- ${s}: raw upsert statements: ${raw.join(', ')}.`] : []),
      `- ${s}: slowest one-file statements: ${one.join(', ')}.`,
    ];
  });
  out.push('', ...top);
  for (const s of stores) {
    const p = by(s)?.profile;
    if (!p) continue;
    out.push(
      `- ${s}: CPU profile of the cold \`workplan sync\` process (busy self time over ${p.threadsMs.length} thread(s): ` +
        `${p.threadsMs.map(formatMs).join(' + ')} = ${formatMs(p.totalMs)}): ` +
        p.categories
          .slice(0, 10)
          .map((c) => `${c.name} ${formatMs(c.ms)}`)
          .join(', ') +
        '.',
    );
  }
  return out;
}

/** Writes bench/results/<date>-<size>.json per size and latest.md; returns the paths written. */
export async function writeResults(outDir: string, results: RunResults, markdown: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const size of results.sizes) {
    const path = join(outDir, `${results.date}-${size.size}${size.shape === 'varied' ? '-varied' : ''}.json`);
    const json = { ...results, sizes: [size], allSizes: results.sizes.map((s) => s.size) };
    await writeFile(path, `${JSON.stringify(json, null, 2)}\n`);
    written.push(path);
  }
  const md = join(outDir, 'latest.md');
  await writeFile(md, markdown);
  written.push(md);
  return written;
}

type Row = (label: string, cell: (r: StoreResult) => string) => string;

/** The rows of #18's targets 3 and 6: `check` and its parse cache, and the shared mirror. */
function renderScaleRows(row: Row, maybe: <T extends object>(v: Maybe<T>, f: (x: T) => string) => string): string[] {
  const check = (r: StoreResult) => r.check ?? { na: 'not measured' };
  const shared = (r: StoreResult) => r.sharedMirror ?? { na: 'not measured' };
  return [
    row('`workplan check` (library), empty parse cache / again / after the cold sync (files parsed)', (r) =>
      maybe(
        check(r),
        (c) =>
          `${formatMs(c.cold.ms)} (${c.cold.parsed}) / ${formatMs(c.warm.ms)} (${c.warm.parsed}) / ${formatMs(c.afterSync.ms)} (${c.afterSync.parsed})`,
      ),
    ),
    row('cold sync after that check: parse phase (files parsed)', (r) =>
      maybe(check(r), (c) => `${formatMs(c.syncAfterCheck.parseMs)} (${c.syncAfterCheck.parsed})`),
    ),
    row('shared mirror: one-file sync, alone → among N repositories (medians)', (r) =>
      maybe(shared(r), (m) => `${formatMs(m.alone.oneFile)} → ${formatMs(m.shared.oneFile)} (N = ${m.repositories})`),
    ),
    row('shared mirror: status / list tasks / list workstreams, alone → shared', (r) =>
      maybe(
        shared(r),
        (m) =>
          `${formatMs(m.alone.status)} → ${formatMs(m.shared.status)} / ${formatMs(m.alone.listTasks)} → ${formatMs(m.shared.listTasks)} / ${formatMs(m.alone.listWorkstreams)} → ${formatMs(m.shared.listWorkstreams)}`,
      ),
    ),
    row('shared mirror: built by set-based copies', (r) =>
      maybe(shared(r), (m) => `${formatMs(m.clone.ms)} (${m.clone.rows.repositories} repositories, ${m.clone.rows.tasks} tasks)`),
    ),
  ];
}
