import { chmod, lstat, readdir, readFile, readlink, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBytes, hashText } from '../../src/model/content-hash.js';
import { isSyncError, type SyncError } from '../../src/model/errors.js';
import { writeFileIfUnchanged } from '../../src/fs/atomic-write.js';
import { createTempRepo, type TempRepo } from './support/temp-repo.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(() => repo.remove());

const OLD = '\ufeff---\r\nid: A\r\n---\r\n# Old\r\n';
const NEW = '\ufeff---\r\nid: A\r\nstate_hub_workstream_id: x\r\n---\r\n# Old\r\n';

async function siblings(dir = 'w'): Promise<string[]> {
  return (await readdir(repo.abs(dir))).sort();
}

async function conflictOf(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSyncError(error, 'WRITE_CONFLICT'), String(error)).toBe(true);
  return error as SyncError;
}

describe('writeFileIfUnchanged', () => {
  it('replaces the file when its hash matches, keeping BOM and CRLF exactly as given', async () => {
    await repo.write('w/a.md', OLD);
    const result = await writeFileIfUnchanged(repo.root, 'w/a.md', hashText(OLD), NEW);
    expect(result).toEqual({ written: true, hash: hashText(NEW) });
    expect((await readFile(repo.abs('w/a.md'))).equals(Buffer.from(NEW, 'utf8'))).toBe(true);
    expect(await siblings()).toEqual(['a.md']);
  });

  it('accepts bytes as well as text', async () => {
    await repo.write('w/a.md', OLD);
    const bytes = Buffer.from([0xff, 0x00, 0x41]);
    await writeFileIfUnchanged(repo.root, 'w/a.md', hashText(OLD), bytes);
    expect((await readFile(repo.abs('w/a.md'))).equals(bytes)).toBe(true);
  });

  it('does not write at all when the new bytes equal the file (no mtime change, no temp file)', async () => {
    await repo.write('w/a.md', OLD);
    const past = new Date('2020-01-01T00:00:00Z');
    await utimes(repo.abs('w/a.md'), past, past);
    const before = await stat(repo.abs('w/a.md'));
    const result = await writeFileIfUnchanged(repo.root, 'w/a.md', hashText(OLD), OLD);
    expect(result).toEqual({ written: false, hash: hashText(OLD) });
    const after = await stat(repo.abs('w/a.md'));
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ctimeMs).toBe(before.ctimeMs);
    expect(after.ino).toBe(before.ino);
    expect(await siblings()).toEqual(['a.md']);
  });

  it('refuses a file changed since it was read, even with size and mtime forced back; their bytes stay', async () => {
    await repo.write('w/a.md', OLD);
    // Whole seconds, so that forcing the mtime back is exact.
    const past = new Date('2020-01-01T00:00:00Z');
    await utimes(repo.abs('w/a.md'), past, past);
    const before = await stat(repo.abs('w/a.md'));
    const theirs = OLD.replace('Old', 'Thr'); // same length
    await writeFile(repo.abs('w/a.md'), theirs);
    await utimes(repo.abs('w/a.md'), past, past);
    const after = await stat(repo.abs('w/a.md'));
    expect(after.size).toBe(before.size);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    const error = await conflictOf(writeFileIfUnchanged(repo.root, 'w/a.md', hashText(OLD), NEW));
    expect(error.message).toMatch(/w\/a\.md was changed by someone else since it was read; nothing was written\./);
    expect(await readFile(repo.abs('w/a.md'), 'utf8')).toBe(theirs);
    expect(await siblings()).toEqual(['a.md']);
  });

  it('refuses when the file was removed since it was read', async () => {
    const error = await conflictOf(writeFileIfUnchanged(repo.root, 'w/none.md', hashText(OLD), NEW));
    expect(error.message).toMatch(/was removed/);
  });

  it('refuses an edit made after the temp file was written (re-compared under the lock); no temp file stays', async () => {
    await repo.write('w/a.md', OLD);
    const error = await conflictOf(
      writeFileIfUnchanged(repo.root, 'w/a.md', hashText(OLD), NEW, {
        afterTempWritten: async (tempPath) => {
          expect(path.basename(tempPath)).toMatch(new RegExp(`^\\.a\\.md\\.${process.pid}\\.[0-9a-f]+\\.tmp$`));
          expect(path.dirname(tempPath)).toBe(path.dirname(await import('node:fs/promises').then((f) => f.realpath(repo.abs('w/a.md')))));
          await writeFile(repo.abs('w/a.md'), 'theirs');
        },
      }),
    );
    expect(error.code).toBe('WRITE_CONFLICT');
    expect(await readFile(repo.abs('w/a.md'), 'utf8')).toBe('theirs');
    expect(await siblings()).toEqual(['a.md']);
  });

  it('refuses an in-place edit made during the final compare (caught by inode/size/mtime/ctime)', async () => {
    await repo.write('w/a.md', OLD);
    const past = new Date('2020-01-01T00:00:00Z');
    await utimes(repo.abs('w/a.md'), past, past);
    await conflictOf(
      writeFileIfUnchanged(repo.root, 'w/a.md', hashText(OLD), NEW, {
        beforeRename: async () => {
          await writeFile(repo.abs('w/a.md'), OLD.replace('Old', 'Thr'));
          await utimes(repo.abs('w/a.md'), past, past);
        },
      }),
    );
    expect(await readFile(repo.abs('w/a.md'), 'utf8')).toBe(OLD.replace('Old', 'Thr'));
    expect(await siblings()).toEqual(['a.md']);
  });

  it('of two concurrent write-backs of one file, exactly one succeeds and the other gets WRITE_CONFLICT', async () => {
    await repo.write('w/a.md', OLD);
    let second: Promise<unknown> | undefined;
    const first = writeFileIfUnchanged(repo.root, 'w/a.md', hashText(OLD), NEW, {
      // While the first holds the lock, the second starts and runs up to waiting for it.
      beforeRename: () =>
        new Promise<void>((release) => {
          second = writeFileIfUnchanged(repo.root, 'w/a.md', hashText(OLD), `${OLD}second\r\n`, {
            afterTempWritten: () => {
              setTimeout(release, 30);
            },
          });
        }),
    });
    await first.catch(() => undefined);
    const results = await Promise.allSettled([first, second!]);
    expect(results[0], String((results[0] as PromiseRejectedResult).reason)).toMatchObject({
      status: 'fulfilled',
      value: { written: true },
    });
    expect(results[1].status).toBe('rejected');
    expect(isSyncError((results[1] as PromiseRejectedResult).reason, 'WRITE_CONFLICT')).toBe(true);
    expect(await readFile(repo.abs('w/a.md'), 'utf8')).toBe(NEW);
    expect(await siblings()).toEqual(['a.md']);
  });

  it('keeps the file mode (including restrictive and executable bits)', async () => {
    for (const mode of [0o600, 0o755, 0o640, 0o444]) {
      await repo.write('w/m.md', OLD);
      await chmod(repo.abs('w/m.md'), mode);
      await writeFileIfUnchanged(repo.root, 'w/m.md', hashText(OLD), NEW);
      expect((await stat(repo.abs('w/m.md'))).mode & 0o7777).toBe(mode);
      await chmod(repo.abs('w/m.md'), 0o644);
    }
  });

  it('writes through a symlink to its real target inside the root and keeps the symlink', async () => {
    await repo.write('shared/real.md', OLD);
    await repo.write('w/keep.md', 'x');
    await symlink('../shared/real.md', repo.abs('w/link.md'));
    await writeFileIfUnchanged(repo.root, 'w/link.md', hashText(OLD), NEW);
    expect((await lstat(repo.abs('w/link.md'))).isSymbolicLink()).toBe(true);
    expect(await readlink(repo.abs('w/link.md'))).toBe('../shared/real.md');
    expect(await readFile(repo.abs('shared/real.md'), 'utf8')).toBe(NEW);
    expect(await siblings('shared')).toEqual(['real.md']);
  });

  it('refuses to write outside the root through a symlink or `..`; the outside file is untouched', async () => {
    const outside = await createTempRepo('wps-outside-');
    try {
      await outside.write('t.md', OLD);
      await repo.write('w/keep.md', 'x');
      await symlink(outside.abs('t.md'), repo.abs('w/out.md'));
      await symlink(outside.root, repo.abs('w/outdir'));
      for (const rel of ['w/out.md', 'w/outdir/t.md', `../${path.basename(outside.root)}/t.md`, outside.abs('t.md')]) {
        await expect(writeFileIfUnchanged(repo.root, rel, hashText(OLD), NEW)).rejects.toSatisfy((e: unknown) =>
          isSyncError(e, 'PATH_OUTSIDE_ROOT'),
        );
      }
      expect(await readFile(outside.abs('t.md'), 'utf8')).toBe(OLD);
      expect(await readdir(outside.root)).toEqual(['t.md']);
    } finally {
      await outside.remove();
    }
  });

  it('removes the temp file when the write fails after creating it', async () => {
    await repo.write('w/a.md', OLD);
    await expect(
      writeFileIfUnchanged(repo.root, 'w/a.md', hashText(OLD), NEW, {
        afterTempWritten: () => {
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await siblings()).toEqual(['a.md']);
    expect(await readFile(repo.abs('w/a.md'), 'utf8')).toBe(OLD);
  });

  it('hashes agree: hashText of decoded text equals hashBytes of the file for valid UTF-8 with a BOM', async () => {
    await repo.write('w/a.md', OLD);
    const bytes = await readFile(repo.abs('w/a.md'));
    expect(hashBytes(bytes)).toBe(hashText(bytes.toString('utf8')));
  });
});
