// Issue #18's targets 1, 2 and 7: the first run, start-up, and a peer measured beside us. Judged on
// figures of one run, like every target (targets.ts); kept apart so each group of targets stays small.
import type { StoreKind } from '#lib/db/store.js';
import { formatBytes, formatMs, formatRatio } from './format.js';
import type { FirstRunResult } from './measure-first-run.js';
import type { PeerResult } from './peer-mddb.js';
import { isNa, type Maybe, type SizeResult, type StoreResult, type TargetCell, type TargetCheck } from './results.js';
import type { StartupStoreResult } from './measure-startup-store.js';

/** Start-up limits per store (issue #18): Postgres needs no WebAssembly database in the process. */
export const NOOP_PROCESS_LIMIT_MS: Record<StoreKind, number> = { postgres: 250, embedded: 400 };
export const HOOK_ADDS_LIMIT_MS: Record<StoreKind, number> = { postgres: 250, embedded: 400 };
const NEW_STORE_LIMIT_MS = 1000;
const FIRST_RUN_RATIO = 3;

export function evaluateStartupTargets(
  main: SizeResult | undefined,
  stores: StoreKind[],
  firstRun: Maybe<FirstRunResult> | undefined,
  peer: Maybe<PeerResult> | undefined,
  startupOnly: readonly StartupStoreResult[] = [],
): TargetCheck[] {
  const scope = main ? main.size.toLocaleString('en-US') : '—';
  const na = (why: string): TargetCell => ({ value: null, display: `n/a (${why})`, pass: null });
  // A full run's store results, or `--only startup`'s for the same size.
  const storeAt = (store: StoreKind): Pick<StoreResult, 'startup' | 'hook' | 'child'> | undefined => {
    const full = main?.stores.find((r) => r.store === store);
    if (full) return full;
    const only = startupOnly.find((r) => r.store === store && r.size === main?.size);
    return only && { startup: only.startup, hook: only.hook, child: only.cold };
  };
  const per = (cell: (store: StoreKind) => TargetCell) => Object.fromEntries(stores.map((s) => [s, cell(s)]));
  const embeddedOnly = (cell: (f: FirstRunResult) => TargetCell) =>
    stores.includes('embedded') ? { embedded: !firstRun ? na('skipped') : isNa(firstRun) ? na(firstRun.na) : cell(firstRun) } : {};
  const checks: TargetCheck[] = [];

  checks.push({
    key: 'first-run-new-store',
    label: 'new embedded store, created and migrated (openStore + close; from the template)',
    limit: '≤ 1 s',
    scope: 'empty store',
    cells: embeddedOnly((f) => ({
      value: f.createMedian,
      display: `${formatMs(f.createMedian)} (in place, without the template: ${formatMs(f.createInPlaceMs)}; opening an existing store: ${formatMs(f.reopenMedian)})`,
      pass: f.createMedian <= NEW_STORE_LIMIT_MS,
    })),
  });
  checks.push({
    key: 'first-run-clone',
    label: 'fresh clone of this repository: first `workplan sync` / no-op `workplan sync` (processes)',
    limit: `≤ ${FIRST_RUN_RATIO}`,
    scope: 'this repository',
    cells: embeddedOnly((f) => {
      if (isNa(f.clone)) return na(f.clone.na);
      const ratio = f.clone.firstMs / f.clone.noopMedian;
      return {
        value: ratio,
        display: `${formatRatio(ratio)} (${formatMs(f.clone.firstMs)} / ${formatMs(f.clone.noopMedian)}, ${f.clone.files} files)`,
        pass: ratio <= FIRST_RUN_RATIO,
      };
    }),
  });
  checks.push({
    key: 'startup-noop-process',
    label: 'no-op `workplan sync` process, spawn → exit (median; `node -e 0` beside it)',
    limit: '≤ 250 ms Postgres, ≤ 400 ms embedded',
    scope,
    cells: per((store) => {
      const r = storeAt(store)?.startup;
      if (!r) return na('not measured');
      if (isNa(r)) return na(r.na);
      return {
        value: r.noopMedian,
        display: `${formatMs(r.noopMedian)} (node -e 0: ${formatMs(r.floorMedian)}, ${formatRatio(r.noopMedian / r.floorMedian)}× it; the sync itself ${formatMs(r.syncMedian)})`,
        pass: r.noopMedian <= NOOP_PROCESS_LIMIT_MS[store],
      };
    }),
  });
  checks.push({
    key: 'startup-hook-adds',
    label: 'what the pre-commit hook adds to a one-file commit (hooked − --no-verify, medians; no daemon)',
    limit: '≤ 250 ms Postgres, ≤ 400 ms embedded',
    scope,
    cells: per((store) => {
      const h = storeAt(store)?.hook;
      if (!h) return na('not measured');
      if (isNa(h)) return na(h.na);
      const adds = h.median - h.noVerifyMedian;
      return {
        value: adds,
        display: `${formatMs(adds)} (${formatMs(h.median)} − ${formatMs(h.noVerifyMedian)})`,
        pass: adds <= HOOK_ADDS_LIMIT_MS[store],
      };
    }),
  });
  if (peer) {
    checks.push({
      key: 'peer-mddb',
      label: 'MarkdownDB indexing the same corpus (process wall, peak RSS) beside the cold `workplan sync` process',
      limit: 'for comparison',
      scope,
      cells: per((store) => {
        if (isNa(peer)) return na(peer.na);
        const child = storeAt(store)?.child;
        const ours =
          child && !isNa(child)
            ? `; workplan sync ${formatMs(child.wallMs)}, ${formatBytes(child.maxRssKb * 1024)} (${formatRatio(child.wallMs / peer.wallMs)}×)`
            : '';
        return {
          value: peer.wallMs,
          display: `mddb ${peer.version}: ${formatMs(peer.wallMs)}, ${formatBytes(peer.maxRssKb * 1024)}${ours}`,
          pass: null,
        };
      }),
    });
  }
  return checks;
}
