#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` through the prepare script).
// Durations the CLI prints are counted from the process's start, module loading included.
// Node ≥ 22.1 keeps the compiled modules in its compile cache (start-up is most of a short command);
// the CLI is imported after it is enabled, so that it is cached too.
import module from 'node:module';
import { performance } from 'node:perf_hooks';

module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv.slice(2), { startedAt: Math.round(performance.timeOrigin) });
