// The benchmark corpus: N workplans shaped like the seed and N/5 ADRs, generated deterministically
// from a seed (same seed and size → byte-identical files). Pure: returns texts; corpus-files.ts
// writes them. File i depends only on (seed, i), so the first 100 files of a 1,000-file corpus are
// those of the 100-file corpus apart from links to ADRs beyond the smaller corpus's end.
import { adrHeader, generateAdr, type AdrHeader, type AdrStyle } from './corpus-adr.js';
import { pickVariedShape, richProse } from './corpus-varied.js';
import { generateWorkplan, workplanRef, type WorkplanRef, type WorkplanSpec } from './corpus-workplan.js';
import { createRandom, deriveSeed } from './random.js';

export interface CorpusOptions {
  /** Number of workplans (ADRs: a fifth of it, at least one). */
  size: number;
  seed?: number;
  /**
   * `standard` (default): every workplan shaped like the seed, N/5 ADRs. `varied` (corpus-varied.ts):
   * long prose, many small tasks, big closure reviews, and N/2 longer ADRs.
   */
  shape?: CorpusShape;
}

export type CorpusShape = 'standard' | 'varied';

export interface CorpusFile {
  path: string;
  kind: 'workplan' | 'adr';
  text: string;
}

export interface CorpusStats {
  workplans: number;
  adrs: number;
  bytes: number;
  workplansWithIds: number;
  completed: number;
  tasks: number;
  adrStyles: Record<AdrStyle, number>;
}

export interface Corpus {
  seed: number;
  size: number;
  files: CorpusFile[];
  stats: CorpusStats;
}

export const DEFAULT_SEED = 20261125;

/** Generates the whole corpus in memory. */
export function generateCorpus(options: CorpusOptions): Corpus {
  const seed = options.seed ?? DEFAULT_SEED;
  const size = Math.max(1, Math.floor(options.size));
  const digits = Math.max(4, String(size).length);
  const spec = (number: number): WorkplanSpec => ({ number, digits });
  const refRandom = (n: number) => createRandom(deriveSeed(seed, 'workplan-ref', n));
  const refs = new Map<number, WorkplanRef>();
  const refOf = (n: number): WorkplanRef => {
    let ref = refs.get(n);
    if (!ref) refs.set(n, (ref = workplanRef(refRandom(n), spec(n))));
    return ref;
  };

  const files: CorpusFile[] = [];
  const encoder = new TextEncoder();
  let bytes = 0;
  let withIds = 0;
  let completed = 0;
  let tasks = 0;
  for (let n = 1; n <= size; n++) {
    const rng = createRandom(deriveSeed(seed, 'workplan', n));
    // Dependencies and carry-forward targets point at earlier workplans, mostly recent ones.
    const earlier = (count: number): WorkplanRef[] => {
      if (n === 1 || count === 0) return [];
      const picked = new Set<number>();
      for (let i = 0; i < count * 3 && picked.size < Math.min(count, n - 1); i++) {
        const back = rng.chance(0.7) ? rng.int(1, Math.min(20, n - 1)) : rng.int(1, n - 1);
        picked.add(n - back);
      }
      return [...picked].map(refOf);
    };
    const shape = options.shape === 'varied' ? pickVariedShape(createRandom(deriveSeed(seed, 'workplan-shape', n))).shape : undefined;
    const wp = generateWorkplan(refRandom(n), rng, spec(n), earlier, shape);
    files.push({ path: wp.path, kind: 'workplan', text: wp.text });
    bytes += encoder.encode(wp.text).length;
    if (wp.hasIds) withIds++;
    if (wp.status === 'completed') completed++;
    tasks += wp.tasks;
  }

  const adrCount = Math.max(1, Math.floor(size / (options.shape === 'varied' ? 2 : 5)));
  const headers: AdrHeader[] = [];
  for (let n = 1; n <= adrCount; n++) headers.push(adrHeader(createRandom(deriveSeed(seed, 'adr-header', n)), n));
  // Every sixth ADR (by a seeded draw) is superseded by the next one.
  const superseded = (n: number) => n < adrCount && deriveSeed(seed, 'adr-superseded', n) % 6 === 0;
  const adrStyles: Record<AdrStyle, number> = { madr4: 0, madr2: 0, nygard: 0 };
  for (const header of headers) {
    const n = header.number;
    const adr = generateAdr(createRandom(deriveSeed(seed, 'adr', n)), header, {
      ...(superseded(n) ? { supersededBy: headers[n]! } : {}),
      ...(n > 1 && superseded(n - 1) ? { supersedes: headers[n - 2]! } : {}),
    });
    const text =
      options.shape === 'varied'
        ? `${adr.text}\n## More Information\n\n${richProse(createRandom(deriveSeed(seed, 'adr-more', n)), 2, 6).join('\n\n')}\n`
        : adr.text;
    files.push({ path: adr.path, kind: 'adr', text });
    bytes += encoder.encode(text).length;
    adrStyles[adr.style]++;
  }

  return {
    seed,
    size,
    files,
    stats: { workplans: size, adrs: adrCount, bytes, workplansWithIds: withIds, completed, tasks, adrStyles },
  };
}
