import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPreparedCache } from '../../src/cache/prepared-cache.js';
import { prepareFiles } from '../../src/app/parse-pool.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { hashBytes } from '../../src/model/content-hash.js';

describe('the prepared-file cache', () => {
  it('reuses a result only for the same path, content and configuration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wps-cache-'));
    try {
      const bytes = Buffer.from('---\nid: A-WP-1\ntype: workplan\ntitle: T\ndomain: d\nstatus: active\n---\n\n# T\n');
      const file = { path: 'workplans/a.md', kind: 'workplan' as const, bytes, hash: hashBytes(bytes) };
      const cache = openPreparedCache(dir, DEFAULT_CONFIG);
      const [first] = await prepareFiles([file], DEFAULT_CONFIG, { cache, workers: 0 });
      expect(first!.diagnostics).toEqual([]);

      // Plant a marker in the stored entry: a hit returns it, a miss parses afresh.
      await cache.set({ ...first!, diagnostics: [{ ...marker(), path: file.path }] });
      const [hit] = await prepareFiles([file], DEFAULT_CONFIG, { cache, workers: 0 });
      expect(hit!.diagnostics.map((d) => d.ruleId)).toEqual(['marker']);

      const otherConfig = { ...DEFAULT_CONFIG, sync: { ...DEFAULT_CONFIG.sync, maxFileBytes: 1234 } };
      const [missByConfig] = await prepareFiles([file], otherConfig, { cache: openPreparedCache(dir, otherConfig), workers: 0 });
      expect(missByConfig!.diagnostics).toEqual([]);

      const changed = Buffer.from(bytes.toString().replace('title: T', 'title: U'));
      const [missByContent] = await prepareFiles([{ ...file, bytes: changed, hash: hashBytes(changed) }], DEFAULT_CONFIG, {
        cache,
        workers: 0,
      });
      expect(missByContent!.diagnostics).toEqual([]);
      expect(missByContent!.kind === 'workplan' && missByContent!.desired?.fields.title).toBe('U');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function marker() {
  const at = { line: 1, column: 1, offset: 0 };
  return { span: { start: at, end: at }, severity: 'warning' as const, ruleId: 'marker', message: 'from the cache' };
}
