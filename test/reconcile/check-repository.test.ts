import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runCheck } from '../../src/app/check.js';
import { workingTreeSource } from '../../src/app/source-files.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';

const ROOT = fileURLToPath(new URL('../fixtures/repository/duplicates/', import.meta.url));

describe('workplan check across files', async () => {
  const result = await runCheck({ config: DEFAULT_CONFIG, source: workingTreeSource(ROOT), workers: 0 });
  const found = (ruleId: string) =>
    result.diagnostics.filter((d) => d.ruleId === ruleId).map((d) => `${d.path}:${d.span.start.line}:${d.span.start.column} ${d.severity}`);

  it('reports a workplan id used by two files, naming the other place', () => {
    expect(found('workplan-id-duplicate')).toEqual(['workplans/ALPHA-WP-0001-first.md:2:5 error']);
    expect(result.diagnostics.find((d) => d.ruleId === 'workplan-id-duplicate')!.message).toContain('workplans/ALPHA-WP-0001-copy.md:2');
  });

  it('reports a mirror id copied into another file', () => {
    expect(found('uuid-duplicate')).toEqual(['workplans/ALPHA-WP-0001-first.md:21:20 error']);
  });

  it('warns about a dependency on a workplan the repository does not have, but not about known ones', () => {
    expect(found('dependency-target-unknown')).toEqual(['workplans/ALPHA-WP-0001-first.md:14:1 warning']);
  });

  it('reports an ADR superseded by an unknown ADR', () => {
    expect(found('adr-supersedes-unknown').map((s) => s.split(':')[0])).toEqual(['adr/0001-use-files.md']);
  });

  it('checks every file', () => {
    expect(result.filesChecked).toBe(4);
  });
});
