// The Node versions the README supports are the ones every installed package supports: an `npm install`
// on the oldest supported Node must not warn EBADENGINE (issue 14: the Prisma CLI's @prisma/dev pulled
// in @prisma/streams-local, which requires Node >= 22, for a `prisma dev` command we never run).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readJson = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;

describe('supported Node versions', () => {
  const pkg = readJson('package.json') as { engines: { node: string } };
  const oldest = semver.minVersion(pkg.engines.node)!.version;

  it('the README states the same floor as package.json engines', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(oldest).toBe('20.19.0');
    expect(readme).toContain('Node ≥ 20.19');
  });

  it('every package in the lock file (dev dependencies too) supports the oldest supported Node', () => {
    const lock = readJson('package-lock.json') as { packages: Record<string, { engines?: { node?: string } | string[] }> };
    const unsupported: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (!path || !range) continue;
      if (!semver.satisfies(oldest, range)) unsupported.push(`${path.replace(/^.*node_modules\//, '')} requires node ${range}`);
    }
    expect(unsupported).toEqual([]);
  });
});
