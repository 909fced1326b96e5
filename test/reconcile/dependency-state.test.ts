// What blocks what (pure): `Depends on` waits for its targets, `Blocks` holds its targets back, a
// finished workplan (completed, archived, cancelled) holds nothing back, an unknown one does, ids
// resolve in the same repository first, and `related` never blocks.
import { describe, expect, it } from 'vitest';
import {
  createWorkstreamResolver,
  describeDependencies,
  findBlockedWorkstreams,
  type DeclaredDependency,
  type DependencyWorkstream,
} from '../../src/reconcile/dependency-state.js';

const ws = (id: string, status: string, repository = 'r1'): DependencyWorkstream => ({
  uuid: `${repository}/${id}`,
  id,
  title: `Title of ${id}`,
  status,
  repositoryId: repository,
  repository,
});
const dep = (source: DependencyWorkstream, kind: string, ...targets: string[]): DeclaredDependency => ({
  kind,
  targets,
  text: `${kind} ${targets.join(', ')}`,
  position: 0,
  source,
});

describe('findBlockedWorkstreams', () => {
  const a = ws('A-WP-1', 'active');
  const b = ws('B-WP-1', 'active');
  const done = ws('C-WP-1', 'completed');
  const archived = ws('D-WP-1', 'archived');
  const all = [a, b, done, archived];
  const resolve = createWorkstreamResolver(all);

  it('depends_on waits for an unfinished or unknown target, not for a finished one', () => {
    expect(findBlockedWorkstreams([dep(a, 'depends_on', 'B-WP-1')], resolve)).toEqual(new Set([a.uuid]));
    expect(findBlockedWorkstreams([dep(a, 'depends_on', 'C-WP-1', 'D-WP-1')], resolve)).toEqual(new Set());
    expect(findBlockedWorkstreams([dep(a, 'depends_on', 'Z-WP-9')], resolve)).toEqual(new Set([a.uuid]));
    expect(findBlockedWorkstreams([dep(a, 'depends_on', 'A-WP-1')], resolve)).toEqual(new Set());
  });

  it('blocks holds its targets back while the blocker is unfinished; related never blocks', () => {
    expect(findBlockedWorkstreams([dep(a, 'blocks', 'B-WP-1', 'Z-WP-9')], resolve)).toEqual(new Set([b.uuid]));
    expect(findBlockedWorkstreams([dep(done, 'blocks', 'B-WP-1')], resolve)).toEqual(new Set());
    expect(findBlockedWorkstreams([dep(a, 'related', 'B-WP-1')], resolve)).toEqual(new Set());
  });

  it('resolves an id in the same repository first, then in the first repository that has it', () => {
    const local = ws('X-WP-1', 'completed', 'r2');
    const remote = ws('X-WP-1', 'active', 'r1');
    const waiting = ws('W-WP-1', 'active', 'r2');
    const resolver = createWorkstreamResolver([local, remote, waiting]);
    expect(findBlockedWorkstreams([dep(waiting, 'depends_on', 'X-WP-1')], resolver)).toEqual(new Set());
    const elsewhere = ws('W-WP-2', 'active', 'r3');
    expect(findBlockedWorkstreams([dep(elsewhere, 'depends_on', 'X-WP-1')], createWorkstreamResolver([local, remote, elsewhere]))).toEqual(
      new Set([elsewhere.uuid]),
    );
  });
});

describe('describeDependencies', () => {
  it('lists what a workplan declares and the Blocks: of others that name it, with the states that decide blocking', () => {
    const a = ws('A-WP-1', 'active');
    const b = ws('B-WP-1', 'cancelled');
    const c = ws('C-WP-1', 'planned');
    const resolve = createWorkstreamResolver([a, b, c]);
    const views = describeDependencies(
      a,
      [
        { ...dep(a, 'depends_on', 'B-WP-1', 'Q-WP-1'), position: 0 },
        { ...dep(a, 'related', 'C-WP-1'), position: 1 },
      ],
      [dep(c, 'blocks', 'A-WP-1')],
      resolve,
      new Map([[0, 12]]),
    );
    expect(views).toEqual([
      {
        direction: 'outgoing',
        kind: 'depends_on',
        text: 'depends_on B-WP-1, Q-WP-1',
        targets: [
          { id: 'B-WP-1', title: 'Title of B-WP-1', status: 'cancelled', repository: 'r1', state: 'finished' },
          { id: 'Q-WP-1', title: null, status: null, repository: null, state: 'unknown' },
        ],
        blocking: true,
        line: 12,
      },
      {
        direction: 'outgoing',
        kind: 'related',
        text: 'related C-WP-1',
        targets: [expect.objectContaining({ id: 'C-WP-1', state: 'open' })],
        blocking: false,
        line: null,
      },
      {
        direction: 'incoming',
        kind: 'blocked_by',
        text: 'blocks A-WP-1',
        targets: [expect.objectContaining({ id: 'C-WP-1', state: 'open' })],
        blocking: true,
        line: null,
      },
    ]);
  });
});
