import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('has a migration for every change in prisma/schema.prisma (scripts/migration-diff.mjs --check)', () => {
  const result = spawnSync(process.execPath, ['scripts/migration-diff.mjs', '--check'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/match prisma\/schema\.prisma/);
});
