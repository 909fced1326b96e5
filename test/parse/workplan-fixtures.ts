// Shared by the workplan fixture tests: reading fixture folders and rendering goldens.
// A fixture is test/fixtures/workplan/<case>/input.md (+ expected.json, regenerated with UPDATE_FIXTURES=1).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, ParseResult, Span } from '../../src/model/diagnostic.js';
import type { Workplan } from '../../src/model/workplan.js';
import { decodeSource } from '../../src/parse/decode.js';
import { parseWorkplan } from '../../src/parse/workplan.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'workplan');

/** Names of the fixture folders, sorted. */
export function listFixtures(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** The path diagnostics use for a fixture. */
export function fixturePath(name: string): string {
  return `workplans/${name}.md`;
}

/** Reads a fixture's bytes. */
export function readFixtureBytes(name: string): Uint8Array {
  return readFileSync(join(FIXTURES, name, 'input.md'));
}

/** Decodes and parses a fixture as the sync would: decodeSource, then parseWorkplan. */
export function parseFixture(name: string): { text: string | undefined; result: ParseResult<Workplan> } {
  const decoded = decodeSource(fixturePath(name), readFixtureBytes(name));
  if (!decoded.value) return { text: undefined, result: { value: undefined, diagnostics: decoded.diagnostics } };
  return { text: decoded.value.text, result: parseWorkplan(fixturePath(name), decoded.value.text) };
}

/** Renders a parse result as stable JSON, spans written as `line:column-line:column@start-end`. */
export function renderGolden(result: ParseResult<Workplan>): string {
  return `${JSON.stringify(result, (_key, value: unknown) => (isSpan(value) ? formatSpan(value) : value), 2)}\n`;
}

/** Compares a result with the fixture's expected.json, rewriting it when UPDATE_FIXTURES=1. */
export function readGolden(name: string, rendered: string): string {
  const file = join(FIXTURES, name, 'expected.json');
  if (process.env.UPDATE_FIXTURES === '1' || !existsSync(file)) {
    if (process.env.UPDATE_FIXTURES !== '1') throw new Error(`${file} is missing; run UPDATE_FIXTURES=1 npx vitest run test/parse`);
    writeFileSync(file, rendered);
  }
  return readFileSync(file, 'utf8');
}

/** `line:column` of a diagnostic's start, for compact assertions. */
export function locate(d: Diagnostic): string {
  return `${d.span.start.line}:${d.span.start.column}`;
}

function isSpan(value: unknown): value is Span {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.start === 'object' && typeof v.end === 'object' && v.start !== null && 'offset' in (v.start as object);
}

function formatSpan(span: Span): string {
  const { start, end } = span;
  return `${start.line}:${start.column}-${end.line}:${end.column}@${start.offset}-${end.offset}`;
}
