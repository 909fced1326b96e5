import { mkdtemp, readFile, rename, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openFileHashCache } from '../../src/cache/file-hash-cache.js';
import { workingTreeSource } from '../../src/fs/source-files.js';
import type { SourceProvider } from '../../src/model/source-file.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { hashBytes } from '../../src/model/content-hash.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tree(files: Record<string, string>): Promise<{ root: string; cache: string }> {
  const root = await mkdtemp(join(tmpdir(), 'wps-hashes-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return { root, cache: join(root, '.workplan', 'cache') };
}

const LATER = () => Date.now() + 60_000; // every file looks old enough to trust
const P = 'workplans/A.md';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads a file through a working-tree source backed by `cache`, as the sync does. */
async function readThrough(_root: string, source: SourceProvider, path = P): Promise<string> {
  const read = await source.read(path, 'workplan', DEFAULT_CONFIG);
  if (!('hash' in read)) throw new Error('not read');
  return read.hash;
}

it('knows an unchanged file by its stat once it was read, and persists that across runs', async () => {
  const { root, cache } = await tree({ [P]: 'one\n' });
  const hashes = await openFileHashCache(root, cache, LATER);
  expect(hashes.knownHash(P)).toBeUndefined();
  const hash = await readThrough(root, workingTreeSource(root, { hashes }));
  expect(hash).toBe(hashBytes(Buffer.from('one\n')));
  expect(hashes.knownHash(P)).toBe(hash);
  await hashes.flush();
  const reopened = await openFileHashCache(root, cache, LATER);
  expect(reopened.knownHash(P)).toBe(hash);
});

it('does not trust a file changed within the racy window of its read (same-tick edits would keep its signature)', async () => {
  const { root, cache } = await tree({ [P]: 'one\n' });
  const hashes = await openFileHashCache(root, cache); // real clock: the file was written just now
  await readThrough(root, workingTreeSource(root, { hashes }));
  expect(hashes.knownHash(P)).toBeUndefined();
});

it('misses after any edit: same size with the mtime put back, an atomic rename-over, a deletion', async () => {
  const { root, cache } = await tree({ [P]: 'one\n' });
  const old = new Date('2020-01-01T00:00:00Z');
  await utimes(join(root, P), old, old);
  const hashes = await openFileHashCache(root, cache, LATER);
  const source = workingTreeSource(root, { hashes });
  await readThrough(root, source);
  expect(hashes.knownHash(P)).toBeDefined();

  // Same size, mtime restored: the ctime (which no one can set) still changes.
  await sleep(30);
  await writeFile(join(root, P), 'two\n');
  await utimes(join(root, P), old, old);
  expect(hashes.knownHash(P)).toBeUndefined();
  await readThrough(root, source);
  expect(hashes.knownHash(P)).toBe(hashBytes(Buffer.from('two\n')));

  // An editor's atomic save: a new inode renamed over the file, same size and mtime.
  await writeFile(join(root, 'workplans', '.A.md.swp'), 'six\n');
  await utimes(join(root, 'workplans', '.A.md.swp'), old, old);
  await rename(join(root, 'workplans', '.A.md.swp'), join(root, P));
  expect(hashes.knownHash(P)).toBeUndefined();

  await rm(join(root, P));
  expect(hashes.knownHash(P)).toBeUndefined();
});

it('drops the entries of files no longer listed, and survives a damaged cache file', async () => {
  const { root, cache } = await tree({ [P]: 'one\n', 'workplans/B.md': 'two\n' });
  const hashes = await openFileHashCache(root, cache, LATER);
  const source = workingTreeSource(root, { hashes });
  await readThrough(root, source);
  await readThrough(root, source, 'workplans/B.md');
  await rm(join(root, 'workplans/B.md'));
  await source.list(DEFAULT_CONFIG);
  await hashes.flush();
  const stored = JSON.parse(await readFile(join(cache, 'file-hashes.json'), 'utf8')) as { entries: Record<string, unknown> };
  expect(Object.keys(stored.entries)).toEqual([P]);

  await writeFile(join(cache, 'file-hashes.json'), '{"format":1,"entries":{"workplans/A.md":');
  const damaged = await openFileHashCache(root, cache, LATER);
  expect(damaged.knownHash(P)).toBeUndefined();
});
