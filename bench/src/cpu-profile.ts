// Summarises a V8 .cpuprofile (node --cpu-prof) by where self time was spent: each npm package,
// each directory of our dist/, Node internals, GC and idle. For reports of where a MISS comes from.
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Busy (non-idle) time sampled over all threads. */
  totalMs: number;
  /** Busy time per thread, in file order (main thread and workers). */
  threadsMs: number[];
  /** Self time by category, largest first. */
  categories: Array<{ name: string; ms: number }>;
  /** Self time by function, largest first. */
  functions: Array<{ name: string; ms: number }>;
}

/**
 * Where self time went over `paths` (one .cpuprofile per thread: node --cpu-prof writes one for the
 * main thread and one per worker thread). Idle time is left out: a waiting main thread is not a cost.
 */
export async function summariseCpuProfiles(paths: readonly string[], top = 15): Promise<ProfileSummary> {
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  const threads: number[] = [];
  let totalMs = 0;
  for (const path of paths) {
    const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    for (let i = 0; i < profile.samples.length; i++) {
      const id = profile.samples[i]!;
      self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    }
    let threadMs = 0;
    for (const [id, ms] of self) {
      const node = byId.get(id);
      if (!node || node.callFrame.functionName === '(idle)') continue;
      threadMs += ms;
      const cat = categoryOf(node.callFrame.url, node.callFrame.functionName);
      categories.set(cat, (categories.get(cat) ?? 0) + ms);
      const fn = `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}`;
      functions.set(fn, (functions.get(fn) ?? 0) + ms);
    }
    threads.push(threadMs);
    totalMs += threadMs;
  }
  const sorted = (m: Map<string, number>) =>
    [...m]
      .map(([name, ms]) => ({ name, ms }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  return { totalMs, threadsMs: threads, categories: sorted(categories), functions: sorted(functions) };
}

function categoryOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const dist = /\/dist\/([^/]+)\//.exec(url);
  if (dist) return `workplan-sync ${dist[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return shortUrl(url);
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}
