import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { gitBlobHash, hashBytes } from '../../src/model/content-hash.js';

describe('content hashes', () => {
  it('gives the same blob id as git hash-object, for CRLF, BOM and non-ASCII bytes', () => {
    for (const text of ['', 'a\n', '\uFEFF---\r\nid: X\r\n', 'tâche — été\n']) {
      const bytes = Buffer.from(text, 'utf8');
      const expected = execFileSync('git', ['hash-object', '--stdin'], { input: bytes }).toString().trim();
      expect(gitBlobHash(bytes)).toBe(expected);
    }
  });

  it('hashes bytes with sha256', () => {
    expect(hashBytes(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
