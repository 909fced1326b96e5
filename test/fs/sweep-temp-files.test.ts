import { readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockPathFor, parseTempFileName, tempPathFor } from '../../src/fs/sibling-files.js';
import { sweepStaleTempFiles } from '../../src/fs/sweep-temp-files.js';
import { createTempRepo, type TempRepo } from './support/temp-repo.js';
import { deadPid } from '../support/processes.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(() => repo.remove());

describe('sweepStaleTempFiles', () => {
  it('removes temp files and locks of dead processes; keeps those of live ones and everything else', async () => {
    const target = await repo.write('w/a.md', 'a');
    const dead = deadPid();
    const deadTemp = tempPathFor(target, dead, 'abc123');
    const liveTemp = tempPathFor(target, process.pid, 'def456');
    const parentTemp = tempPathFor(target, process.ppid, '0a0a');
    await writeFile(deadTemp, 'partial');
    await writeFile(liveTemp, 'in flight');
    await writeFile(parentTemp, 'in flight');
    await writeFile(lockPathFor(target), JSON.stringify({ pid: dead, host: hostname(), token: 't' }));
    await repo.write('w/.other.tmp', 'not ours');
    await repo.write('w/notes.md.1.tmp', 'not hidden');

    const removed = await sweepStaleTempFiles(path.dirname(target));
    expect(removed).toEqual([path.basename(lockPathFor(target)), path.basename(deadTemp)].sort());
    expect((await readdir(repo.abs('w'))).sort()).toEqual(
      ['.other.tmp', 'a.md', 'notes.md.1.tmp', path.basename(liveTemp), path.basename(parentTemp)].sort(),
    );
  });

  it("with minAgeMs, keeps a dead process's temp file until it is old enough", async () => {
    const target = await repo.write('w/a.md', 'a');
    const temp = tempPathFor(target, deadPid(), 'abc');
    await writeFile(temp, 'partial');
    expect(await sweepStaleTempFiles(path.dirname(target), { minAgeMs: 60_000 })).toEqual([]);
    const old = new Date(Date.now() - 120_000);
    await utimes(temp, old, old);
    expect(await sweepStaleTempFiles(path.dirname(target), { minAgeMs: 60_000 })).toEqual([path.basename(temp)]);
  });

  it('returns nothing for a missing directory', async () => {
    expect(await sweepStaleTempFiles(repo.abs('nope'))).toEqual([]);
  });
});

describe('sibling file names', () => {
  it('round-trips the pid and stays within file-name limits for long names', () => {
    const long = `/r/${'é'.repeat(120)}.md`;
    const temp = tempPathFor(long, 4242, 'ab12');
    expect(Buffer.byteLength(path.basename(temp))).toBeLessThanOrEqual(255);
    expect(Buffer.byteLength(path.basename(lockPathFor(long)))).toBeLessThanOrEqual(255);
    expect(parseTempFileName(path.basename(temp))).toEqual({ pid: 4242 });
    expect(parseTempFileName('.a.md.tmp')).toBeUndefined();
    expect(parseTempFileName('a.md.1.ab.tmp')).toBeUndefined();
  });
});
