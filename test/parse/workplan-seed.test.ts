// The seed workplan (CUST-WP-0005) is the format's reference: it must parse completely and cleanly.
import { describe, expect, it } from 'vitest';
import { listTasks } from '../../src/model/workplan.js';
import { parseFixture, readGolden, renderGolden } from './workplan-fixtures.js';

const { text, result } = parseFixture('seed');
const workplan = result.value!;

const TASK_UUIDS = [
  '456a0252-9a34-43a6-8244-c3a2caf95d51',
  'eddff1ae-b263-4d3e-af95-91b4c3c2ecea',
  'b91cd0b5-c647-41e5-abf5-98f6f5eb3333',
  '0825fa45-ec3a-43b5-8482-4a819db75c6a',
  '50dc7eec-2b45-4a0d-b99e-27aca8a55a67',
  'daca1636-0187-4fb7-a515-8a2cf84f89d9',
  '930fd3fa-2e1d-401c-9e33-0378f33cb14d',
  'e99e6bd7-f6f2-496f-acbf-d2b013f37c73',
  'f2b352b6-4b9e-47b3-b629-48485245390e',
  'ddb91669-5297-45d9-8b5e-10213135a96d',
  '3fec152c-00e1-4cdb-b6e5-26136c8cb6c1',
];
const PRIORITIES = ['high', 'high', 'high', 'medium', 'high', 'medium', 'medium', 'medium', 'low', 'low', 'low'];

describe('the seed workplan CUST-WP-0005', () => {
  it('parses without any diagnostic', () => {
    expect(result.diagnostics).toEqual([]);
    expect(workplan).toBeDefined();
  });

  it('reads every frontmatter field, keeping dates as the strings written', () => {
    const fm = workplan.frontmatter.data;
    expect(fm).toEqual({
      id: 'CUST-WP-0005',
      type: 'workplan',
      title: 'State Hub v0.5 — Dynamic Domains & Multi-Repo',
      domain: 'custodian',
      status: 'completed',
      owner: 'custodian',
      topicSlug: 'custodian',
      workstreamUuid: '2271eb55-62ca-4bcc-8d9f-f9aacd6922d6',
      created: '2026-02-28',
      updated: '2026-02-28',
      completed: '2026-02-28',
      extra: {},
    });
    const keys = workplan.frontmatter.fields.map((f) => f.key);
    expect(keys).toEqual([
      'id',
      'type',
      'title',
      'domain',
      'status',
      'owner',
      'topic_slug',
      'state_hub_workstream_id',
      'created',
      'updated',
      'completed',
    ]);
    const title = workplan.frontmatter.fields[2]!;
    expect(title.raw).toBe('"State Hub v0.5 — Dynamic Domains & Multi-Repo"');
    expect(title.valueSpan.start).toMatchObject({ line: 4, column: 8 });
    expect(workplan.frontmatter.eol).toBe('\n');
    expect(text!.slice(workplan.frontmatter.bodyEnd, workplan.frontmatter.bodyEnd + 3)).toBe('---');
  });

  it('finds the title, the named sections and exactly four phases', () => {
    expect(workplan.title?.text).toBe('State Hub v0.5 — Dynamic Domains & Multi-Repo');
    expect(workplan.sections.map((s) => s.kind)).toEqual([
      'summary',
      'context',
      'dependencies',
      'phase',
      'phase',
      'phase',
      'phase',
      'notes',
      'closure-review',
    ]);
    expect(workplan.phases.map((p) => [p.number, p.title])).toEqual([
      [1, 'Domain as a DB Entity'],
      [2, 'Multi-Repo Support'],
      [3, 'MCP & Validation'],
      [4, 'Dashboard'],
    ]);
    expect(workplan.summary).toMatch(/^Replace the hardcoded 6-domain Python enum/);
    expect(workplan.context).toMatch(/^Domains are currently baked into a PostgreSQL ENUM/);
    expect(workplan.notes).toMatch(/^- v0\.5 P2\.1 supersedes/);
    expect(workplan.notes).toMatch(/created during the planning session\.$/);
  });

  it('reads eleven tasks T01..T11 with their UUIDs, statuses and priorities', () => {
    const tasks = listTasks(workplan);
    expect(tasks.map((t) => t.id)).toEqual(Array.from({ length: 11 }, (_, i) => `CUST-WP-0005-T${String(i + 1).padStart(2, '0')}`));
    expect(tasks.map((t) => t.taskUuid)).toEqual(TASK_UUIDS);
    expect(tasks.every((t) => t.status === 'done')).toBe(true);
    expect(tasks.map((t) => t.priority)).toEqual(PRIORITIES);
    expect(tasks.map((t) => t.phaseNumber)).toEqual([1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4]);
    expect(tasks.map((t) => t.order)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect(tasks.every((t) => t.metadata.form === 'lines' && t.metadata.linePrefix === '')).toBe(true);
  });

  it('keeps task labels, plain titles and verbatim descriptions', () => {
    const [t01, , , , t05] = listTasks(workplan);
    expect(t01!.label).toBe('P1.1');
    expect(t01!.title).toBe('Create domains table + Alembic migration');
    expect(t01!.heading.raw).toBe('P1.1 — Create `domains` table + Alembic migration');
    expect(t01!.description.startsWith('New table: `domains` (id UUID PK, slug VARCHAR(50) UNIQUE NOT NULL,\n')).toBe(true);
    expect(t01!.description.endsWith('Downgrade: reverse all steps (recreate enum, repopulate, drop domain_id).')).toBe(true);
    expect(t05!.title).toBe('Create managed_repos table + migration');
  });

  it('places each task insertOffset right after its last metadata line', () => {
    for (const task of listTasks(workplan)) {
      const before = text!.slice(0, task.metadata.insertOffset);
      expect(before.endsWith(`priority: ${task.priority}\n`)).toBe(true);
    }
  });

  it('reads one blocks dependency on CUST-WP-0003 with its dependency UUID', () => {
    expect(workplan.dependencies).toHaveLength(1);
    const [dependency] = workplan.dependencies;
    expect(dependency!.kind).toBe('blocks');
    expect(dependency!.targets).toEqual(['CUST-WP-0003']);
    expect(dependency!.dependencyUuid).toBe('2033172d-2462-4253-acb7-cb64c7432480');
    expect(dependency!.text.startsWith('**Blocks:** `CUST-WP-0003` (v0.3 Contribution Tracking)')).toBe(true);
    expect(text!.slice(dependency!.insertOffset).startsWith('- **state_hub_dependency_id:**')).toBe(true);
  });

  it('reads the closure review of 2026-03-02 with eleven done entries and none from the Cancelled paragraph', () => {
    expect(workplan.closureReviews).toHaveLength(1);
    const [review] = workplan.closureReviews;
    expect(review!.date).toBe('2026-03-02');
    expect(review!.outcome).toBe('All 11 tasks completed. No carry-forwards. No dropped tasks.');
    expect(review!.context).toMatch(/^This workplan was created DB-first on 2026-02-28/);
    expect(review!.entries).toHaveLength(11);
    expect(review!.entries.every((e) => e.classification === 'done')).toBe(true);
    expect(review!.entries.map((e) => e.taskId)).toEqual(listTasks(workplan).map((t) => t.id));
    expect(review!.entries.map((e) => e.title)).toEqual(listTasks(workplan).map((t) => t.title));
  });

  it('matches its golden model', () => {
    const rendered = renderGolden(result);
    expect(rendered).toBe(readGolden('seed', rendered));
  });
});
