import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSpill } from '../../src/cache/desired-spill.js';

const rowsOf = (value: unknown) => value;

describe('the rows a sync keeps until it plans them', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wps-spill-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives back exactly what was put, from memory and from the temporary file, once', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 30 }), fc.nat(10), (values, inMemory) => {
        const spill = fileSpill(inMemory, dir);
        try {
          values.forEach((v, i) => spill.put(`workplans/${i}.md`, rowsOf({ v })));
          values.forEach((v, i) => {
            expect(spill.has(`workplans/${i}.md`)).toBe(true);
            // As JSON (the form the rows are written in): -0 is 0 there, everything else comes back as it went in.
            // A peek gives the same and leaves it for the take.
            expect(JSON.stringify(spill.peek(`workplans/${i}.md`))).toBe(JSON.stringify({ v }));
            expect(JSON.stringify(spill.take(`workplans/${i}.md`))).toBe(JSON.stringify({ v }));
            expect(spill.take(`workplans/${i}.md`)).toBeUndefined();
          });
        } finally {
          spill.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the first files in memory and leaves no file behind, even before it is closed', async () => {
    const spill = fileSpill(2, dir);
    const big = { text: 'é'.repeat(50_000) };
    for (let i = 0; i < 5; i++) spill.put(`f${i}`, rowsOf({ ...big, i }));
    expect(await readdir(dir)).toEqual([]); // unlinked as soon as it was opened
    expect(spill.take('f4')).toEqual({ ...big, i: 4 });
    spill.put('f4', rowsOf({ replaced: true }));
    expect(spill.take('f4')).toEqual({ replaced: true });
    spill.drop('f3');
    expect(spill.has('f3')).toBe(false);
    expect(spill.take('f0')).toEqual({ ...big, i: 0 });
    spill.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps everything in memory when no temporary file can be made', () => {
    const spill = fileSpill(0, join(dir, 'missing', 'deeper'));
    spill.put('a', rowsOf({ a: 1 }));
    spill.put('b', rowsOf({ b: 2 }));
    expect(spill.take('b')).toEqual({ b: 2 });
    expect(spill.take('a')).toEqual({ a: 1 });
    spill.close();
  });
});
