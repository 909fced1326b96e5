// The closure protocol's checks on a completed workplan (issue 14, point 18): a task whose status is
// not a known value has its own error and is never listed as open under the default it reads as.
import { describe, expect, it } from 'vitest';
import { parseWorkplan } from '../../src/parse/workplan.js';

const completed = (statuses: string[]) =>
  `---\nid: C-WP-0001\ntype: workplan\ntitle: t\ndomain: d\nstatus: completed\n---\n\n# t\n\n## Phase 1 — x\n\n` +
  statuses.map((s, i) => `### P1.${i + 1} — task ${i + 1}\n\nid: C-WP-0001-T0${i + 1}\nstatus: ${s}\n\n`).join('') +
  '## Closure Review — 2026-01-01\n\nDone.\n';

describe('completed-with-open-tasks', () => {
  it('an unknown status is task-status-invalid only: not an open task shown as "todo"', () => {
    const rules = parseWorkplan('workplans/C-WP-0001.md', completed(['nonsense', 'done'])).diagnostics.map((d) => [d.ruleId, d.message]);
    expect(rules).toEqual([['task-status-invalid', expect.stringContaining('Unknown task status "nonsense"')]]);
  });

  it('still lists the tasks that are open, with the status they were written with', () => {
    const diagnostics = parseWorkplan('workplans/C-WP-0001.md', completed(['nonsense', 'todo', 'in_progress'])).diagnostics;
    const open = diagnostics.find((d) => d.ruleId === 'completed-with-open-tasks');
    expect(open?.message).toBe(
      'Workplan status is "completed" but 2 tasks are still open: C-WP-0001-T02 (todo), C-WP-0001-T03 (in_progress)',
    );
    expect(open?.message).not.toContain('C-WP-0001-T01');
  });
});
