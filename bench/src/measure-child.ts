// The cold sync as a user runs it: `workplan sync` in a fresh Node process (bench/dist/cold-child.js
// calls the CLI's main), on a fresh corpus copy and an empty mirror. Gives the process wall time
// (start-up included), the sync's own duration and the process's peak RSS.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

import { envFor, type BenchMirror } from './bench-stores.js';
import { runProcess } from './run-process.js';

export interface ChildColdResult {
  wallMs: number;
  durationMs: number | null;
  syncWallMs: number;
  startupMs: number;
  maxRssKb: number;
  /** Sampled peaks of the main thread's process.memoryUsage() components, MB (external includes WebAssembly memory). */
  memoryPeaksMb: Record<string, number>;
  /** The .cpuprofile files (one per thread) written when profiling was asked for. */
  cpuProfiles?: string[];
}

const CHILD = fileURLToPath(new URL('./cold-child.js', import.meta.url));

export async function measureChildCold(root: string, mirror: BenchMirror, options: { profileDir?: string } = {}): Promise<ChildColdResult> {
  const nodeArgs = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  const run = await runProcess(process.execPath, [...nodeArgs, CHILD, '--root', root], {
    env: envFor(mirror, process.env),
    timeoutMs: 30 * 60_000,
  });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  let parsed: {
    exitCode: number;
    outcome: string | null;
    durationMs: number | null;
    syncWallMs: number;
    startupMs: number;
    maxRssKb: number;
    memoryPeaksMb: Record<string, number>;
    stderr: string;
  };
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(
      `cold-child printed no result (exit ${run.code ?? run.signal}): ${run.stderr.slice(0, 1000) || run.stdout.slice(0, 1000)}`,
    );
  }
  if (parsed.exitCode !== 0 || parsed.outcome !== 'applied') {
    throw new Error(`cold-child: workplan sync exited ${parsed.exitCode} (outcome ${parsed.outcome}): ${parsed.stderr}`);
  }
  let cpuProfiles: string[] | undefined;
  if (options.profileDir) {
    cpuProfiles = (await readdir(options.profileDir))
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort()
      .map((f) => join(options.profileDir!, f));
  }
  return {
    wallMs: run.wallMs,
    durationMs: parsed.durationMs,
    syncWallMs: parsed.syncWallMs,
    startupMs: parsed.startupMs,
    maxRssKb: parsed.maxRssKb,
    memoryPeaksMb: parsed.memoryPeaksMb,
    ...(cpuProfiles ? { cpuProfiles } : {}),
  };
}
