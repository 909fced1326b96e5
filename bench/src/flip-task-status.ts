// The one-file edit the benchmark makes: flip one open task's status (todo ↔ in_progress) and bump the
// frontmatter `updated` date, both in place at the parser's own spans. The date makes every edit a
// content never seen before, as real edits are (alternating between two texts would let caches keyed
// by content hash answer from the second repetition on).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { WorkplanConfig } from '#lib/model/config.js';
import { listTasks } from '#lib/model/workplan.js';
import { parseWorkplan } from '#lib/parse/workplan.js';
import { addDays } from './corpus-prose.js';

let edits = 0;

export interface FlipTarget {
  path: string;
  taskId: string;
}

/** The first workplan at or after the middle of `paths` with an open task whose status can flip. */
export async function chooseFlipTarget(root: string, paths: readonly string[], config: WorkplanConfig): Promise<FlipTarget> {
  const start = Math.floor(paths.length / 2);
  const ordered = [...paths.slice(start), ...paths.slice(0, start)];
  for (const path of ordered) {
    const text = await readFile(join(root, path), 'utf8');
    const wp = parseWorkplan(path, text, config).value;
    if (!wp || wp.frontmatter.data.status !== 'active') continue;
    const task = listTasks(wp).find(
      (t) => (t.status === 'todo' || t.status === 'in_progress') && t.metadata.fields.some((f) => f.key === 'status'),
    );
    if (task) return { path, taskId: task.id };
  }
  throw new Error('No workplan in the corpus has an open task whose status can flip.');
}

/** Rewrites the task's status (todo → in_progress, anything else → todo) and the file's `updated` date. */
export async function flipTaskStatus(
  root: string,
  target: FlipTarget,
  config: WorkplanConfig,
): Promise<{ from: string; to: string /** The new `updated` date, unique to this edit. */; updated?: string }> {
  const file = join(root, target.path);
  const text = await readFile(file, 'utf8');
  const wp = parseWorkplan(target.path, text, config).value;
  const task = wp && listTasks(wp).find((t) => t.id === target.taskId);
  const field = task?.metadata.fields.find((f) => f.key === 'status');
  if (!task || !field) throw new Error(`${target.path}: task ${target.taskId} or its status field vanished.`);
  const to = task.status === 'todo' ? 'in_progress' : 'todo';
  const splices = [{ start: field.valueSpan.start.offset, end: field.valueSpan.end.offset, text: to }];
  const updatedField = wp.frontmatter.fields.find((f) => f.key === 'updated');
  const updated = updatedField ? addDays('2030-01-01', edits++) : undefined;
  if (updatedField && updated)
    splices.push({ start: updatedField.valueSpan.start.offset, end: updatedField.valueSpan.end.offset, text: updated });
  let next = text;
  for (const s of splices.sort((a, b) => b.start - a.start)) next = next.slice(0, s.start) + s.text + next.slice(s.end);
  await writeFile(file, next);
  return { from: task.status, to, ...(updated ? { updated } : {}) };
}
