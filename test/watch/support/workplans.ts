// Small valid workplans for watch and hook tests, with or without mirror ids.
import { randomUUID } from 'node:crypto';

export interface TaskSpec {
  status?: string;
  title?: string;
}

export interface WorkplanSpec {
  id: string;
  title?: string;
  status?: string;
  tasks: TaskSpec[];
  /** Include state_hub_* ids (so a sync writes nothing back). Default true. */
  withIds?: boolean;
}

/** A workplan file's text; ids are stable per (workplan id, task number) within one process. */
export function workplanText(spec: WorkplanSpec): string {
  const withIds = spec.withIds ?? true;
  const lines = [
    '---',
    `id: ${spec.id}`,
    'type: workplan',
    `title: ${spec.title ?? `Plan ${spec.id}`}`,
    'domain: watch',
    `status: ${spec.status ?? 'active'}`,
  ];
  if (withIds) lines.push(`state_hub_workstream_id: ${stableUuid(spec.id)}`);
  lines.push('---', '', `# ${spec.title ?? `Plan ${spec.id}`}`, '', '## Phase 1 — Work', '');
  spec.tasks.forEach((task, i) => {
    const n = String(i + 1).padStart(2, '0');
    const taskId = `${spec.id}-T${n}`;
    lines.push(`### P1.${i + 1} — ${task.title ?? `Task ${n}`}`, '', `id: ${taskId}`);
    if (withIds) lines.push(`state_hub_task_id: ${stableUuid(taskId)}`);
    lines.push(`status: ${task.status ?? 'todo'}`, 'priority: medium', '', `Work item ${n} of ${spec.id}.`, '');
  });
  return lines.join('\n');
}

const uuids = new Map<string, string>();
function stableUuid(key: string): string {
  let u = uuids.get(key);
  if (!u) uuids.set(key, (u = randomUUID()));
  return u;
}
