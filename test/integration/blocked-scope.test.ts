// A shared mirror's `list`/`next` of some repositories judge "blocked" from the dependencies that can
// block their workstreams only (ADR 0016). Invariant: for every repository in the mirror, the scoped
// answer equals the whole-mirror answer restricted to that repository — including a `Blocks:` written
// in another repository, and an id that only another repository has.
import { expect, it } from 'vitest';
import { readBlockedWorkstreamIds } from '../../src/app/query-plans.js';
import { describeEachDatabase } from '../support/databases.js';
import { planRepos, readFixtureRepository } from '../support/plan-repo.js';

/** The files with their `state_hub_*` lines removed (mirror ids are unique across a shared mirror). */
function withoutMirrorIds(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [path, text.replace(/^.*state_hub_\w+_id.*\r?\n/gm, '')]));
}

const NEIGHBOUR = `---
id: NB-WP-0001
type: workplan
title: Neighbour
domain: docs
status: active
---

# Neighbour

## Dependencies

- **Blocks:** \`OPS-WP-0001\` (written here, names a workplan only the fixture repositories have)
- **Depends on:** \`DOC-WP-0102\` (another repository's workplan)

## Phase 1 — Work

### P1.1 — Do it

id: NB-WP-0001-T01
status: todo
priority: high
`;

describeEachDatabase('blocked workstreams of a scope', (db) => {
  const planRepo = planRepos(db);

  it.runIf(db.kind === 'postgres')("equal the whole mirror's answer restricted to each repository", async () => {
    const plans = await planRepo();
    const other = await planRepo(withoutMirrorIds(readFixtureRepository()));
    const neighbour = await planRepo({ 'workplans/NB-WP-0001-neighbour.md': NEIGHBOUR });
    for (const p of [plans, other, neighbour]) await (await p.session()).call('sync', {});
    const rows = await plans.sql<{ uuid: string; slug: string }>(
      `SELECT w.id::text AS uuid, r.slug FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE w.removed_at IS NULL`,
    );
    const store = await db.openStore();
    try {
      const all = new Set(await readBlockedWorkstreamIds(store.sql.db, 'all'));
      const slugs = [...new Set(rows.map((r) => r.slug))];
      let blockedSeen = 0;
      for (const slug of slugs) {
        const mine = rows.filter((r) => r.slug === slug).map((r) => r.uuid);
        const scoped = new Set(await readBlockedWorkstreamIds(store.sql.db, [slug]));
        expect(mine.filter((u) => scoped.has(u)).sort(), slug).toEqual(mine.filter((u) => all.has(u)).sort());
        blockedSeen += mine.filter((u) => all.has(u)).length;
      }
      expect(blockedSeen).toBeGreaterThan(0);
      // The neighbour's `Blocks: OPS-WP-0001` resolves to the first repository (by slug) that has it.
      const first = [plans.slug, other.slug].sort()[0]!;
      const [target] = await plans.sql<{ uuid: string }>(
        `SELECT w.id::text AS uuid FROM workstreams w JOIN repositories r ON r.id = w.repository_id WHERE r.slug = $1 AND w.file_id = 'OPS-WP-0001' AND w.removed_at IS NULL`,
        first,
      );
      expect(new Set(await readBlockedWorkstreamIds(store.sql.db, [first])).has(target!.uuid)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
