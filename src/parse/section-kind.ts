// Which kind of workplan section a `##` heading opens, from its plain text. Pure.
import type { SectionKind } from '../model/workplan.js';

const NAMED: Record<string, SectionKind> = {
  summary: 'summary',
  context: 'context',
  dependencies: 'dependencies',
  notes: 'notes',
};

/** Classifies a depth-2 heading's plain text (`Phase …` and `Closure Review …` by their first words). */
export function classifySection(headingText: string): SectionKind {
  const t = headingText.trim().replace(/:$/, '').trim().toLowerCase();
  const named = NAMED[t];
  if (named) return named;
  if (/^phase\b/.test(t)) return 'phase';
  if (/^closure\s+review\b/.test(t)) return 'closure-review';
  return 'other';
}

const SEPARATOR = '(?:—|–|-|:)';
const PHASE = new RegExp(`^phase\\s+(\\d+)\\s*(?:${SEPARATOR}\\s*(.*))?$`, 'iu');
const CLOSURE = new RegExp(`^closure\\s+review\\s*${SEPARATOR}\\s*(\\S+)$`, 'iu');
// Labels look like `P1.1`, `T01`, `P2.3a` or `1.2`: capitals then a number, or a dotted number.
const LABEL = '(?:[A-Z]{1,3}\\d+(?:\\.\\d+)*[a-z]?|\\d+(?:\\.\\d+)+)';
const TASK = new RegExp(`^(${LABEL})(?:\\s*:\\s*|\\s+(?:—|–|-)\\s+|\\s*(?:—|–)\\s*)(.*)$`, 'u');
// A heading that is only a label must be a dotted one (`P1.1`): `U1` alone is a title.
const TASK_LABEL_ONLY = /^((?:[A-Z]{1,3})?\d+(?:\.\d+)+[a-z]?)$/u;

/** `Phase 2 — Title` → number and title; undefined when the heading has no number. */
export function parsePhaseHeading(headingText: string): { number: number; title: string } | undefined {
  const m = PHASE.exec(headingText.trim());
  if (!m) return undefined;
  const number = Number(m[1]);
  if (!Number.isSafeInteger(number)) return undefined;
  return { number, title: (m[2] ?? '').trim() };
}

/** `Closure Review — 2026-03-02` → the date text as written (validated by the caller). */
export function parseClosureHeading(headingText: string): string | undefined {
  return CLOSURE.exec(headingText.trim())?.[1];
}

/** `P1.1 — Title` → label and title; a heading without a label keeps its whole text as the title. */
export function parseTaskHeading(headingText: string): { label: string; title: string; labelled: boolean } {
  const t = headingText.trim();
  const m = TASK.exec(t);
  if (m) return { label: m[1]!, title: m[2]!.trim(), labelled: true };
  const only = TASK_LABEL_ONLY.exec(t);
  if (only) return { label: only[1]!, title: '', labelled: true };
  return { label: '', title: t, labelled: false };
}
