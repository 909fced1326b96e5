// A plan computed in parts, so that a sync of many files never holds every file's rows at once: each
// part plans one batch of changed files against the mirror rows loaded for that batch, and the caller
// applies it before loading the next. Removals wait for the end: a row that no file of one batch
// claims may be claimed by a file of a later batch (a workplan moved to a path planned later), and a
// row removed then revived would count as both. The parts and the removals together make the plan
// `planReconcile` computes from all the files at once. Pure.
import {
  planReconcile,
  type AdrPlan,
  type ClaimedRows,
  type DriftRecord,
  type FieldChange,
  type IdAssignment,
  type MassRemovalCheck,
  type Plan,
  type PlanCounts,
  type ReconcileInput,
  type RowRemove,
  type WorkstreamPlan,
  type WorkstreamRemoval,
} from './plan.js';

/** What a plan did, without the rows' contents (what a sync reports; its size follows the changes, not the text). */
export interface PlanReceipt {
  workstreams: WorkstreamReceipt[];
  removedWorkstreams: WorkstreamRemoval[];
  adrs: {
    create: Array<{ id: string; fields: { fileId: string; filePath: string } }>;
    update: Array<{ id: string; fields: { fileId: string; filePath: string }; changes: FieldChange[]; drift: boolean; revived: boolean }>;
    remove: AdrPlan['remove'];
  };
  domains: string[];
  idAssignments: IdAssignment[];
  drift: DriftRecord[];
  counts: PlanCounts;
  massRemoval: MassRemovalCheck;
}

export interface WorkstreamReceipt {
  id: string;
  action: WorkstreamPlan['action'];
  fields: { fileId: string; filePath: string };
  contentHashChanged: boolean;
  changes: FieldChange[];
  drift: boolean;
  revived: boolean;
  tasks: ChildReceipt<{ fileId: string }>;
  dependencies: ChildReceipt<{ position: number }>;
  phasesRewritten: boolean;
  closureReviewsRewritten: boolean;
}

export interface ChildReceipt<K> {
  create: Array<{ id: string; fields: K }>;
  update: Array<{ id: string; fields: K; changes: FieldChange[]; drift: boolean; revived: boolean }>;
  remove: RowRemove[];
}

export type PartInput = Omit<
  ReconcileInput,
  'claimed' | 'vanished' | 'vanishedAdrs' | 'totalRows' | 'newId' | 'massRemovalThreshold' | 'allowMassRemoval'
>;

export interface BatchedPlan {
  /** Plans one batch of files; the removals of rows it leaves unclaimed are held back for `finish`. */
  part(input: PartInput): Plan;
  /** The removals: rows no part claimed, of those the parts left unclaimed and of vanished files. Call once, last. */
  finish(vanished: WorkstreamRemoval[], vanishedAdrs: AdrPlan['remove']): Plan;
  /** The whole plan's receipt: every part and the removals; counts and mass-removal check are the whole plan's. */
  receipt(): PlanReceipt;
}

