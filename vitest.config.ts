import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The benchmark (bench/src) imports the library as `#lib/…` (package.json "imports": dist/ at run time);
    // under test it is the TypeScript source.
    alias: [{ find: /^#lib\/(.*)\.js$/, replacement: `${fileURLToPath(new URL('./src/', import.meta.url))}$1.ts` }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Database tests share one Postgres and spawn CLI processes; files run in parallel, tests in a file do not.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
