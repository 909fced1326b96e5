// A frontmatter key that is itself a YAML mapping or list (issue 14, point 9: test runs printed yaml's
// "Keys with collection values will be stringified" warning on stderr): a located diagnostic, and
// nothing on the process's stderr.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseAdr } from '../../src/parse/adr.js';
import { parseWorkplan } from '../../src/parse/workplan.js';

describe('collection keys in YAML', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['a flow sequence key', '? [a, b]\n: c\n'],
    ['a flow mapping key', '{x: 1}: y\n'],
    ['a nested collection key', 'extra:\n  ? [p, q]\n  : r\n'],
  ])('%s is a frontmatter diagnostic at the key, and no warning is emitted', (_name, yaml) => {
    const warn = vi.spyOn(process, 'emitWarning');
    const text = `---\nid: Y-WP-0001\ntype: workplan\ntitle: t\ndomain: d\nstatus: active\n${yaml}---\n\n# t\n`;
    const { diagnostics } = parseWorkplan('workplans/Y-WP-0001.md', text);
    expect(warn).not.toHaveBeenCalled();
    const d = diagnostics.find((x) => x.message.includes('YAML mapping or list'));
    expect(d?.severity).toBe('error');
    expect(d?.span.start.line).toBeGreaterThanOrEqual(7);
    const adr = parseAdr('adr/0001-x.md', `---\nstatus: accepted\n${yaml}---\n\n# 1. X\n`);
    expect(warn).not.toHaveBeenCalled();
    expect(adr.diagnostics.some((x) => x.message.includes('YAML mapping or list'))).toBe(true);
  });
});
