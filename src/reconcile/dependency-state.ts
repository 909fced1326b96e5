// What blocks what, from the dependencies the workplans declare (docs/queries.md, "Blocked"). Pure.
//
// - `Depends on: X` in workplan W: W waits for X.
// - `Blocks: Y` in workplan W: Y waits for W.
// - A dependency is satisfied when the workplan it waits for is finished (completed, archived or
//   cancelled: it will not progress further). A workplan id that is not in the mirror is not known to
//   be finished, so it is not satisfied (`unknown`): a typo in an id shows up as a blocked workplan.
// - A workplan id resolves to the workplan of the same repository, else to the one of the first
//   repository (by slug) that has it: ids are unique per repository, not across a shared mirror.
// `related` dependencies never block.
import { FINISHED_WORKSTREAM_STATUSES } from '../model/plan-query.js';
import type { DependencyTargetView, DependencyView } from '../model/plan-views.js';

/** A workstream as dependencies see it. */
export interface DependencyWorkstream {
  uuid: string;
  id: string;
  title: string;
  status: string;
  repositoryId: string;
  repository: string;
}

export interface DeclaredDependency {
  kind: string;
  targets: string[];
  text: string;
  position: number;
  source: DependencyWorkstream;
}

const FINISHED = new Set<string>(FINISHED_WORKSTREAM_STATUSES);

/** True when a workstream in this status will not progress further (a dependency on it is satisfied). */
export function isFinishedStatus(status: string): boolean {
  return FINISHED.has(status);
}

/** Looks workplan ids up among the known workstreams (several repositories may share an id). */
export function createWorkstreamResolver(known: readonly DependencyWorkstream[]) {
  const byId = new Map<string, DependencyWorkstream[]>();
  for (const w of known) {
    const list = byId.get(w.id) ?? [];
    list.push(w);
    byId.set(w.id, list);
  }
  for (const list of byId.values()) list.sort((a, b) => (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0));
  return (id: string, fromRepositoryId: string): DependencyWorkstream | undefined => {
    const list = byId.get(id);
    return list?.find((w) => w.repositoryId === fromRepositoryId) ?? list?.[0];
  };
}

type Resolve = ReturnType<typeof createWorkstreamResolver>;

/** The uuids of the workstreams some unfinished (or unknown) workplan keeps blocked. */
export function findBlockedWorkstreams(dependencies: readonly DeclaredDependency[], resolve: Resolve): Set<string> {
  const blocked = new Set<string>();
  for (const d of dependencies) {
    if (d.kind === 'depends_on') {
      const waiting = d.targets.some((id) => {
        const target = resolve(id, d.source.repositoryId);
        return target?.uuid !== d.source.uuid && (!target || !isFinishedStatus(target.status));
      });
      if (waiting) blocked.add(d.source.uuid);
    } else if (d.kind === 'blocks' && !isFinishedStatus(d.source.status)) {
      for (const id of d.targets) {
        const target = resolve(id, d.source.repositoryId);
        if (target && target.uuid !== d.source.uuid) blocked.add(target.uuid);
      }
    }
  }
  return blocked;
}

function targetView(id: string, target: DependencyWorkstream | undefined): DependencyTargetView {
  if (!target) return { id, title: null, status: null, repository: null, state: 'unknown' };
  return {
    id,
    title: target.title,
    status: target.status,
    repository: target.repository,
    state: isFinishedStatus(target.status) ? 'finished' : 'open',
  };
}

/**
 * The dependencies of `workstream` as `show` presents them: those it declares (any kind), then the
 * `Blocks:` of other workplans that name it, each with the state of the workplans involved.
 * `lines` gives the source line of each declared dependency by position, when known.
 */
export function describeDependencies(
  workstream: DependencyWorkstream,
  declared: readonly DeclaredDependency[],
  incoming: readonly DeclaredDependency[],
  resolve: Resolve,
  lines: ReadonlyMap<number, number> = new Map(),
): DependencyView[] {
  const out: DependencyView[] = [];
  for (const d of declared) {
    const targets = d.targets.map((id) => targetView(id, resolve(id, workstream.repositoryId)));
    const blocking = d.kind === 'depends_on' && targets.some((t) => t.id !== workstream.id && t.state !== 'finished');
    out.push({ direction: 'outgoing', kind: d.kind, text: d.text, targets, blocking, line: lines.get(d.position) ?? null });
  }
  for (const d of incoming) {
    if (d.kind !== 'blocks' || d.source.uuid === workstream.uuid) continue;
    // Only a `Blocks:` whose id resolves to this workstream (not to a namesake in another repository).
    if (resolve(workstream.id, d.source.repositoryId)?.uuid !== workstream.uuid) continue;
    const source = targetView(d.source.id, d.source);
    out.push({
      direction: 'incoming',
      kind: 'blocked_by',
      text: d.text,
      targets: [source],
      blocking: source.state !== 'finished',
      line: null,
    });
  }
  return out;
}
