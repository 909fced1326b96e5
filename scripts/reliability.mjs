#!/usr/bin/env node
// Runs the reliability suite (test/reliability/, docs/reliability.md) and prints its figures table.
//   node scripts/reliability.mjs            the short run (what `npm test` runs in CI)
//   node scripts/reliability.mjs --long     WORKPLAN_RELIABILITY=long: more iterations, longer budgets
//   node scripts/reliability.mjs --table    only print the table of the last run
// Extra arguments go to vitest (e.g. a file name filter). The exit code is vitest's.
// Each scenario writes test/reliability/.figures/<scenario>.json (support/figures.ts); the table
// sums them. "bytes lost" and "rows lost" must be 0: anything else is a failed protection.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIGURES = path.join(ROOT, 'test', 'reliability', '.figures');

const args = process.argv.slice(2);
const long = args.includes('--long');
const tableOnly = args.includes('--table');
const rest = args.filter((a) => a !== '--long' && a !== '--table');

let code = 0;
if (!tableOnly) {
  rmSync(FIGURES, { recursive: true, force: true });
  const vitest = path.join(ROOT, 'node_modules', '.bin', 'vitest');
  const run = spawnSync(vitest, ['run', 'test/reliability', ...rest], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...(long ? { WORKPLAN_RELIABILITY: 'long' } : {}) },
  });
  code = run.status ?? 1;
}
printTable();
process.exitCode = code;

function printTable() {
  if (!existsSync(FIGURES)) {
    console.log('No reliability figures were recorded.');
    return;
  }
  const rows = readdirSync(FIGURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(FIGURES, f), 'utf8')))
    .sort((a, b) => (a.scenario < b.scenario ? -1 : 1));
  const level = rows.some((r) => r.level === 'long') ? 'long' : 'short';
  const header = ['scenario', 'cases', 'faults', 'bytes lost', 'rows lost'];
  const body = rows.map((r) => [r.scenario, String(r.cases), String(r.faults), String(r.bytesLost), String(r.rowsLost)]);
  const total = ['total', ...[1, 2, 3, 4].map((i) => String(body.reduce((n, row) => n + Number(row[i]), 0)))];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(`\nReliability figures (${level} run)\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  console.log(line(total));
  console.log('\nNotes:');
  for (const r of rows) {
    const notes = Object.entries(r.notes ?? {}).map(([k, v]) => `${k}: ${v}`);
    if (notes.length > 0) console.log(`  ${r.scenario}: ${notes.join('; ')}`);
  }
  const lost = rows.filter((r) => r.bytesLost > 0 || r.rowsLost > 0);
  console.log(lost.length === 0 ? '\nNothing was lost.' : `\nLOSSES in: ${lost.map((r) => r.scenario).join(', ')}`);
}
