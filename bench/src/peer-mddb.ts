// A peer measured beside us (issue #18, target 7): `npm run bench -- --peer mddb` installs MarkdownDB
// (npm package `mddb`, pinned) into a cache folder outside the project, with npm's ordinary client,
// and times its indexing of the same corpus into SQLite in the same run, so the README's comparison
// can be repeated. Not a dependency of the project; nothing of it is imported into this process.
// Its sqlite3 dependency builds or fetches a native module in its install script: the cache's
// package.json allows that one script (npm runs no dependency's install scripts otherwise).
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { runProcess } from './run-process.js';

/** The MarkdownDB release issue #18 compared with. */
export const MDDB_VERSION = '0.9.5';

export interface PeerResult {
  name: string;
  version: string;
  /** Where it was installed (outside the project). */
  cacheDir: string;
  /** npm install time when this run installed it, else null (already in the cache). */
  installMs: number | null;
  /** Indexing the corpus from a fresh copy into a new database, spawn → exit. */
  wallMs: number;
  maxRssKb: number;
  /** What it indexed, as it reports (its last line of output). */
  output: string;
}

/** The peers' cache folder: `$XDG_CACHE_HOME/workplan-sync/bench-peers` (default ~/.cache/…). */
export function peerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache'), 'workplan-sync', 'bench-peers');
}

/** Installs MarkdownDB if needed and indexes a fresh copy of `pristine` with it. */
export async function measureMddb(options: { pristine: string; workDir: string; log: (line: string) => void }): Promise<PeerResult> {
  const cacheDir = join(peerCacheDir(), `mddb-${MDDB_VERSION}`);
  const installMs = await installMddb(cacheDir, options.log);
  const corpus = join(options.workDir, 'peer-mddb');
  await rm(corpus, { recursive: true, force: true });
  await cp(options.pristine, corpus, { recursive: true });
  // Its peak RSS, reported by the process itself as it exits (a preload: mddb's own code is untouched).
  const preload = join(cacheDir, 'report-max-rss.cjs');
  await writeFile(preload, "process.on('exit', () => process.stderr.write(`\\nWPS_MAX_RSS_KB ${process.resourceUsage().maxRSS}\\n`));\n");
  const bin = join(cacheDir, 'node_modules', 'mddb', 'dist', 'src', 'bin', 'index.js');
  options.log(`MarkdownDB ${MDDB_VERSION}: indexing the corpus …`);
  const run = await runProcess(process.execPath, ['--require', preload, bin, corpus], { cwd: corpus, timeoutMs: 30 * 60_000 });
  const rss = /WPS_MAX_RSS_KB (\d+)/.exec(run.stderr);
  if (run.code !== 0 || !rss) throw new Error(`mddb exited ${run.code ?? run.signal}: ${(run.stderr || run.stdout).trim().slice(0, 600)}`);
  const output = `${run.stdout}`.trim().split('\n').filter(Boolean).pop() ?? '';
  await rm(corpus, { recursive: true, force: true });
  return { name: 'MarkdownDB (mddb)', version: MDDB_VERSION, cacheDir, installMs, wallMs: run.wallMs, maxRssKb: Number(rss[1]), output };
}

/** `npm install mddb@<version>` into `cacheDir` unless that version is there; the time it took, or null. */
async function installMddb(cacheDir: string, log: (line: string) => void): Promise<number | null> {
  const installed = await readFile(join(cacheDir, 'node_modules', 'mddb', 'package.json'), 'utf8').then(
    (text) => (JSON.parse(text) as { version?: string }).version,
    () => undefined,
  );
  if (installed === MDDB_VERSION) return null;
  await mkdir(cacheDir, { recursive: true });
  await writeFile(
    join(cacheDir, 'package.json'),
    `${JSON.stringify({ name: 'workplan-sync-bench-peer-mddb', private: true, allowScripts: { sqlite3: true } }, null, 2)}\n`,
  );
  log(`installing MarkdownDB ${MDDB_VERSION} into ${cacheDir} …`);
  const started = performance.now();
  const run = await runProcess('npm', ['install', '--no-audit', '--no-fund', '--no-save', `mddb@${MDDB_VERSION}`], {
    cwd: cacheDir,
    timeoutMs: 20 * 60_000,
  });
  if (run.code !== 0)
    throw new Error(`npm install mddb@${MDDB_VERSION} exited ${run.code ?? run.signal}: ${(run.stderr || run.stdout).trim().slice(-600)}`);
  return performance.now() - started;
}
