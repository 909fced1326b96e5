import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Database tests share one Postgres and spawn CLI processes; files run in parallel, tests in a file do not.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
