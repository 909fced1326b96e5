// Figures of the reliability suite: each scenario counts the cases it tried, the faults it injected
// and what was lost (bytes of a user's edit, mirror rows) — the last two must be 0. Counters are
// written to test/reliability/.figures/<scenario>.json after the file's tests (also when a test
// failed, so a failing run shows what was lost); scripts/reliability-figures.mjs prints the table.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { LONG } from './level.js';

export const FIGURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.figures');

export interface Figures {
  scenario: string;
  /** Inputs, runs or rounds tried. */
  cases: number;
  /** Faults injected: kills, concurrent edits, proxy cuts, damaged checkouts, hostile inputs … */
  faults: number;
  /** Bytes of someone's edit (or of a file) lost, overwritten or truncated. Must stay 0. */
  bytesLost: number;
  /** Mirror rows lost, duplicated or half-written. Must stay 0. */
  rowsLost: number;
  /** Free-form detail, e.g. "kills inside the transaction: 12". */
  notes: Record<string, number | string>;
}

const open = new Map<string, Figures>();
let hooked = false;

/** The figures of `scenario` for this test file (created on first use; written after the file's tests). */
export function scenarioFigures(scenario: string): Figures {
  let figures = open.get(scenario);
  if (!figures) {
    figures = { scenario, cases: 0, faults: 0, bytesLost: 0, rowsLost: 0, notes: {} };
    open.set(scenario, figures);
  }
  if (!hooked) {
    hooked = true;
    afterAll(() => writeFigures());
  }
  return figures;
}

/** Adds to a numeric note. */
export function countNote(figures: Figures, key: string, by = 1): void {
  const current = figures.notes[key];
  figures.notes[key] = (typeof current === 'number' ? current : 0) + by;
}

function writeFigures(): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  for (const figures of open.values()) {
    const file = path.join(FIGURES_DIR, `${figures.scenario.replace(/[^a-z0-9-]+/gi, '-')}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ ...figures, level: LONG ? 'long' : 'short', writtenAt: new Date().toISOString() }, null, 2)}\n`,
    );
  }
}
