// A runnable copy of the whole CLI for child processes that are SIGKILLed or run concurrently:
// every src/ file transpiled once per test file (test/fs/support/transpile-sources.ts), with
// node_modules and prisma/ linked beside it so packages and migrations resolve as from dist/.
// Plain JS starts in well under a second; the ts-register loader would transpile in every child.
// The build is cached in the temp directory under a hash of the sources, so the test files that
// need it (run in parallel) share one build per source state.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transpileSources } from '../../fs/support/transpile-sources.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sync-child.mjs');

export interface CliBuild {
  /** The build directory (holds src/, node_modules, prisma). */
  dir: string;
  /** `node <cli>` runs the CLI like bin/workplan.js. */
  cli: string;
  /** `node <syncChild>` runs one sync with markers and deterministic ids (see sync-child.mjs). */
  syncChild: string;
  dispose(): Promise<void>;
}

/** Transpiles src/ into a temp build the children run (or reuses the build of identical sources). */
export async function buildCli(): Promise<CliBuild> {
  const srcRoot = path.join(REPO, 'src');
  const entries = (await readdir(srcRoot, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const hash = createHash('sha256');
  for (const file of entries)
    hash
      .update(path.relative(srcRoot, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  const cached = path.join(tmpdir(), `wps-cli-build-${hash.digest('hex').slice(0, 16)}`);
  const result = (dir: string): CliBuild => ({
    dir,
    cli: path.join(dir, 'cli.mjs'),
    syncChild: CHILD,
    dispose: async () => undefined,
  });
  if (await exists(path.join(cached, 'cli.mjs'))) return result(cached);

  const dirs = (await readdir(srcRoot, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const dir = await transpileSources(dirs);
  await writeFile(path.join(dir, 'package.json'), '{"name":"workplan-sync","version":"0.0.0-test","type":"module"}\n');
  await symlink(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await symlink(path.join(REPO, 'prisma'), path.join(dir, 'prisma'), 'dir');
  await writeFile(
    path.join(dir, 'cli.mjs'),
    "import { main } from './src/cli/main.js';\nprocess.exitCode = await main(process.argv.slice(2));\n",
  );
  // Parallel test files race to publish the same build: the first rename wins, the others discard theirs.
  try {
    await rename(dir, cached);
    return result(cached);
  } catch {
    if (await exists(path.join(cached, 'cli.mjs'))) {
      await rm(dir, { recursive: true, force: true });
      return result(cached);
    }
    return { ...result(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export interface ChildRun {
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves once a stdout line equal to (or starting with) `marker` was printed; rejects if the child exits first. */
  waitFor(marker: string | RegExp, timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node <script> …args` with `env` added to this process's environment. */
export function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO): ChildRun {
  const child = spawn(process.execPath, [script, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<{ marker: string | RegExp; resolve: () => void }> = [];
  const matches = (line: string, marker: string | RegExp) =>
    typeof marker === 'string' ? line === marker || line.startsWith(`${marker} `) : marker.test(line);
  const check = () => {
    const lines = out.split('\n');
    for (const w of [...waiters]) {
      if (lines.some((l) => matches(l, w.marker))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    check();
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    waitFor(marker, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${String(marker)}" after ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs);
        waiters.push({
          marker,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        check();
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`child exited (${code ?? signal}) before "${String(marker)}":\n${out}\n${err}`));
        });
      });
    },
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
  };
}
