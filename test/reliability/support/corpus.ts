// Deterministic repositories for the reliability scenarios: workplans and ADRs written out as text,
// plus a "version B" of the same repository that exercises every kind of mirror write (updates,
// creates, removals, id write-backs into many files, ADR changes).
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Files = Record<string, string>;

export interface WorkplanOptions {
  tasks: number;
  /** Write the mirror ids into the file (as after a sync), or leave them to be assigned. */
  ids: boolean;
  eol?: '\n' | '\r\n';
  /** Status of task t (1-based). */
  status?: (t: number) => string;
  /** Extra tasks after `tasks`, never with ids (they get ids written back). */
  newTasks?: number;
  title?: string;
  dependsOn?: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The id a test gives workplan n (and its task t): stable, valid UUIDs. */
export function fixedUuid(n: number, t = 0): string {
  return `aaaaaaaa-0000-4000-8000-${pad(n, 6)}${pad(t, 6)}`;
}

export function workplanId(n: number): string {
  return `REL-WP-${pad(n, 4)}`;
}

export function workplanPath(n: number): string {
  return `workplans/${workplanId(n)}-plan-${n}.md`;
}

/** A valid workplan file. */
export function workplanText(n: number, options: WorkplanOptions): string {
  const id = workplanId(n);
  const title = options.title ?? `Reliability plan ${n} — données`;
  const lines = ['---', `id: ${id}`, 'type: workplan', `title: ${JSON.stringify(title)}`, 'domain: reliability', 'status: active'];
  if (options.ids) lines.push(`state_hub_workstream_id: ${fixedUuid(n)}`);
  lines.push('---', '', `# ${title}`, '');
  if (options.dependsOn !== undefined) {
    lines.push('## Dependencies', '', `- **Depends on:** \`${workplanId(options.dependsOn)}\` (needs its output)`);
    if (options.ids) lines.push(`- **state_hub_dependency_id:** ${fixedUuid(n, 999)}`);
    lines.push('');
  }
  lines.push('## Phase 1 — Work', '');
  const total = options.tasks + (options.newTasks ?? 0);
  for (let t = 1; t <= total; t++) {
    const fresh = t > options.tasks;
    lines.push(`### P1.${t} — Task ${t} of plan ${n}`, '', `id: ${id}-T${pad(t, 2)}`);
    if (options.ids && !fresh) lines.push(`state_hub_task_id: ${fixedUuid(n, t)}`);
    lines.push(`status: ${options.status?.(t) ?? 'todo'}`, 'priority: medium', '', `Do thing ${t} for plan ${n}; keep it.`, '');
  }
  const text = lines.join('\n');
  return options.eol === '\r\n' ? text.replace(/\n/g, '\r\n') : text;
}

export function adrPath(n: number): string {
  return `adr/${pad(n, 4)}-decision-${n}.md`;
}

export function adrText(n: number, title = `Decision ${n}`, status = 'Accepted'): string {
  return `# ${n}. ${title}\n\nDate: 2026-01-${pad((n % 28) + 1, 2)}\n\n## Status\n\n${status}\n\n## Context\n\nWhy ${n}.\n\n## Decision\n\nWe do ${n}.\n`;
}

/** Version A: `plans` workplans of `tasks` tasks with ids (as after a sync), and `adrs` ADRs. */
export function corpusA(plans = 12, tasks = 8, adrs = 4): Files {
  const files: Files = {};
  for (let n = 1; n <= plans; n++) {
    files[workplanPath(n)] = workplanText(n, { tasks, ids: true, ...(n > 1 ? { dependsOn: n - 1 } : {}) });
  }
  for (let n = 1; n <= adrs; n++) files[adrPath(n)] = adrText(n);
  return files;
}

/**
 * Version B of corpusA: in every plan one status changes and one new task (no id: written back);
 * the last plan is deleted; a new plan without any ids appears; one ADR is retitled and one added.
 */
export function corpusB(plans = 12, tasks = 8, adrs = 4): Files {
  const files: Files = {};
  for (let n = 1; n < plans; n++) {
    files[workplanPath(n)] = workplanText(n, {
      tasks,
      ids: true,
      newTasks: 1,
      status: (t) => (t === (n % tasks) + 1 ? 'done' : 'todo'),
      ...(n > 1 ? { dependsOn: n - 1 } : {}),
    });
  }
  files[workplanPath(plans + 1)] = workplanText(plans + 1, { tasks: 0, newTasks: 3, ids: false, dependsOn: 1 });
  for (let n = 1; n <= adrs; n++) files[adrPath(n)] = adrText(n, n === 2 ? 'Decision 2, revisited' : `Decision ${n}`);
  files[adrPath(adrs + 1)] = adrText(adrs + 1, 'A new decision', 'Proposed');
  return files;
}

/** Replaces everything under workplans/ and adr/ with `files`. */
export async function writeRepoFiles(root: string, files: Files): Promise<void> {
  await rm(path.join(root, 'workplans'), { recursive: true, force: true });
  await rm(path.join(root, 'adr'), { recursive: true, force: true });
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
}

/** Every file under workplans/ and adr/ (including dot-files such as leftover temp files), as bytes. */
export async function readRepoFiles(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const dir of ['workplans', 'adr']) {
    let names: string[];
    try {
      names = await readdir(path.join(root, dir));
    } catch {
      continue;
    }
    for (const name of names.sort()) out.set(`${dir}/${name}`, await readFile(path.join(root, dir, name)));
  }
  return out;
}
