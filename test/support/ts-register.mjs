// `node --import ./test/support/ts-register.mjs script.ts` runs a TypeScript file of this project in a
// plain Node child process (tests that spawn processes: lock holders killed with SIGKILL, signals).
// Node 20 cannot strip types itself; see ts-hooks.mjs.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
