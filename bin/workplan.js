#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` through the prepare script).
// Durations the CLI prints are counted from the process's start, module loading included.
import { performance } from 'node:perf_hooks';
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { startedAt: Math.round(performance.timeOrigin) });
