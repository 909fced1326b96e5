// Issue #18's targets 3, 5 and 6: `check` against the sync's parse phase and what either leaves the
// other to parse; peak RSS of a cold sync at 1,000 workplans; one repository in a shared mirror.
// Judged on ratios measured in one run, as targets.ts does; a size not measured is n/a, never guessed.
import type { StoreKind } from '#lib/db/store.js';
import { formatBytes, formatRatio } from './format.js';
import { isNa, type SizeResult, type StoreResult, type TargetCell, type TargetCheck } from './results.js';

const MAIN_SIZE = 1000;

export function evaluateScaleTargets(sizes: SizeResult[], stores: StoreKind[]): TargetCheck[] {
  const main = sizes.find((s) => s.size === MAIN_SIZE) ?? sizes[sizes.length - 1];
  const mainScope = main ? main.size.toLocaleString('en-US') : '—';
  const storeAt = (store: StoreKind): StoreResult | undefined => main?.stores.find((r) => r.store === store);
  const na = (why: string): TargetCell => ({ value: null, display: `n/a (${why})`, pass: null });
  const checks: TargetCheck[] = [];
  const per = (key: string, label: string, limit: string, scope: string, cell: (r: StoreResult) => TargetCell) => {
    const cells: TargetCheck['cells'] = {};
    for (const s of stores) {
      const r = storeAt(s);
      cells[s] = r ? cell(r) : na('not measured');
    }
    checks.push({ key, label, limit, scope, cells });
  };

  per('check-vs-parse', "`check` (empty cache) / the cold sync's list + read + parse phases", '≤ 1.1', mainScope, (r) => {
    if (!r.check || isNa(r.check)) return na(r.check?.na ?? 'not measured');
    const b = r.library.cold.breakdown;
    const v = r.check.cold.ms / (b.listMs + b.readMs + b.parseMs);
    return { value: v, display: formatRatio(v), pass: v <= 1.1 };
  });
  per('parse-once', 'files parsed again: sync after check / check again / check after the sync wrote ids', '0', mainScope, (r) => {
    if (!r.check || isNa(r.check)) return na(r.check?.na ?? 'not measured');
    const c = r.check;
    const again = c.syncAfterCheck.parsed + c.warm.parsed + c.afterSync.parsed;
    const why = c.afterSync.parsed > 0 ? ` (the ${c.syncAfterCheck.writtenBack} files the sync wrote ids into are new texts)` : '';
    return { value: again, display: `${c.syncAfterCheck.parsed} / ${c.warm.parsed} / ${c.afterSync.parsed}${why}`, pass: again === 0 };
  });
  per('peak-rss-1000', 'peak RSS of the cold sync (CLI process)', '≤ 300 MB', mainScope, (r) => {
    if (isNa(r.child)) return na(r.child.na);
    const m = r.child.memoryPeaksMb;
    const parts = `heap ${m.heapTotal ?? '?'} MB${m.wasm ? `, PGlite WASM ${m.wasm} MB` : ''}`;
    return { value: r.child.maxRssKb, display: `${formatBytes(r.child.maxRssKb * 1024)} (${parts})`, pass: r.child.maxRssKb / 1024 <= 300 };
  });
  const shared = (
    key: string,
    label: string,
    pick: (t: { oneFile: number; status: number; listTasks: number; listWorkstreams: number }) => number,
  ) =>
    per(key, label, '≤ 1.5', `${mainScope}, shared mirror`, (r) => {
      if (!r.sharedMirror || isNa(r.sharedMirror)) return na(r.sharedMirror?.na ?? 'not measured');
      const v = pick(r.sharedMirror.shared) / pick(r.sharedMirror.alone);
      return { value: v, display: `${formatRatio(v)} (${r.sharedMirror.repositories} repositories)`, pass: v <= 1.5 };
    });
  shared('shared-one-file', 'one-file sync in a shared mirror (--org N repositories) / alone', (t) => t.oneFile);
  shared('shared-status', '`status` in a shared mirror / alone', (t) => t.status);
  shared('shared-list-tasks', '`list tasks` in a shared mirror / alone', (t) => t.listTasks);
  shared('shared-list-workstreams', '`list workstreams` in a shared mirror / alone', (t) => t.listWorkstreams);
  return checks;
}
