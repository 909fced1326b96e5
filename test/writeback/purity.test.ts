// The write-back planners are pure (STYLE.md): no filesystem, process, clock or randomness.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/writeback');
const FORBIDDEN: Array<[string, RegExp]> = [
  ['node:fs', /from\s+['"](?:node:)?fs(?:\/promises)?['"]/],
  ['node:child_process', /from\s+['"](?:node:)?child_process['"]/],
  ['process', /\bprocess\./],
  ['Date.now / new Date', /\bDate\.now\b|\bnew Date\b/],
  ['Math.random', /\bMath\.random\b/],
  ['crypto randomness', /\brandom(?:UUID|Bytes)\b/],
];

describe('src/writeback purity', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts'))) {
    it(`${file} uses no filesystem, process, clock or randomness`, () => {
      const source = readFileSync(path.join(DIR, file), 'utf8');
      for (const [name, pattern] of FORBIDDEN) expect(pattern.test(source), `${file} uses ${name}`).toBe(false);
    });
  }
});
