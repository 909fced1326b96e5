// Start-up as a person meets it (issue #18, target 2): a no-op `workplan sync` process on the synced
// corpus, spawn → exit, next to `node -e 0` (the floor no Node program goes below), alternated so a
// machine that gets busier or quieter weighs on both alike. A warm-up run first lets the CLI write
// the caches a real second run finds. Each timed run must change nothing.
import { fileURLToPath } from 'node:url';

import { envFor, type BenchMirror } from './bench-stores.js';
import { runProcess } from './run-process.js';
import { median } from './stats.js';

export interface StartupResult {
  /** `workplan sync --json` with nothing to do, spawn → exit, ms. */
  noopSamples: number[];
  noopMedian: number;
  /** `node -e 0`, spawn → exit, ms. */
  floorSamples: number[];
  floorMedian: number;
  /** The sync's own durationMs (median): the rest of the process's time is start-up and exit. */
  syncMedian: number;
}

const BIN = fileURLToPath(new URL('../../bin/workplan.js', import.meta.url));

/** Times `repetitions` no-op sync processes and as many `node -e 0`. */
export async function measureStartup(options: { root: string; mirror: BenchMirror; repetitions: number }): Promise<StartupResult> {
  const env = envFor(options.mirror, process.env);
  const sync = async () => {
    const run = await runProcess(process.execPath, [BIN, 'sync', '--json'], { cwd: options.root, env, timeoutMs: 10 * 60_000 });
    if (run.code !== 0)
      throw new Error(`workplan sync exited ${run.code ?? run.signal}: ${(run.stderr || run.stdout).trim().slice(0, 600)}`);
    const json = JSON.parse(run.stdout) as { outcome: string; durationMs: number };
    return { wallMs: run.wallMs, outcome: json.outcome, durationMs: json.durationMs };
  };
  await sync(); // warm-up: whatever the library runs left differently, the CLI now finds its own caches
  const noop: number[] = [];
  const floor: number[] = [];
  const durations: number[] = [];
  for (let i = 0; i < options.repetitions; i++) {
    floor.push((await runProcess(process.execPath, ['-e', '0'], { env })).wallMs);
    const run = await sync();
    if (run.outcome !== 'noop') {
      throw new Error(`the no-op sync process was not a no-op (outcome ${run.outcome})`);
    }
    noop.push(run.wallMs);
    durations.push(run.durationMs);
  }
  return { noopSamples: noop, noopMedian: median(noop), floorSamples: floor, floorMedian: median(floor), syncMedian: median(durations) };
}
