// Whether the rows a file stands for can be stored: every value is checked against the mirror's
// limits (src/model/storage-limits.ts) before the database sees it, so no file can make the database
// refuse a sync (which would stop every other file's changes too). Pure. Walks every value of the
// desired rows, so a new field is covered without being listed here; only the limits that depend on
// what a field is (an id, a path, a title) name fields.
import { MAX_ID_LENGTH, MAX_INTEGER, MAX_JSON_DEPTH, MAX_PATH_BYTES, MAX_TITLE_LENGTH } from '../model/storage-limits.js';
import type { DesiredAdr, DesiredWorkstream } from './rows.js';

/** Which element of the file a value belongs to, so the caller can point at it. */
export type StorageTarget =
  | { entity: 'file' }
  | { entity: 'workstream'; field: string }
  | { entity: 'task'; index: number; field: string }
  | { entity: 'dependency'; index: number; field: string }
  | { entity: 'phase'; index: number; field: string }
  | { entity: 'closure-review'; index: number; field: string }
  | { entity: 'adr'; field: string };

export interface StorageProblem {
  target: StorageTarget;
  ruleId: 'value-too-long' | 'value-not-storable';
  message: string;
  hint: string;
}

type Limit = 'id' | 'path' | 'title' | 'integer';

/** Per element, the fields with a limit of their own; every other string is only checked for storable characters. */
const LIMITS: Record<string, Record<string, Limit>> = {
  workstream: { fileId: 'id', domain: 'id', title: 'title', filePath: 'path' },
  task: { fileId: 'id', title: 'title' },
  dependency: { targets: 'id' },
  phase: { number: 'integer', title: 'title' },
  'closure-review': { taskFileId: 'id' },
  adr: { fileId: 'id', number: 'integer', title: 'title', filePath: 'path' },
};

/** At most this many problems per file: one is enough to refuse it, a few help fix it. */
const MAX_PROBLEMS = 20;

/** The values of a workplan's rows the mirror could not store. */
export function findWorkstreamStorageProblems(desired: DesiredWorkstream): StorageProblem[] {
  const out = collector();
  out.check({ entity: 'file' }, 'file path', desired.fields.filePath, 'path');
  out.fields({ entity: 'workstream', field: '' }, desired.fields);
  desired.tasks.forEach((t, index) => out.fields({ entity: 'task', index, field: '' }, t.fields));
  desired.dependencies.forEach((d, index) => out.fields({ entity: 'dependency', index, field: '' }, d.fields));
  desired.phases.forEach((p, index) => out.fields({ entity: 'phase', index, field: '' }, p));
  desired.closureReviews.forEach((r, index) => {
    out.fields({ entity: 'closure-review', index, field: '' }, { ...r, entries: undefined });
    for (const e of r.entries) out.fields({ entity: 'closure-review', index, field: '' }, e);
  });
  return out.problems;
}

/** The values of an ADR's row the mirror could not store. */
export function findAdrStorageProblems(desired: DesiredAdr): StorageProblem[] {
  const out = collector();
  out.check({ entity: 'file' }, 'file path', desired.fields.filePath, 'path');
  out.fields({ entity: 'adr', field: '' }, desired.fields);
  return out.problems;
}

function collector() {
  const problems: StorageProblem[] = [];
  const add = (target: StorageTarget, ruleId: StorageProblem['ruleId'], message: string, hint: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ target, ruleId, message, hint });
  };
  const check = (target: StorageTarget, label: string, value: unknown, limit?: Limit): void => {
    if (typeof value === 'string') checkText(target, label, value, limit, add);
    else if (typeof value === 'number') {
      if (limit === 'integer' && (!Number.isInteger(value) || Math.abs(value) > MAX_INTEGER)) {
        add(
          target,
          'value-too-long',
          `${capitalize(label)} ${value} is out of range; the largest the mirror stores is ${MAX_INTEGER}`,
          'Use a smaller number.',
        );
      }
    } else if (Array.isArray(value)) {
      for (const item of value) check(target, label, item, limit);
    }
  };
  const fields = (base: StorageTarget, record: object): void => {
    const limits = LIMITS[base.entity] ?? {};
    for (const [field, value] of Object.entries(record)) {
      // The path is checked once per file, as the file's.
      if (value === undefined || value === null || field === 'filePath') continue;
      const target = { ...base, field } as StorageTarget;
      if (field === 'extra' && typeof value === 'string') checkJson(target, value, add);
      else check(target, describeField(base.entity, field), value, limits[field]);
    }
  };
  return { problems, check, fields };
}

