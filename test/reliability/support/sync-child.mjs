// A child process that runs ONE sync the way `workplan sync` does (openMirror + runSync on the
// working tree), for tests that SIGKILL it at chosen moments. Plain ESM over the transpiled build
// in WPS_BUILD (cli-build.ts). It prints a marker line at each stage, so the parent can kill it
// inside the transaction or during the write-back:
//   opened · tx-begin · applying · tx-end · committed · result {json} · done
// Environment:
//   WPS_BUILD                     the build directory (required)
//   DATABASE_URL                  Postgres; else the embedded store in WPS_EMBEDDED_DIR
//   WPS_EMBEDDED_DIR              absolute embedded data directory
//   WPS_ID_SEED                   8 hex digits: ids are <seed>-0000-4000-8000-<counter>, so two runs
//                                 of the same sync from the same state write identical rows and files
//   WPS_STALL_BEFORE_COMMIT_MS    sleep this long after the plan is applied, before COMMIT
//   WPS_SLUG                      repository slug (default "reliability")
// Usage: node sync-child.mjs <root>
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const build = process.env.WPS_BUILD;
if (!build) throw new Error('WPS_BUILD is not set');
const load = (rel) => import(pathToFileURL(path.join(build, rel)).href);
const { runSync } = await load('src/app/sync.js');
const { openMirror } = await load('src/app/open-mirror.js');
const { workingTreeSource } = await load('src/fs/source-files.js');
const { DEFAULT_CONFIG } = await load('src/model/config.js');

const root = process.argv[2];
if (!root) throw new Error('usage: sync-child.mjs <root>');
const print = (line) => process.stdout.write(`${line}\n`);
const seed = (process.env.WPS_ID_SEED ?? '00000000').padStart(8, '0').slice(0, 8);
let counter = 0;
const newId = () => `${seed}-0000-4000-8000-${(++counter).toString(16).padStart(12, '0')}`;
const stallMs = Number(process.env.WPS_STALL_BEFORE_COMMIT_MS ?? 0);

const config = structuredClone(DEFAULT_CONFIG);
if (process.env.WPS_EMBEDDED_DIR) config.database.embeddedDir = process.env.WPS_EMBEDDED_DIR;
const opened = await openMirror({ root, config }, process.env, { onWait: (m) => print(`waiting ${m}`), waitForLockMs: 120_000 });
print('opened');
const mirror = {
  db: opened.mirror.db,
  async withRepositoryLock(key, fn) {
    const result = await opened.mirror.withRepositoryLock(key, async (tx) => {
      print('tx-begin');
      const value = await fn(tx);
      print('tx-end');
      if (stallMs > 0) await new Promise((resolve) => setTimeout(resolve, stallMs));
      return value;
    });
    print('committed');
    return result;
  },
};
try {
  const result = await runSync({
    root,
    config,
    repository: { slug: process.env.WPS_SLUG ?? 'reliability', root },
    source: workingTreeSource(root),
    mirror,
    trigger: 'cli',
    newId,
    now: () => new Date(),
    workers: 0,
    onProgress: (p) => {
      if (p.kind === 'applying') print('applying');
    },
  });
  print(`result ${JSON.stringify({ outcome: result.outcome, counts: result.plan.counts, writeBacks: result.writeBacks })}`);
} catch (error) {
  print(`error ${JSON.stringify({ code: error?.code ?? null, message: String(error?.message ?? error) })}`);
  process.exitCode = 1;
} finally {
  await opened.close();
}
print('done');
