import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { applyTextEdits } from '../../src/writeback/apply-text-edits.js';
import { dependencyKey, planIdAssignment } from '../../src/writeback/plan-id-assignment.js';
import { counterUuids, expectWholeLineInsertions, removeLinesContaining } from './support/inserted-lines.js';
import { projectWorkplan, uuidsOf } from './support/model-projection.js';
import { workplanTextArb } from './support/workplan-text-arbitrary.js';

function parse(text: string) {
  const result = parseWorkplan('workplans/gen.md', text);
  if (!result.value) throw new Error(`did not parse: ${JSON.stringify(result.diagnostics)}`);
  return result;
}

function assign(text: string, newUuid = counterUuids()) {
  const parsed = parse(text);
  const plan = planIdAssignment(parsed.value!, text, newUuid);
  return { parsed, plan, output: applyTextEdits(text, plan.edits) };
}

const BASE = ['---', 'id: X-WP-0001', 'type: workplan', 'title: X', 'domain: x', 'status: active', '---', '', '# X', ''];

describe('planIdAssignment', () => {
  it('assigns ids in file order from the id source, keyed by workplan id, task id and dependency index', () => {
    const text = [
      ...BASE,
      '## Dependencies',
      '',
      '- **Blocks:** `X-WP-0002`',
      '- **Related:** `X-WP-0003`',
      '',
      '## Phase 1 — P',
      '',
      '### P1.1 — A',
      '',
      'id: X-WP-0001-T01',
      '',
      '### P1.2 — B',
      '',
      'id: X-WP-0001-T02',
      '',
    ].join('\n');
    const { plan } = assign(text);
    expect(plan.assigned.map((a) => [a.kind, a.key, a.uuid.slice(-2)])).toEqual([
      ['workstream', 'X-WP-0001', '01'],
      ['task', 'X-WP-0001-T01', '02'],
      ['task', 'X-WP-0001-T02', '03'],
      ['dependency', dependencyKey('X-WP-0001', 0), '04'],
      ['dependency', 'X-WP-0001#dep1', '05'],
    ]);
  });

  it("puts the workstream id after topic_slug (the seed's layout), in the frontmatter's own form", () => {
    const text = [
      '---',
      'id: X-WP-0001',
      'type: workplan',
      'title: X',
      'domain: x',
      'status: active',
      'owner: o',
      'topic_slug: t',
      'created: 2026-01-01',
      '---',
      '',
    ].join('\n');
    const { output } = assign(text);
    expect(output).toBe(text.replace('topic_slug: t\n', 'topic_slug: t\nstate_hub_workstream_id: 00000000-0000-4000-8000-000000000001\n'));
  });

  it('puts it before the closing --- when no identity key is found, and after a key whose value spans lines', () => {
    const folded = [
      '---',
      'id: X-WP-0001',
      'type: workplan',
      'domain: x',
      'status: active',
      'title: |',
      '  two',
      '  lines',
      'created: 2026-01-01',
      '---',
      '',
    ].join('\n');
    expect(assign(folded).output).toBe(
      folded.replace('  lines\n', '  lines\nstate_hub_workstream_id: 00000000-0000-4000-8000-000000000001\n'),
    );
  });

  it('changes nothing when every id is present', () => {
    const text = [
      '---',
      'id: X-WP-0001',
      'type: workplan',
      'title: X',
      'domain: x',
      'status: active',
      'state_hub_workstream_id: 2271eb55-62ca-4bcc-8d9f-f9aacd6922d6',
      '---',
      '',
      '# X',
      '',
      '## Phase 1 — P',
      '',
      '### P1.1 — A',
      '',
      'id: X-WP-0001-T01',
      'state_hub_task_id: 456a0252-9a34-43a6-8244-c3a2caf95d51',
      '',
    ].join('\n');
    expect(
      assign(text, () => {
        throw new Error('unused');
      }).plan,
    ).toEqual({ edits: [], assigned: [] });
  });

  it('never overwrites or duplicates an id key holding a value that is not a UUID', () => {
    const text = [...BASE, '## Phase 1 — P', '', '### P1.1 — A', '', 'id: X-WP-0001-T01', 'state_hub_task_id: not-a-uuid', ''].join('\n');
    const { plan } = assign(text);
    expect(plan.assigned.map((a) => a.kind)).toEqual(['workstream']);
  });

  it('never duplicates a dependency id item holding a bad value', () => {
    const text = [...BASE, '## Dependencies', '', '- **Blocks:** `X-WP-0002`', '- **state_hub_dependency_id:** nope', ''].join('\n');
    expect(assign(text).plan.assigned.map((a) => a.kind)).toEqual(['workstream']);
  });

  it('refuses an id source that returns something other than a UUID (no line injection)', () => {
    const text = [...BASE].join('\n');
    const parsed = parse(text);
    expect(() => planIdAssignment(parsed.value!, text, () => 'x\nstatus: archived')).toThrow(TypeError);
  });

  it('refuses a model that does not belong to the text', () => {
    const text = BASE.join('\n');
    const parsed = parse(text);
    expect(() => planIdAssignment(parsed.value!, text.replace('id: X', 'id:  X'), counterUuids())).toThrow(/does not match/);
  });

  it('property: on random workplans, only whole lines are inserted; removing them gives the original bytes; re-parsing gives the same model plus the ids', () => {
    fc.assert(
      fc.property(workplanTextArb, ({ text }) => {
        const { parsed, plan, output } = assign(text);
        expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

        expectWholeLineInsertions(text, plan.edits);
        expect(
          removeLinesContaining(
            output,
            plan.assigned.map((a) => a.uuid),
          ),
        ).toBe(text);
        // Every inserted line ends with the file's own line break (or starts with it at the end).
        for (const edit of plan.edits) expect(edit.text.replace(/[^\r\n]/g, '')).toBe(parsed.value!.eol);

        const reparsed = parse(output);
        expect(reparsed.diagnostics).toHaveLength(parsed.diagnostics.length);
        expect(projectWorkplan(reparsed.value!)).toEqual(projectWorkplan(parsed.value!));
        expect(uuidsOf(reparsed.value!)).toEqual({
          ...uuidsOf(parsed.value!),
          ...Object.fromEntries(plan.assigned.map((a) => [a.key, a.uuid])),
        });
        // Everything that was missing is now assigned, and a second run changes nothing.
        expect(Object.values(uuidsOf(reparsed.value!)).every((u) => u !== undefined)).toBe(true);
        expect(planIdAssignment(reparsed.value!, output, counterUuids()).edits).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
