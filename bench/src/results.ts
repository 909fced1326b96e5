// The shape of a benchmark run's results (also the JSON written to bench/results/).
import type { CorpusShape } from './corpus.js';
import type { StoreKind } from '#lib/db/store.js';
import type { ChildColdResult } from './measure-child.js';
import type { HookResult } from './measure-hook.js';
import type { ParseOnlyResult } from './measure-parse-only.js';
import type { LibraryMeasurements, TimedSync } from './measure-sync.js';
import type { WatchLatencyResult } from './measure-watch.js';
import type { CheckMeasurements } from './measure-check.js';
import type { SharedMirrorResult } from './measure-shared-mirror.js';
import type { ProfileSummary } from './cpu-profile.js';
import type { StartupResult } from './measure-startup.js';
import type { FirstRunResult } from './measure-first-run.js';
import type { PeerResult } from './peer-mddb.js';
import type { StartupStoreResult } from './measure-startup-store.js';
import type { CorpusStats } from './corpus.js';

/** A measurement that was not taken, and why. */
export interface NotAvailable {
  na: string;
}

export type Maybe<T> = T | NotAvailable;

export function isNa<T extends object>(value: Maybe<T>): value is NotAvailable {
  return 'na' in value;
}

export interface StoreResult {
  store: StoreKind;
  parseOnly: ParseOnlyResult;
  library: LibraryMeasurements;
  child: Maybe<ChildColdResult>;
  watch: Maybe<WatchLatencyResult>;
  hook: Maybe<HookResult>;
  /** --compare-workers: the same cold sync with parsing on the main thread (SyncOptions.workers = 0). */
  coldMainThread?: TimedSync;
  profile?: ProfileSummary;
  /** No-op `workplan sync` processes beside `node -e 0` (measure-startup.ts); absent in older results. */
  startup?: Maybe<StartupResult>;
  /** `workplan check` against the sync's parse phase, and what each leaves the other to parse (#18 target 3). */
  check?: Maybe<CheckMeasurements>;
  /** One repository in a mirror shared by many (#18 target 6; Postgres only). */
  sharedMirror?: Maybe<SharedMirrorResult>;
}

export interface SizeResult {
  size: number;
  seed: number;
  /** The corpus shape (`--shape`); absent in results from before the option: standard. */
  shape?: CorpusShape;
  corpus: CorpusStats & { files: number };
  stores: StoreResult[];
  /** Minutes:seconds the size took, all stores. */
  elapsedMs: number;
}

export interface Machine {
  os: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  node: string;
  memoryMb: number;
}

export interface TargetCell {
  value: number | null;
  display: string;
  pass: boolean | null;
}

export interface TargetCheck {
  key: string;
  label: string;
  limit: string;
  /** The corpus size the check is about, e.g. "1,000" or "10,000 vs 1,000". */
  scope: string;
  cells: Partial<Record<StoreKind, TargetCell>>;
}

export interface RunResults {
  version: 1;
  date: string;
  startedAt: string;
  machine: Machine;
  options: { sizes: number[]; stores: StoreKind[]; repetitions: number; seed: number; shape?: CorpusShape };
  sizes: SizeResult[];
  targets: TargetCheck[];
  notes: string[];
  /** A new embedded store and a fresh clone's first sync (measure-first-run.ts); absent in older results. */
  firstRun?: Maybe<FirstRunResult>;
  /** `--peer mddb` (peer-mddb.ts). */
  peer?: Maybe<PeerResult>;
  /** `--only startup`: the start-up measurements per store and size, without the library ones. */
  startupOnly?: StartupStoreResult[];
}
