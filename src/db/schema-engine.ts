// Loads Prisma's schema engine as WebAssembly (@prisma/schema-engine-wasm) for `prisma migrate`-style work
// without the native engine binary, which is downloaded from a CDN we cannot assume is reachable.
//
// The package's entry point `import`s its .wasm file, which plain Node 20 cannot do without
// --experimental-wasm-modules; we compile and instantiate the module ourselves and hand it to the
// package's JS glue, exactly as that entry point would. Loaded lazily, once per process: it costs
// ~100 ms, so callers only load it when a migration is actually pending.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type {
  ApplyMigrationsInput,
  ApplyMigrationsOutput,
  DiffParams,
  DiffResult,
  MarkMigrationRolledBackInput,
  SchemaFilter,
} from '@prisma/schema-engine-wasm';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

/** The engine operations this project uses. */
export interface SchemaEngine {
  applyMigrations(input: ApplyMigrationsInput): Promise<ApplyMigrationsOutput>;
  markMigrationRolledBack(input: MarkMigrationRolledBackInput): Promise<unknown>;
  diff(params: DiffParams): Promise<DiffResult>;
  free(): void;
}

type SchemaEngineGlue = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** No table or enum is managed outside the Prisma schema. */
export const NO_EXTERNAL_ENTITIES: SchemaFilter = { externalTables: [], externalEnums: [] };

// Our tsconfig has no DOM lib, and @types/node 20 does not declare the WebAssembly namespace.
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let glue: Promise<SchemaEngineGlue> | undefined;

/**
 * Timers the engine started. The glue never clears them (a 10 s timeout outlives each migration and
 * would keep the process alive), so we clear them when the engine is freed.
 */
const engineTimers = new Set<NodeJS.Timeout>();

function trackedSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer: NodeJS.Timeout = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  return timer;
}

/** Compiles and instantiates the wasm module once per process. */
function loadGlue(): Promise<SchemaEngineGlue> {
  glue ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
    const module = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const imports: Record<string, unknown> = { ...module };
    for (const name of Object.keys(imports)) {
      if (name.startsWith('__wbg_setTimeout_')) imports[name] = trackedSetTimeout;
    }
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': imports });
    module.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return module;
  })();
  glue.catch(() => {
    glue = undefined;
  });
  return glue;
}

/**
 * Starts a schema engine on a driver adapter. `log` receives the engine's JSON log lines.
 * The caller must `free()` it.
 */
export async function startSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: { datamodels?: Array<[path: string, content: string]>; log?: (line: string) => void } = {},
): Promise<SchemaEngine> {
  const module = await loadGlue();
  const log = options.log ?? (() => {});
  const engine = await module.SchemaEngine.new(
    { datamodels: options.datamodels },
    (line: string) => log(line),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  return {
    applyMigrations: (input) => engine.applyMigrations(input),
    markMigrationRolledBack: (input) => engine.markMigrationRolledBack(input),
    diff: (params) => engine.diff(params),
    free: () => {
      engine.free();
      // Only one engine runs at a time (migrate.ts serialises them), so every pending timer is its own.
      for (const timer of engineTimers) clearTimeout(timer);
      engineTimers.clear();
    },
  };
}
