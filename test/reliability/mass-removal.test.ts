// The mass-removal guard (shared/RELIABILITY.md: "A file seen with 0 tasks (mid-save, unreadable,
// failed checkout) never turns into removals without an explicit override"): a damaged working
// tree — an unreadable directory, a failed checkout that left empty files or files cut after their
// frontmatter, a deleted root directory — must never remove mirror rows. The sync either leaves
// the rows alone (files it cannot read or parse) or refuses with MASS_REMOVAL_REFUSED (exit 7);
// the whole-mirror digest is unchanged either way. With --allow-mass-removal the same removal goes
// through (so the guard, not an accident, is what kept the rows).
import type { Dirent } from 'node:fs';
import { cp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { workingTreeSource } from '../../src/fs/source-files.js';
import { classifySourcePath } from '../../src/model/source-path.js';
import type { SourceListing, SourceProvider } from '../../src/model/source-file.js';
import { main } from '../../src/cli/main.js';
import { createRecordingOutput } from '../../src/cli/output.js';
import { listMarkdownFiles } from '../../src/fs/scan.js';
import { isSyncError } from '../../src/model/errors.js';
import { openStore, type Store } from '../../src/db/store.js';
import { describeEachDatabase } from '../support/databases.js';
import { createTempRepo, syncRepo, type TempRepo } from '../support/sync-harness.js';
import { corpusA, writeRepoFiles, type Files } from './support/corpus.js';
import { countNote, scenarioFigures } from './support/figures.js';
import { iterations } from './support/level.js';
import { diffDigests, digestMirror, liveRowCount, storeQuery, type MirrorDigest } from './support/mirror-digest.js';

const figures = scenarioFigures('mass-removal');

/** The working tree, except that reading `unreadable` (a repository-relative directory) fails with EACCES. */
function sourceWithUnreadableDir(root: string, unreadable: string): SourceProvider {
  const base = workingTreeSource(root);
  return {
    async list(config) {
      const realRoot = await realpath(root);
      const blocked = path.join(realRoot, ...unreadable.split('/'));
      const listing = await listMarkdownFiles(root, [...config.roots.workplans, ...config.roots.adr], {
        readdir: async (abs): Promise<Dirent[]> => {
          if (abs === blocked) throw Object.assign(new Error(`EACCES: permission denied, scandir '${abs}'`), { code: 'EACCES' });
          return readdir(abs, { withFileTypes: true });
        },
      });
      const files: SourceListing['files'] = [];
      for (const p of listing.files) {
        const kind = classifySourcePath(p, config);
        if (kind) files.push({ path: p, kind });
      }
      return { files, problems: listing.problems.map((p) => ({ path: p.path, error: p.error })) };
    },
    read: (p, kind, config) => base.read(p, kind, config),
  };
}

interface Damage {
  name: string;
  /** Changes the working tree (version A) into the damaged one; returns a source to sync it with, if special. */
  apply(repo: TempRepo, files: Files): Promise<SourceProvider | void>;
  /** What the sync must do: leave every row alone, or refuse. */
  expect: 'untouched' | 'refused';
}

const PLANS = 6;
const DAMAGES: Damage[] = [
  {
    name: 'an unreadable workplans/ directory (EACCES from readdir)',
    expect: 'untouched',
    apply: async (repo) => sourceWithUnreadableDir(repo.root, 'workplans'),
  },
  {
    name: 'an unreadable sub-directory holding some of the workplans',
    expect: 'untouched',
    apply: async (repo, files) => {
      // Move plans 1-3 into workplans/team/ first (a sync of that move is the baseline), see setup.
      void files;
      return sourceWithUnreadableDir(repo.root, 'workplans/team');
    },
  },
  {
    name: 'a failed checkout: every workplan replaced by an empty file',
    expect: 'untouched',
    apply: async (repo, files) => {
      for (const p of Object.keys(files)) if (p.startsWith('workplans/')) await writeFile(path.join(repo.root, p), '');
    },
  },
  {
    name: 'a failed checkout: every ADR replaced by an empty file',
    expect: 'untouched',
    apply: async (repo, files) => {
      for (const p of Object.keys(files)) if (p.startsWith('adr/')) await writeFile(path.join(repo.root, p), '');
    },
  },
  {
    name: 'one workplan cut right after its frontmatter',
    expect: 'refused',
    apply: async (repo, files) => {
      const p = Object.keys(files).find((f) => f.startsWith('workplans/'))!;
      const text = files[p]!;
      await writeFile(path.join(repo.root, p), text.slice(0, text.indexOf('\n---\n') + 5));
    },
  },
  {
    name: 'every workplan cut right after its frontmatter (half-finished checkout)',
    expect: 'refused',
    apply: async (repo, files) => {
      for (const [p, text] of Object.entries(files)) {
        if (p.startsWith('workplans/')) await writeFile(path.join(repo.root, p), text.slice(0, text.indexOf('\n---\n') + 5));
      }
    },
  },
  {
    name: 'the workplans/ root deleted',
    expect: 'refused',
    apply: async (repo) => rm(path.join(repo.root, 'workplans'), { recursive: true, force: true }),
  },
  {
    name: 'the adr/ root deleted (few rows: under the share threshold)',
    expect: 'refused',
    apply: async (repo) => rm(path.join(repo.root, 'adr'), { recursive: true, force: true }),
  },
  {
    name: 'both roots deleted (an empty checkout)',
    expect: 'refused',
    apply: async (repo) => {
      await rm(path.join(repo.root, 'workplans'), { recursive: true, force: true });
      await rm(path.join(repo.root, 'adr'), { recursive: true, force: true });
    },
  },
];

/** Version A, with plans 1-3 in workplans/team/ (for the unreadable sub-directory). */
function baseline(): Files {
  const files: Files = {};
  for (const [p, text] of Object.entries(corpusA(PLANS, 5, 3))) {
    const n = Number(/REL-WP-(\d+)/.exec(p)?.[1] ?? 0);
    files[p.startsWith('workplans/') && n <= 3 ? p.replace('workplans/', 'workplans/team/') : p] = text;
  }
  return files;
}

describeEachDatabase('a damaged working tree never removes mirror rows', (db) => {
  let repo: TempRepo;
  let store: Store;
  let before: MirrorDigest;
  const files = baseline();
  beforeAll(async () => {
    repo = await createTempRepo(files, `mass-removal-${db.kind}`);
    store = await db.openStore();
    const first = await syncRepo(repo.root, repo.slug, store, { workers: 0 });
    expect(first.diagnostics).toEqual([]);
    before = await digestMirror(storeQuery(store));
  });
  afterAll(async () => {
    await repo?.dispose();
  });

  const rounds = iterations(1, 5);
  it(`${DAMAGES.length} kinds of damage × ${rounds}: rows untouched or the sync refused; the digest never changes`, async () => {
    for (let round = 0; round < rounds; round++) {
      for (const damage of DAMAGES) {
        await writeRepoFiles(repo.root, files);
        const source = await damage.apply(repo, files);
        let error: unknown;
        let removed = 0;
        try {
          const result = await syncRepo(repo.root, repo.slug, store, { workers: 0, ...(source ? { source } : {}) });
          removed = result.plan.counts.removed;
        } catch (e) {
          error = e;
        }
        figures.cases++;
        figures.faults++;
        const after = await digestMirror(storeQuery(store));
        if (after.digest !== before.digest) figures.rowsLost += Math.max(1, liveRowCount(before) - liveRowCount(after));
        expect(after.digest, `${damage.name}: the mirror changed:\n${diffDigests(after, before)}`).toBe(before.digest);
        expect(removed, damage.name).toBe(0);
        if (damage.expect === 'refused') {
          expect(isSyncError(error, 'MASS_REMOVAL_REFUSED'), `${damage.name}: ${String(error)}`).toBe(true);
          expect((error as Error).message).toMatch(/The mirror was not changed/);
          countNote(figures, 'refused (MASS_REMOVAL_REFUSED)');
        } else {
          expect(error, damage.name).toBeUndefined();
          countNote(figures, 'rows left alone (unreadable or unparsable)');
        }
      }
    }
    await writeRepoFiles(repo.root, files);
  }, 120_000);

  it('`workplan sync` exits 7 on a deleted root and says how to override; with --allow-mass-removal the rows are removed', async () => {
    const env = { WORKPLAN_REPOSITORY_SLUG: repo.slug, ...(db.kind === 'postgres' ? { DATABASE_URL: db.url! } : {}) };
    await store.close();
    // The CLI opens the store itself (embedded: a copy of the suite's store where the CLI looks, inside the repository).
    const cliStore = path.join(repo.root, '.workplan', 'db');
    if (db.kind === 'embedded') await cp(db.embeddedDir, cliStore, { recursive: true });
    await writeRepoFiles(repo.root, files);
    await rm(path.join(repo.root, 'workplans'), { recursive: true, force: true });
    const out = createRecordingOutput();
    expect(await main(['sync', '--root', repo.root], { cwd: repo.root, env, out })).toBe(7);
    expect(out.stderr.join('\n')).toMatch(
      /MASS_REMOVAL_REFUSED: Refusing to sync: .*The mirror was not changed\.\n\s+hint: .*--allow-mass-removal/s,
    );
    figures.cases++;
    figures.faults++;

    const allowed = createRecordingOutput();
    expect(await main(['sync', '--root', repo.root, '--allow-mass-removal'], { cwd: repo.root, env, out: allowed })).toBe(0);
    expect(allowed.stdout.join('\n')).toMatch(/\d+ files, 0 created, 0 updated, (3[0-9]|[4-9]\d) removed/);
    store = db.kind === 'embedded' ? await openStore({ embeddedDir: cliStore }) : await db.openStore();
    const after = await digestMirror(storeQuery(store));
    expect(after.digest).not.toBe(before.digest);
    countNote(figures, 'CLI exit 7, then removed with --allow-mass-removal');
  }, 60_000);
});

// Issue 14, point 9: what the refusal says. 300 damaged files made one 40 KB line listing every file;
// two checkouts with the same folder name and no remote share a repository name, and the second one's
// sync was refused without a word about the other checkout or WORKPLAN_REPOSITORY_SLUG.
describeEachDatabase('the mass-removal refusal explains itself', (db) => {
  const repos: TempRepo[] = [];
  afterAll(async () => {
    await Promise.all(repos.map((r) => r.dispose()));
  });

  it('many damaged files: a few reasons, then a count, not one line per file', async () => {
    const files = corpusA(60, 2, 0);
    const repo = await createTempRepo(files, `many-damaged-${db.kind}`);
    repos.push(repo);
    const store = await db.openStore();
    await syncRepo(repo.root, repo.slug, store, { workers: 0 });
    for (const [p, text] of Object.entries(files)) await writeFile(path.join(repo.root, p), text.slice(0, text.indexOf('\n---\n') + 5));
    const error = await syncRepo(repo.root, repo.slug, store, { workers: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    figures.cases++;
    figures.faults += 60;
    expect(isSyncError(error, 'MASS_REMOVAL_REFUSED')).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^Refusing to sync: .*; and \d+ more like these \(`workplan sync --dry-run --allow-mass-removal` lists every removal\)\. The mirror was not changed\.$/s,
    );
    expect(message.length).toBeLessThan(2_000);
    countNote(figures, 'refusals listing a few reasons and a count');
  }, 120_000);

  it('two checkouts sharing a folder name and no remote: the refusal names the other checkout and WORKPLAN_REPOSITORY_SLUG', async () => {
    const first = await createTempRepo(corpusA(6, 2, 0), 'plans');
    const second = await createTempRepo(
      {
        [Object.keys(corpusA(1, 1, 0))[0]!.replace('0001', '0901')]: corpusA(1, 1, 0)[Object.keys(corpusA(1, 1, 0))[0]!]!.replace(
          /REL-WP-0001/g,
          'REL-WP-0901',
        ),
      },
      'plans',
    );
    repos.push(first, second);
    const store = await db.openStore();
    await syncRepo(first.root, 'plans', store, { workers: 0 });
    const before = await digestMirror(storeQuery(store));
    const error = await syncRepo(second.root, 'plans', store, { workers: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    figures.cases++;
    figures.faults++;
    expect(isSyncError(error, 'MASS_REMOVAL_REFUSED')).toBe(true);
    const hint = (error as { hint?: string }).hint ?? '';
    expect(hint).toContain(`were last synced from ${first.root}, not from this checkout (${second.root})`);
    expect(hint).toMatch(/WORKPLAN_REPOSITORY_SLUG=plans-\S+ workplan sync/);
    expect(hint).toContain('--allow-mass-removal');
    const after = await digestMirror(storeQuery(store));
    if (after.digest !== before.digest) figures.rowsLost++;
    expect(after.digest).toBe(before.digest);
    // Named apart, both keep their rows.
    await syncRepo(second.root, 'plans-second', store, { workers: 0 });
    expect((await digestMirror(storeQuery(store))).digest).not.toBe(before.digest);
    countNote(figures, 'slug collisions explained');
  }, 120_000);
});
