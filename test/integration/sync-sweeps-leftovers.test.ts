// A write-back killed between its rename and the release of its lock leaves `.x.md.lock` beside a
// file that is already whole, so the next sync has nothing to write there. The next sync still
// removes what dead writers left wherever its walk saw it (RELIABILITY.md: "No temp files are left
// behind"), keeps what live writers hold, and a dry run touches nothing.
import { randomUUID } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { lockPathFor, tempPathFor } from '../../src/fs/sibling-files.js';
import { describeEachDatabase } from '../support/databases.js';
import { deadPid } from '../support/processes.js';
import { readSampleFiles, SAMPLE, tempRepos } from '../support/sync-harness.js';

let files: Record<string, string>;
beforeAll(async () => {
  files = await readSampleFiles();
});

async function hiddenNames(root: string, dir: string): Promise<string[]> {
  return (await readdir(join(root, dir))).filter((n) => n.startsWith('.')).sort();
}

describeEachDatabase('a sync sweeps the leftovers of killed write-backs', (db) => {
  const newRepo = tempRepos();

  it("removes dead writers' locks and temp files even with nothing to write; keeps live ones; a dry run removes nothing", async () => {
    const store = await db.openStore();
    try {
      const r = await newRepo(files);
      await r.sync(store, { newId: randomUUID });

      const dead = deadPid();
      const workplan = join(r.root, SAMPLE.seedPath);
      const adr = join(r.root, SAMPLE.adrPath);
      const deadLock = lockPathFor(workplan);
      const deadTemp = tempPathFor(adr, dead, 'abc123');
      const liveTemp = tempPathFor(workplan, process.ppid, 'def456');
      await writeFile(deadLock, JSON.stringify({ pid: dead, host: hostname(), token: 'killed' }));
      await writeFile(deadTemp, 'half a file');
      await writeFile(liveTemp, 'in flight');
      const workplanDir = dirname(SAMPLE.seedPath);
      const adrDir = dirname(SAMPLE.adrPath);
      const before = { workplans: await hiddenNames(r.root, workplanDir), adr: await hiddenNames(r.root, adrDir) };

      const dry = await r.sync(store, { newId: randomUUID, dryRun: true });
      expect(dry.writeBacks).toEqual([]);
      expect({ workplans: await hiddenNames(r.root, workplanDir), adr: await hiddenNames(r.root, adrDir) }).toEqual(before);

      const next = await r.sync(store, { newId: randomUUID });
      expect(next.outcome).toBe('noop');
      expect(next.writeBacks).toEqual([]);
      expect(before).toEqual({ workplans: [basename(deadLock), basename(liveTemp)].sort(), adr: [basename(deadTemp)] });
      expect(await hiddenNames(r.root, workplanDir)).toEqual([basename(liveTemp)]);
      expect(await hiddenNames(r.root, adrDir)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
