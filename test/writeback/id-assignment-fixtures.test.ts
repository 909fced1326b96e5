// Golden fixtures: test/fixtures/writeback/<case>/input.md → expected.md, byte for byte.
// `uuids.txt`, when present, lists the ids handed out in call order (workstream, tasks, dependencies);
// otherwise 00000000-0000-4000-8000-000000000001, …2, … Regenerate with UPDATE_FIXTURES=1 (then review!).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/model/diagnostic.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { applyTextEdits } from '../../src/writeback/apply-text-edits.js';
import { planIdAssignment } from '../../src/writeback/plan-id-assignment.js';
import { counterUuids, expectWholeLineInsertions, removeLinesContaining } from './support/inserted-lines.js';
import { projectWorkplan, uuidsOf } from './support/model-projection.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/writeback');
const CASES = readdirSync(FIXTURES)
  .filter((name) => existsSync(path.join(FIXTURES, name, 'input.md')))
  .sort();
/** Cases where an existing empty key gets its value: a value fill, not a line insertion. */
const VALUE_FILL_CASES = new Set(['empty-id-values']);

function read(file: string): string {
  // Decoded without dropping a BOM: it stays the first character of the text.
  return readFileSync(file).toString('utf8');
}

describe('id assignment golden fixtures', () => {
  it('has the fixture cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of CASES) {
    it(`${name}: writes exactly expected.md and nothing else`, () => {
      const dir = path.join(FIXTURES, name);
      const input = read(path.join(dir, 'input.md'));
      const parsed = parseWorkplan(`workplans/${name}.md`, input);
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const workplan = parsed.value!;
      const listed = existsSync(path.join(dir, 'uuids.txt')) ? read(path.join(dir, 'uuids.txt')).split('\n').filter(Boolean) : undefined;
      const next = listed ? () => listed.shift()! : counterUuids();
      const plan = planIdAssignment(workplan, input, next);
      const output = applyTextEdits(input, plan.edits);

      const expectedFile = path.join(dir, 'expected.md');
      if (process.env.UPDATE_FIXTURES) writeFileSync(expectedFile, output);
      expect(Buffer.from(output, 'utf8').equals(readFileSync(expectedFile)), `${name}: output differs from expected.md`).toBe(true);

      // Only the inserted lines changed.
      const uuids = plan.assigned.map((a) => a.uuid);
      if (!VALUE_FILL_CASES.has(name)) {
        expectWholeLineInsertions(input, plan.edits);
        expect(removeLinesContaining(output, uuids)).toBe(input);
      } else {
        expect(uuids.reduce((text, uuid) => text.replace(` ${uuid}`, ''), output)).toBe(input);
      }

      // Re-parsing gives the same model plus the ids, and no new problems.
      const reparsed = parseWorkplan(`workplans/${name}.md`, output);
      expect(hasErrors(reparsed.diagnostics)).toBe(false);
      expect(reparsed.diagnostics.map((d) => d.ruleId)).toEqual(
        parsed.diagnostics.map((d) => d.ruleId).filter((r) => r !== 'dependency-id-orphan'),
      );
      expect(projectWorkplan(reparsed.value!)).toEqual(projectWorkplan(workplan));
      const expectedUuids = { ...uuidsOf(workplan), ...Object.fromEntries(plan.assigned.map((a) => [a.key, a.uuid])) };
      expect(uuidsOf(reparsed.value!)).toEqual(expectedUuids);

      // Idempotent: nothing left to assign.
      expect(
        planIdAssignment(reparsed.value!, output, () => {
          throw new Error('no id should be needed');
        }),
      ).toEqual({ edits: [], assigned: [] });
    });
  }
});
