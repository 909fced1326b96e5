import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/app/workspace.js';

describe('openWorkspace', () => {
  let root: string;
  let saved: string | undefined;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'wps-workspace-'));
    saved = process.env.WORKPLAN_REPOSITORY_SLUG;
    process.env.WORKPLAN_REPOSITORY_SLUG = 'from-process-env';
  });

  afterEach(async () => {
    if (saved === undefined) delete process.env.WORKPLAN_REPOSITORY_SLUG;
    else process.env.WORKPLAN_REPOSITORY_SLUG = saved;
    await rm(root, { recursive: true, force: true });
  });

  it('takes WORKPLAN_REPOSITORY_SLUG from the environment it is given, not from process.env', async () => {
    const ws = await openWorkspace(root, root, { WORKPLAN_REPOSITORY_SLUG: 'from-given-env' });
    expect(ws.repository.slug).toBe('from-given-env');
  });

  it('derives the slug from the root when the given environment has none', async () => {
    await writeFile(join(root, 'workplan.config.json'), '{}');
    const ws = await openWorkspace(root, root, {});
    expect(ws.repository.slug).not.toBe('from-process-env');
    expect(ws.repository.slug.length).toBeGreaterThan(0);
    expect(ws.config).toBeDefined();
  });
});
