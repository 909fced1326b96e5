// Invisible characters in messages are shown escaped (issue 14, point 9): a zero-width space in a task
// id was printed invisibly, so the message quoted an id that looked exactly right.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, toJsonDiagnostic } from '../../src/cli/render-diagnostics.js';
import { showInvisible } from '../../src/cli/show-invisible.js';
import { main } from '../../src/cli/main.js';
import { createRecordingOutput } from '../../src/cli/output.js';
import { createTempRepo } from '../support/sync-harness.js';

describe('showInvisible', () => {
  it.each([
    ['zero-width space', 'T0\u200B2', 'T0\\u200B2'],
    ['zero-width joiner and non-joiner', 'a\u200Db\u200Cc', 'a\\u200Db\\u200Cc'],
    ['bidirectional override', 'x\u202Ey', 'x\\u202Ey'],
    ['byte order mark', '\uFEFFid', '\\uFEFFid'],
    ['soft hyphen', 'co\u00ADop', 'co\\u00ADop'],
    ['no-break and typographic spaces', 'a\u00A0b\u2009c\u3000d', 'a\\u00A0b\\u2009c\\u3000d'],
    ['control characters', 'a\u0000b\u001Bc\rd', 'a\\u0000b\\u001Bc\\u000Dd'],
    ['a tag character (astral)', 'x\u{E0041}', 'x\\u{E0041}'],
    ['Hangul filler', 'a\u3164b', 'a\\u3164b'],
  ])('%s', (_name, input, shown) => {
    expect(showInvisible(input)).toBe(shown);
  });

  it('leaves visible text, spaces, tabs, newlines and non-ASCII letters alone', () => {
    const text = 'Tâche «ünïcödé» 日本語 — ok\tnext\nline 😀';
    expect(showInvisible(text)).toBe(text);
  });

  it("applies to diagnostics as printed and as JSON (message and hint; the JSON path stays the file's)", () => {
    const at = { line: 3, column: 5, offset: 20 };
    const d = {
      path: 'workplans/x\u200B.md',
      span: { start: at, end: at },
      severity: 'error' as const,
      ruleId: 'task-id-invalid',
      message: 'Task id "A-T0\u200B2" does not match',
      hint: 'Use\u00A0this',
    };
    expect(formatDiagnostic(d)).toBe(
      'workplans/x\\u200B.md:3:5: error task-id-invalid Task id "A-T0\\u200B2" does not match\n    hint: Use\\u00A0this',
    );
    expect(toJsonDiagnostic(d)).toMatchObject({
      path: 'workplans/x\u200B.md',
      message: 'Task id "A-T0\\u200B2" does not match',
      hint: 'Use\\u00A0this',
    });
  });

  it('`workplan check` on a task id with a zero-width space prints the id with \\u200B', async () => {
    const id = 'ZW-WP-0001';
    const text = `---\nid: ${id}\ntype: workplan\ntitle: t\ndomain: d\nstatus: active\n---\n\n# t\n\n## Phase 1 — x\n\n### P1.1 — a\n\nid: ${id}-T0\u200B1\nstatus: todo\n`;
    const repo = await createTempRepo({ [`workplans/${id}.md`]: text });
    try {
      const out = createRecordingOutput();
      const code = await main(['check', '--root', repo.root], { cwd: repo.root, env: {}, out });
      expect(code).toBe(1);
      const printed = out.stdout.join('\n');
      expect(printed).toContain(`${id}-T0\\u200B1`);
      expect(printed).not.toContain('\u200B');
    } finally {
      await repo.dispose();
    }
  });
});