type Add = (target: StorageTarget, ruleId: StorageProblem['ruleId'], message: string, hint: string) => void;

const UTF8 = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(target: StorageTarget, label: string, value: string, limit: Limit | undefined, add: Add): void {
  if (value.includes('\u0000')) {
    add(
      target,
      'value-not-storable',
      `${capitalize(label)} contains a NUL character (U+0000), which the mirror cannot store`,
      'Remove the `\\0` or `\\x00` escape from the value.',
    );
    return;
  }
  if (LONE_SURROGATE.test(value)) {
    add(
      target,
      'value-not-storable',
      `${capitalize(label)} contains an unpaired UTF-16 surrogate, which is not text the mirror can store`,
      'Remove the `\\uD800`–`\\uDFFF` escape from the value.',
    );
    return;
  }
  if (limit === 'id' && value.length > MAX_ID_LENGTH) {
    add(
      target,
      'value-too-long',
      `${capitalize(label)} "${preview(value)}" is ${value.length} characters long; the limit is ${MAX_ID_LENGTH}`,
      'Use a shorter id: ids are indexed, and the database refuses long index entries.',
    );
  } else if (limit === 'title' && value.length > MAX_TITLE_LENGTH) {
    add(
      target,
      'value-too-long',
      `${capitalize(label)} "${preview(value)}" is ${value.length} characters long; the limit is ${MAX_TITLE_LENGTH}`,
      'Shorten the title; put the detail in the body.',
    );
  } else if (limit === 'path') {
    const bytes = UTF8.encode(value).length;
    if (bytes > MAX_PATH_BYTES) {
      add(
        target,
        'value-too-long',
        `The file path is ${bytes} bytes long; the limit is ${MAX_PATH_BYTES}`,
        'Use a shorter file name or directory.',
      );
    }
  }
}

/** Walks a jsonb value (frontmatter or metadata keys kept verbatim): its depth, keys and strings. */
function checkJson(target: StorageTarget, text: string, add: Add): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    add(target, 'value-not-storable', 'The extra keys could not be stored as JSON', 'Simplify the values of the extra keys.');
    return;
  }
  const walk = (node: unknown, depth: number): boolean => {
    if (depth > MAX_JSON_DEPTH) {
      add(target, 'value-not-storable', `An extra key's value is nested more than ${MAX_JSON_DEPTH} levels deep`, 'Flatten the value.');
      return false;
    }
    if (typeof node === 'string') {
      checkText(target, "an extra key's value", node, undefined, add);
      return true;
    }
    if (Array.isArray(node)) return node.every((item) => walk(item, depth + 1));
    if (node && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        checkText(target, 'an extra key', key, undefined, add);
        if (!walk(item, depth + 1)) return false;
      }
    }
    return true;
  };
  walk(value, 1);
}

const FIELD_NAMES: Record<string, string> = {
  fileId: 'id',
  domain: 'domain',
  title: 'title',
  taskFileId: 'task id',
  targets: 'dependency target',
  number: 'number',
};

function describeField(entity: string, field: string): string {
  const name = FIELD_NAMES[field] ?? field.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
  const owner =
    { workstream: 'workplan', task: 'task', dependency: 'dependency', phase: 'phase', 'closure-review': 'closure review', adr: 'ADR' }[
      entity
    ] ?? entity;
  return field === 'targets' || field === 'taskFileId' ? name : `${owner} ${name}`;
}

function preview(value: string): string {
  return value.length > 40 ? `${value.slice(0, 37)}...` : value;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
