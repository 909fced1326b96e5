import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runCheck } from '../../src/app/check.js';
import { workingTreeSource } from '../../src/fs/source-files.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';

const ROOT = fileURLToPath(new URL('../fixtures/repository/duplicates/', import.meta.url));

describe('workplan check across files', async () => {
  const result = await runCheck({ config: DEFAULT_CONFIG, source: workingTreeSource(ROOT), workers: 0 });
  const found = (ruleId: string) =>
    result.diagnostics.filter((d) => d.ruleId === ruleId).map((d) => `${d.path}:${d.span.start.line}:${d.span.start.column} ${d.severity}`);

  it('reports a workplan id used by two files on both, each naming the other place (the verdict does not depend on file order)', () => {
    expect(found('workplan-id-duplicate')).toEqual([
      'workplans/ALPHA-WP-0001-copy.md:2:5 error',
      'workplans/ALPHA-WP-0001-first.md:2:5 error',
    ]);
    const messages = result.diagnostics.filter((d) => d.ruleId === 'workplan-id-duplicate').map((d) => d.message);
    expect(messages[0]).toContain('workplans/ALPHA-WP-0001-first.md:2');
    expect(messages[1]).toContain('workplans/ALPHA-WP-0001-copy.md:2');
  });

  it('reports a mirror id copied into another file, at both places', () => {
    expect(found('uuid-duplicate')).toEqual([
      'workplans/ALPHA-WP-0001-copy.md:16:20 error',
      'workplans/ALPHA-WP-0001-first.md:21:20 error',
    ]);
  });

  it('warns about a dependency on a workplan the repository does not have, but not about known ones', () => {
    expect(found('dependency-target-unknown')).toEqual(['workplans/ALPHA-WP-0001-first.md:14:1 warning']);
  });

  it('warns about an ADR superseded by an ADR the repository does not have', () => {
    expect(found('adr-supersedes-unknown')).toEqual(['adr/0001-use-files.md:7:15 warning']);
  });

  it('checks every file', () => {
    expect(result.filesChecked).toBe(4);
  });
});
