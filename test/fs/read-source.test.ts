import { execFileSync } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBytes } from '../../src/model/content-hash.js';
import { isSyncError } from '../../src/model/errors.js';
import { readSourceFile } from '../../src/fs/read-source.js';
import { createTempRepo, type TempRepo } from './support/temp-repo.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(() => repo.remove());

describe('readSourceFile', () => {
  it('returns the exact bytes (BOM, CRLF, invalid UTF-8 kept) and their sha256', async () => {
    const bytes = Buffer.concat([Buffer.from('\ufeff---\r\nid: A\r\n', 'utf8'), Buffer.from([0xff, 0xfe, 0x00])]);
    await repo.write('w/a.md', bytes);
    const result = await readSourceFile(repo.root, 'w/a.md', 1000);
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.bytes.equals(bytes)).toBe(true);
    expect(result.hash).toBe(hashBytes(bytes));
    expect(result.size).toBe(bytes.length);
    expect(result.mtimeMs).toBeGreaterThan(0);
  });

  it('reads an empty file', async () => {
    await repo.write('w/e.md', '');
    const result = await readSourceFile(repo.root, 'w/e.md', 10);
    expect(result).toMatchObject({ kind: 'ok', size: 0 });
  });

  it('reads a file of exactly maxBytes and refuses one byte more, without reading it', async () => {
    await repo.write('w/ok.md', 'x'.repeat(100));
    await repo.write('w/big.md', 'x'.repeat(101));
    expect((await readSourceFile(repo.root, 'w/ok.md', 100)).kind).toBe('ok');
    expect(await readSourceFile(repo.root, 'w/big.md', 100)).toEqual({ kind: 'too-large', relPath: 'w/big.md', size: 101, maxBytes: 100 });
  });

  it('reports a missing file as missing', async () => {
    expect(await readSourceFile(repo.root, 'w/none.md', 10)).toEqual({ kind: 'missing', relPath: 'w/none.md' });
  });

  it('reports a directory and a FIFO as unreadable, without hanging', async () => {
    await mkdir(repo.abs('w/dir.md'), { recursive: true });
    expect((await readSourceFile(repo.root, 'w/dir.md', 10)).kind).toBe('unreadable');
    execFileSync('mkfifo', [repo.abs('w/fifo.md')]);
    expect(await readSourceFile(repo.root, 'w/fifo.md', 10)).toMatchObject({ kind: 'unreadable', reason: 'not a regular file' });
  });

  it('throws PATH_OUTSIDE_ROOT for a symlink leading outside the root', async () => {
    const outside = await createTempRepo('wps-outside-');
    try {
      await outside.write('s.md', 'secret');
      await mkdir(repo.abs('w'), { recursive: true });
      await symlink(outside.abs('s.md'), repo.abs('w/s.md'));
      await expect(readSourceFile(repo.root, 'w/s.md', 100)).rejects.toSatisfy((e: unknown) => isSyncError(e, 'PATH_OUTSIDE_ROOT'));
    } finally {
      await outside.remove();
    }
  });
});