export function createBatchedPlan(options: Pick<ReconcileInput, 'newId' | 'massRemovalThreshold' | 'allowMassRemoval'>): BatchedPlan {
  const claimed: ClaimedRows = { workstreams: new Set(), adrs: new Set() };
  const heldWorkstreams = new Map<string, WorkstreamRemoval>();
  const heldAdrs = new Map<string, AdrPlan['remove'][number]>();
  const receipt: PlanReceipt = {
    workstreams: [],
    removedWorkstreams: [],
    adrs: { create: [], update: [], remove: [] },
    domains: [],
    idAssignments: [],
    drift: [],
    counts: { created: 0, updated: 0, removed: 0, drifted: 0, idsAssigned: 0 },
    massRemoval: { removedRows: 0, totalRows: 0, threshold: options.massRemovalThreshold, reasons: [] },
  };
  const domains = new Set<string>();
  const add = (plan: Plan) => {
    for (const w of plan.workstreams) receipt.workstreams.push(workstreamReceipt(w));
    receipt.removedWorkstreams.push(...plan.removedWorkstreams);
    receipt.adrs.create.push(
      ...plan.adrs.create.map((a) => ({ id: a.id, fields: { fileId: a.fields.fileId, filePath: a.fields.filePath } })),
    );
    receipt.adrs.update.push(
      ...plan.adrs.update.map((a) => ({
        id: a.id,
        fields: { fileId: a.fields.fileId, filePath: a.fields.filePath },
        changes: a.changes,
        drift: a.drift,
        revived: a.revived,
      })),
    );
    receipt.adrs.remove.push(...plan.adrs.remove);
    for (const d of plan.domains) domains.add(d);
    receipt.domains = [...domains].sort();
    receipt.idAssignments.push(...plan.idAssignments);
    receipt.drift.push(...plan.drift);
    // Drifted rows are counted per file and a file is in one part only, so the parts' counts add up.
    for (const key of Object.keys(receipt.counts) as Array<keyof PlanCounts>) receipt.counts[key] += plan.counts[key];
    receipt.massRemoval.removedRows += plan.massRemoval.removedRows;
    receipt.massRemoval.reasons.push(...plan.massRemoval.reasons);
  };

  return {
    part(input) {
      const plan = planReconcile({ ...input, ...options, vanished: [], vanishedAdrs: [], claimed });
      for (const r of plan.removedWorkstreams) if (!heldWorkstreams.has(r.id)) heldWorkstreams.set(r.id, r);
      for (const r of plan.adrs.remove) if (!heldAdrs.has(r.id)) heldAdrs.set(r.id, r);
      const held = plan.removedWorkstreams.reduce((n, r) => n + 1 + r.taskCount, 0) + plan.adrs.remove.length;
      plan.removedWorkstreams = [];
      plan.adrs.remove = [];
      plan.counts.removed -= held;
      plan.massRemoval.removedRows -= held;
      add(plan);
      return plan;
    },
    finish(vanished, vanishedAdrs) {
      const removedWorkstreams: WorkstreamRemoval[] = [];
      const seen = new Set<string>();
      for (const r of [...heldWorkstreams.values(), ...vanished]) {
        if (claimed.workstreams.has(r.id) || seen.has(r.id)) continue;
        seen.add(r.id);
        removedWorkstreams.push(r);
      }
      const removedAdrs: AdrPlan['remove'] = [];
      for (const r of [...heldAdrs.values(), ...vanishedAdrs]) {
        if (claimed.adrs.has(r.id) || seen.has(r.id)) continue;
        seen.add(r.id);
        removedAdrs.push(r);
      }
      const removedRows = removedWorkstreams.reduce((n, r) => n + 1 + r.taskCount, 0) + removedAdrs.length;
      const plan: Plan = {
        workstreams: [],
        removedWorkstreams,
        adrs: { create: [], update: [], remove: removedAdrs },
        domains: [],
        idAssignments: [],
        drift: [],
        counts: { created: 0, updated: 0, removed: removedRows, drifted: 0, idsAssigned: 0 },
        massRemoval: { removedRows, totalRows: 0, threshold: options.massRemovalThreshold, reasons: [] },
      };
      add(plan);
      return plan;
    },
    receipt: () => receipt,
  };
}

function workstreamReceipt(w: WorkstreamPlan): WorkstreamReceipt {
  return {
    id: w.id,
    action: w.action,
    fields: { fileId: w.fields.fileId, filePath: w.fields.filePath },
    contentHashChanged: w.contentHashChanged,
    changes: w.changes,
    drift: w.drift,
    revived: w.revived,
    tasks: {
      create: w.tasks.create.map((t) => ({ id: t.id, fields: { fileId: t.fields.fileId } })),
      update: w.tasks.update.map((t) => ({
        id: t.id,
        fields: { fileId: t.fields.fileId },
        changes: t.changes,
        drift: t.drift,
        revived: t.revived,
      })),
      remove: w.tasks.remove,
    },
    dependencies: {
      create: w.dependencies.create.map((d) => ({ id: d.id, fields: { position: d.fields.position } })),
      update: w.dependencies.update.map((d) => ({
        id: d.id,
        fields: { position: d.fields.position },
        changes: d.changes,
        drift: d.drift,
        revived: d.revived,
      })),
      remove: w.dependencies.remove,
    },
    phasesRewritten: w.phases !== null,
    closureReviewsRewritten: w.closureReviews !== null,
  };
}
