// Child process of the benchmark: runs `workplan sync --json` (the CLI's own main) on a corpus whose
// mirror is empty, then prints one JSON line with the sync's duration and this process's peak RSS.
// A separate process, so the parent's memory (corpus, parse-only trees, its own store) is not counted.
//   node bench/dist/cold-child.js --root <corpus>      (DATABASE_URL selects Postgres, as for the CLI)
import { parseArgs } from 'node:util';

import { main } from '#lib/cli/main.js';
import { createRecordingOutput } from '#lib/cli/output.js';

const startupMs = performance.now();
const { values } = parseArgs({ options: { root: { type: 'string' } }, strict: true });
if (!values.root) {
  process.stderr.write('usage: cold-child.js --root <dir>\n');
  process.exit(2);
}
// Peaks of the main thread's memory components, sampled, to tell the V8 heap from WebAssembly memory
// (PGlite) and from native / worker-thread memory (RSS minus the rest).
const peaks = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0, wasm: 0 };
const wasmMemories = recordWasmMemories();
const sample = () => {
  const m = { ...process.memoryUsage(), wasm: wasmMemories.reduce((n, w) => n + w.buffer.byteLength, 0) };
  for (const k of Object.keys(peaks) as Array<keyof typeof peaks>) peaks[k] = Math.max(peaks[k], m[k]);
};
const sampler = setInterval(sample, 50);
sampler.unref();
const out = createRecordingOutput();
const started = performance.now();
const exitCode = await main(['sync', '--root', values.root, '--json'], { out });
const syncWallMs = performance.now() - started;
sample();
clearInterval(sampler);
let durationMs: number | null = null;
let outcome: string | null = null;
try {
  const json = JSON.parse(out.stdout.join('\n')) as { durationMs?: number; outcome?: string };
  durationMs = json.durationMs ?? null;
  outcome = json.outcome ?? null;
} catch {
  // reported through exitCode / stderr below
}
process.stdout.write(
  `${JSON.stringify({
    exitCode,
    outcome,
    durationMs,
    syncWallMs,
    startupMs,
    maxRssKb: process.resourceUsage().maxRSS,
    memoryPeaksMb: Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, Math.round(v / 1024 / 1024)])),
    stderr: out.stderr.join('\n').slice(0, 2000),
  })}\n`,
);
process.exitCode = exitCode;

/**
 * Every WebAssembly.Memory made from now on (PGlite's Postgres heap), so its size is measured apart:
 * `external` counts it whole, reserved or not; RSS counts the pages Postgres touched.
 */
function recordWasmMemories(): Array<{ buffer: ArrayBuffer }> {
  type MemoryConstructor = new (descriptor: object) => { buffer: ArrayBuffer };
  const wasm = (globalThis as unknown as { WebAssembly: { Memory: MemoryConstructor } }).WebAssembly;
  const made: Array<{ buffer: ArrayBuffer }> = [];
  const Original = wasm.Memory;
  const Recording = function (descriptor: object) {
    const memory = new Original(descriptor);
    made.push(memory);
    return memory;
  } as unknown as MemoryConstructor;
  Recording.prototype = Original.prototype;
  wasm.Memory = Recording;
  return made;
}
