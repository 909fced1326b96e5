// A small seeded PRNG for the benchmark corpus. Pure and deterministic: the same seed always yields
// the same sequence on every machine (32-bit integer arithmetic only; never Math.random).

/** A deterministic source of random choices. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `count` distinct elements of `items`, in a random order (all of them when count ≥ length). */
  sample<T>(items: readonly T[], count: number): T[];
  /** A version-4-shaped UUID (lower-case 8-4-4-4-12 hex). */
  uuid(): string;
}

/** Folds strings and integers into one 32-bit seed (FNV-1a), e.g. `deriveSeed(seed, 'workplan', 17)`. */
export function deriveSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${typeof part}:${part}|`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}

/** sfc32 seeded from one 32-bit integer (the state is warmed up so nearby seeds diverge). */
export function createRandom(seed: number): Random {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const nextUint32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) nextUint32();

  const next = () => nextUint32() / 4294967296;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0').slice(-digits);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty array');
      return items[int(0, items.length - 1)]!;
    },
    sample: (items, count) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, Math.max(0, count));
    },
    uuid: () => {
      const w = [nextUint32(), nextUint32(), nextUint32(), nextUint32()];
      const variant = (8 + (w[2]! >>> 30)).toString(16);
      return (
        `${hex(w[0]!, 8)}-${hex(w[1]! >>> 16, 4)}-4${hex(w[1]! & 0xfff, 3)}-` +
        `${variant}${hex((w[2]! >>> 16) & 0xfff, 3)}-${hex(w[2]! & 0xffff, 4)}${hex(w[3]!, 8)}`
      );
    },
  };
}
