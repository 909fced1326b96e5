import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { planReconcile, isEmptyPlan, type ReconcileInput } from '../../src/reconcile/plan.js';
import { toDesiredWorkstream } from '../../src/reconcile/desired.js';
import type { DesiredWorkstream, MirrorWorkstream } from '../../src/reconcile/rows.js';
import { parseWorkplan } from '../../src/parse/workplan.js';

const SEED = readFileSync(new URL('../fixtures/workplan/seed/input.md', import.meta.url), 'utf8');

function seedDesired(text = SEED): DesiredWorkstream {
  const parsed = parseWorkplan('workplans/CUST-WP-0005.md', text);
  expect(parsed.value).toBeDefined();
  return toDesiredWorkstream(parsed.value!, 'hash-1');
}

/** The mirror as a previous sync of `desired` would have left it. */
function mirrorOf(desired: DesiredWorkstream, id = desired.uuid ?? 'ws-1'): MirrorWorkstream {
  let n = 0;
  return {
    id,
    fields: { ...desired.fields },
    contentHash: desired.contentHash,
    removed: false,
    drifted: false,
    tasks: desired.tasks.map((t) => ({ id: t.uuid ?? `task-${n++}`, fields: { ...t.fields }, removed: false, drifted: false })),
    dependencies: desired.dependencies.map((d) => ({
      id: d.uuid ?? `dep-${n++}`,
      fields: { ...d.fields },
      removed: false,
      drifted: false,
    })),
    phases: desired.phases.map((p) => ({ ...p })),
    closureReviews: structuredClone(desired.closureReviews),
  };
}

function input(overrides: Partial<ReconcileInput>): ReconcileInput {
  let n = 0;
  return {
    desired: [],
    desiredAdrs: [],
    mirror: [],
    mirrorAdrs: [],
    vanished: [],
    vanishedAdrs: [],
    totalRows: 0,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    massRemovalThreshold: 0.5,
    allowMassRemoval: false,
    ...overrides,
  };
}

