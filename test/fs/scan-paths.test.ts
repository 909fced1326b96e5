// listMarkdownPaths must say of the paths it is given exactly what the full walk says of them: a sync
// of known paths (watch, the hook) relies on it for which files exist and which are unreadable.
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listMarkdownFiles, listMarkdownPaths, type ScanResult } from '../../src/fs/scan.js';
import { createTempRepo, type TempRepo } from './support/temp-repo.js';

let repo: TempRepo;
let outside: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
  outside = await createTempRepo('wps-outside-');
  await outside.write('x.md', '');
  await outside.write('dir/y.md', '');
});
afterEach(async () => {
  await repo.remove();
  await outside.remove();
});

const covered = (result: ScanResult, p: string) => result.problems.some((q) => p === q.path || p.startsWith(`${q.path}/`));

/** What the walk says of `paths`, and what listMarkdownPaths says, in the same shape. */
async function bothViews(roots: string[], paths: string[]) {
  const full = await listMarkdownFiles(repo.root, roots);
  const scoped = await listMarkdownPaths(repo.root, roots, paths);
  const wanted = new Set(paths);
  return {
    walk: { files: full.files.filter((f) => wanted.has(f)), covered: paths.filter((p) => covered(full, p)) },
    scoped: { files: scoped.files, covered: paths.filter((p) => covered(scoped, p)) },
  };
}

describe('listMarkdownPaths', () => {
  it('lists present .md files and leaves out missing, hidden, node_modules and non-.md paths', async () => {
    await repo.write('workplans/a.md', '');
    await repo.write('workplans/sub/b.md', '');
    await repo.write('workplans/.hidden/c.md', '');
    await repo.write('workplans/node_modules/d.md', '');
    await repo.write('workplans/.e.md', '');
    await repo.write('workplans/f.txt', '');
    const paths = [
      'workplans/a.md',
      'workplans/sub/b.md',
      'workplans/.hidden/c.md',
      'workplans/node_modules/d.md',
      'workplans/.e.md',
      'workplans/f.txt',
      'workplans/gone.md',
      'other/a.md',
    ];
    expect(await listMarkdownPaths(repo.root, ['workplans'], paths)).toEqual({
      files: ['workplans/a.md', 'workplans/sub/b.md'],
      problems: [],
      leftoverDirs: [],
    });
  });

  it('never follows a symlinked directory; reports a symlinked file leading outside or nowhere', async () => {
    await repo.write('workplans/real/a.md', '');
    await symlink(outside.root, repo.abs('workplans/out'));
    await symlink(repo.abs('workplans/real'), repo.abs('workplans/loop'));
    await symlink('real/a.md', repo.abs('workplans/alias.md'));
    await symlink(outside.abs('x.md'), repo.abs('workplans/escape.md'));
    await symlink('missing.md', repo.abs('workplans/dangling.md'));
    const result = await listMarkdownPaths(
      repo.root,
      ['workplans'],
      [
        'workplans/out/x.md',
        'workplans/loop/a.md',
        'workplans/real/a.md',
        'workplans/alias.md',
        'workplans/escape.md',
        'workplans/dangling.md',
      ],
    );
    expect(result.files).toEqual(['workplans/alias.md', 'workplans/real/a.md']);
    expect(result.problems.map((p) => p.path).sort()).toEqual(['workplans/dangling.md', 'workplans/escape.md']);
  });

  it('reports a configured root that escapes or is a file for the paths beneath it', async () => {
    await symlink(outside.root, repo.abs('out'));
    await repo.write('file', '');
    const result = await listMarkdownPaths(repo.root, ['out', 'file'], ['out/x.md', 'file/y.md']);
    expect(result.files).toEqual([]);
    expect(result.problems.map((p) => p.path)).toEqual(['out', 'file']);
  });

  it('agrees with the full walk on every given path, for any tree (property)', async () => {
    // A tree is built from these entries; the roots and the asked-for paths are drawn from them too.
    const names = ['a', 'b.md', 'c.md', '.h.md', 'n.txt', 'x.md'];
    const dirs = ['workplans', 'workplans/sub', 'workplans/.dot', 'workplans/node_modules', 'adr', 'docs/plans', 'workplans/x.md'];
    const entry = fc.oneof(
      fc.record({ kind: fc.constant('file' as const), dir: fc.constantFrom(...dirs), name: fc.constantFrom(...names) }),
      fc.record({
        kind: fc.constant('link' as const),
        dir: fc.constantFrom(...dirs),
        name: fc.constantFrom('l.md', 'ld', 'lo', 'lx.md'),
        target: fc.constantFrom('in-file', 'in-dir', 'out-file', 'out-dir', 'nowhere'),
      }),
    );
    const rootSets = fc.subarray(['workplans', 'adr', '.', 'docs/plans', 'missing', 'workplans/sub'], { minLength: 1 });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 14 }), rootSets, fc.boolean(), async (entries, roots, symlinkedRoot) => {
        const base = `t${run++}`;
        const rel = (p: string) => `${base}/${p}`;
        await mkdir(repo.abs(base));
        const made: string[] = [];
        for (const e of entries) {
          const p = `${e.dir}/${e.name}`;
          if (made.some((m) => m === p || m.startsWith(`${p}/`) || p.startsWith(`${m}/`))) continue;
          made.push(p);
          if (e.kind === 'file') {
            await repo.write(rel(p), '');
            continue;
          }
          await mkdir(path.dirname(repo.abs(rel(p))), { recursive: true });
          const target = {
            'in-file': repo.abs(rel('docs/plans/t.md')),
            'in-dir': repo.abs(rel('docs/plans')),
            'out-file': outside.abs('x.md'),
            'out-dir': outside.abs('dir'),
            nowhere: repo.abs(rel('nowhere.md')),
          }[e.target];
          await repo.write(rel('docs/plans/t.md'), '');
          await symlink(target, repo.abs(rel(p)));
        }
        if (symlinkedRoot && !made.some((m) => m.startsWith('adr/')))
          await symlink(repo.abs(rel('docs/plans')), repo.abs(rel('adr'))).catch(() => undefined);
        const candidates = new Set<string>();
        for (const d of dirs)
          for (const n of [...names, 'l.md', 'lx.md', 'gone.md', 'ld/t.md', 'lo/y.md', 'a/b.md']) candidates.add(rel(`${d}/${n}`));
        candidates.add(rel('docs/plans/t.md'));
        const asked = [...candidates];
        const scopedRoots = roots.map((r) => (r === '.' ? base : rel(r)));
        const views = await bothViews(scopedRoots, asked);
        expect(views.scoped).toEqual(views.walk);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
