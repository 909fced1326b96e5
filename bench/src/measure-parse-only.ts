// The reference any remark-based tool pays: parse every file once with unified + remark-parse +
// remark-frontmatter + remark-gfm, single-threaded, nothing else (the files are read before the clock starts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

import { DEFAULT_CONFIG } from '#lib/model/config.js';
import { parseAdr } from '#lib/parse/adr.js';
import { parseWorkplan } from '#lib/parse/workplan.js';

/**
 * Parses the first `count` files with remark and with the engine's parsers, untimed, so neither the
 * parse-only reference nor the in-process cold sync is the one that pays V8's warm-up.
 */
export async function warmUp(root: string, files: ReadonlyArray<{ path: string; kind: 'workplan' | 'adr' }>, count = 40): Promise<void> {
  const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();
  for (const f of files.slice(0, count)) {
    const text = await readFile(join(root, f.path), 'utf8');
    processor.parse(text);
    if (f.kind === 'workplan') parseWorkplan(f.path, text, DEFAULT_CONFIG);
    else parseAdr(f.path, text, DEFAULT_CONFIG);
  }
}

export interface ParseOnlyResult {
  /** The mean of the samples. */
  ms: number;
  /** One per pass (the benchmark runs one just before and one just after the cold sync). */
  samples?: number[];
  readMs: number;
  files: number;
  bytes: number;
  nodes: number;
}

/**
 * Parses `paths` (relative to `root`) one after another. Only the parsing is timed: the files are read
 * (and decoded) first, so a busy machine's slow file reads do not pad the reference. `readMs` is the
 * untimed read, for information.
 */
export async function measureParseOnly(root: string, paths: readonly string[]): Promise<ParseOnlyResult> {
  const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const r0 = performance.now();
  const buffers = await Promise.all(paths.map((path) => readFile(join(root, path))));
  const readMs = performance.now() - r0;
  const bytes = buffers.reduce((n, b) => n + b.length, 0);
  let nodes = 0;
  const started = performance.now();
  for (const buffer of buffers) {
    const tree = processor.parse(decoder.decode(buffer));
    nodes += tree.children.length; // keeps the tree observable, so the parse cannot be optimised away
  }
  return { ms: performance.now() - started, readMs, files: paths.length, bytes, nodes };
}

/** Combines passes: the mean time, every sample kept. */
export function combineParseOnly(passes: readonly ParseOnlyResult[]): ParseOnlyResult {
  const first = passes[0];
  if (!first) throw new Error('no parse-only pass');
  const mean = (k: 'ms' | 'readMs') => passes.reduce((a, p) => a + p[k], 0) / passes.length;
  return { ...first, ms: mean('ms'), readMs: mean('readMs'), samples: passes.map((p) => p.ms) };
}