describe('planReconcile', () => {
  it('creates the seed workplan as 1 workstream, 4 phases, 11 tasks and 1 dependency, keeping the file ids', () => {
    const desired = seedDesired();
    const plan = planReconcile(input({ desired: [desired] }));
    expect(plan.workstreams).toHaveLength(1);
    const ws = plan.workstreams[0]!;
    expect(ws.action).toBe('create');
    expect(ws.id).toBe('2271eb55-62ca-4bcc-8d9f-f9aacd6922d6');
    expect(ws.phases).toHaveLength(4);
    expect(ws.tasks.create).toHaveLength(11);
    expect(ws.tasks.create.every((t) => t.fields.status === 'done')).toBe(true);
    expect(ws.tasks.create[0]!.id).toBe('456a0252-9a34-43a6-8244-c3a2caf95d51');
    expect(ws.dependencies.create).toHaveLength(1);
    expect(ws.dependencies.create[0]!.id).toBe('2033172d-2462-4253-acb7-cb64c7432480');
    expect(ws.closureReviews).toHaveLength(1);
    expect(plan.idAssignments).toEqual([]);
    expect(plan.counts.created).toBe(1 + 11 + 1);
  });

  it('plans nothing when the mirror already equals the files', () => {
    const desired = seedDesired();
    const plan = planReconcile(input({ desired: [desired], mirror: [mirrorOf(desired)], totalRows: 12 }));
    expect(isEmptyPlan(plan)).toBe(true);
    expect(plan.counts).toEqual({ created: 0, updated: 0, removed: 0, drifted: 0, idsAssigned: 0 });
  });

  it('reports the seed incident as 11 drifted rows and restores them to done (the file wins)', () => {
    const desired = seedDesired();
    const mirror = mirrorOf(desired);
    for (const t of mirror.tasks) {
      t.fields.status = 'todo';
      t.drifted = true;
    }
    const plan = planReconcile(input({ desired: [desired], mirror: [mirror], totalRows: 12 }));
    expect(plan.counts.drifted).toBe(11);
    expect(plan.counts.updated).toBe(11);
    expect(plan.drift).toHaveLength(11);
    expect(plan.drift[0]).toMatchObject({ entity: 'task', field: 'status', mirrorValue: 'todo', fileValue: 'done' });
    expect(plan.workstreams[0]!.tasks.update.every((u) => u.fields.status === 'done' && u.drift)).toBe(true);
  });

  it('calls a difference an update, not drift, when the row was not changed behind the file', () => {
    const desired = seedDesired();
    const mirror = mirrorOf(desired);
    mirror.tasks[0]!.fields.status = 'todo'; // as written by an earlier sync of an older file
    const plan = planReconcile(input({ desired: [desired], mirror: [mirror], totalRows: 12 }));
    expect(plan.counts.updated).toBe(1);
    expect(plan.counts.drifted).toBe(0);
  });

  it('matches tasks without ids by their task id and assigns the existing mirror id back', () => {
    const text = SEED.replace(/state_hub_task_id: .*\n/g, '').replace(/state_hub_workstream_id: .*\n/, '');
    const desired = seedDesired(text);
    const previous = mirrorOf(seedDesired());
    const plan = planReconcile(input({ desired: [desired], mirror: [previous], totalRows: 12 }));
    expect(plan.workstreams[0]?.tasks.create ?? []).toHaveLength(0);
    expect(plan.idAssignments.filter((a) => a.kind === 'task').map((a) => a.uuid)).toEqual(previous.tasks.map((t) => t.id));
    expect(plan.idAssignments.find((a) => a.kind === 'workstream')?.uuid).toBe(previous.id);
  });

  it('assigns new ids to new tasks and reports them for write-back', () => {
    const text = SEED.replace(/state_hub_task_id: .*\n/g, '');
    const plan = planReconcile(input({ desired: [seedDesired(text)] }));
    const taskIds = plan.idAssignments.filter((a) => a.kind === 'task');
    expect(taskIds).toHaveLength(11);
    expect(new Set(taskIds.map((a) => a.uuid)).size).toBe(11);
    expect(plan.workstreams[0]!.tasks.create.map((t) => t.id)).toEqual(taskIds.map((a) => a.uuid));
  });

  it('never removes the tasks of a file that parses with none, without the override', () => {
    const desired = seedDesired();
    const mirror = mirrorOf(desired);
    const empty: DesiredWorkstream = { ...desired, tasks: [], phases: [] };
    const refused = planReconcile(input({ desired: [empty], mirror: [mirror], totalRows: 1000 }));
    expect(refused.massRemoval.reasons.join()).toMatch(/no tasks/);
    const allowed = planReconcile(input({ desired: [empty], mirror: [mirror], totalRows: 1000, allowMassRemoval: true }));
    expect(allowed.massRemoval.reasons).toEqual([]);
    expect(allowed.counts.removed).toBe(11);
  });

  it('refuses removals above the threshold share of the mirror', () => {
    const vanished = Array.from({ length: 6 }, (_, i) => ({
      id: `w${i}`,
      fileId: `X-WP-${i}`,
      filePath: `workplans/${i}.md`,
      taskCount: 9,
    }));
    const plan = planReconcile(input({ vanished, totalRows: 100 }));
    expect(plan.counts.removed).toBe(60);
    expect(plan.massRemoval.reasons.join()).toMatch(/60 of 100/);
    expect(planReconcile(input({ vanished: vanished.slice(0, 2), totalRows: 100 })).massRemoval.reasons).toEqual([]);
  });

  it('treats a moved file with the same workstream id as an update of its path, not a removal', () => {
    const desired = seedDesired();
    const mirror = mirrorOf(desired);
    const moved: DesiredWorkstream = { ...desired, fields: { ...desired.fields, filePath: 'workplans/archive/CUST-WP-0005.md' } };
    const plan = planReconcile(
      input({
        desired: [moved],
        mirror: [mirror],
        vanished: [{ id: mirror.id, fileId: 'CUST-WP-0005', filePath: desired.fields.filePath, taskCount: 11 }],
        totalRows: 12,
      }),
    );
    expect(plan.removedWorkstreams).toEqual([]);
    expect(plan.workstreams[0]!.changes).toEqual([{ field: 'filePath', from: desired.fields.filePath, to: moved.fields.filePath }]);
  });

  it('marks a removed task and brings it back when the file regains it', () => {
    const desired = seedDesired();
    const mirror = mirrorOf(desired);
    const fewer: DesiredWorkstream = { ...desired, tasks: desired.tasks.slice(1) };
    const removal = planReconcile(input({ desired: [fewer], mirror: [mirror], totalRows: 12 }));
    expect(removal.workstreams[0]!.tasks.remove).toEqual([{ id: mirror.tasks[0]!.id, fileId: 'CUST-WP-0005-T01' }]);
    mirror.tasks[0]!.removed = true;
    const revival = planReconcile(input({ desired: [desired], mirror: [mirror], totalRows: 11 }));
    expect(revival.workstreams[0]!.tasks.update[0]).toMatchObject({ id: mirror.tasks[0]!.id, revived: true });
  });
});
