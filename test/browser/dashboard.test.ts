// The dashboard in a real browser (headless Chromium, Debian's `chromium`, driven by playwright-core;
// no browser is ever downloaded): the built CLI serves a repository of the fixture plans — on the
// embedded store `workplan serve` (the watch daemon in the same process), on Postgres `workplan watch
// --serve` — and every page loads without a console error, filters change the rows and stay in the
// URL, links open the workstream pages, and an edit of a workplan file shows on the open page once
// the watch has synced it. `.ci/run` installs chromium; elsewhere these tests skip without it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI } from '../hook/support/git-repo.js';
import { copyEmptyPGliteDir, describeEachDatabase } from '../support/databases.js';
import { readFixtureRepository } from '../support/plan-repo.js';
import { createTempRepo, type TempRepo } from '../support/sync-harness.js';

export const CHROMIUM = process.env.WORKPLAN_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs Debian's chromium.`);

let browser: BrowserContext | undefined;
let profile: string | undefined;
beforeAll(async () => {
  if (!haveChromium) return;
  assertBuilt();
  profile = await mkdtemp(join(tmpdir(), 'wps-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

interface Served {
  url: string;
  child: ChildProcessWithoutNullStreams;
  output: string[];
}

/** Starts the built CLI and waits for the line that names its address. */
async function startServer(repo: TempRepo, env: NodeJS.ProcessEnv, args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, ...args, '--port', '0', '--root', repo.root], {
    cwd: repo.root,
    env: { ...process.env, ...env },
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving" line in 60 s:\n${output.join('')}`)), 60_000);
    const take = (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      const found = /serving (http:\/\/[^/\s]+)\//.exec(output.join(''));
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${output.join('')}`)));
  });
  return { url, child, output };
}

/** A page that records console errors and uncaught exceptions. */
async function openPage(errors: string[]): Promise<Page> {
  const page = await browser!.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return page;
}

async function rowsOf(page: Page, table: string): Promise<string[]> {
  return page.locator(`[data-test=${table}] tbody tr[data-test=row] td:first-child`).allTextContents();
}

describeEachDatabase('the dashboard in Chromium', (db) => {
  const repos: TempRepo[] = [];
  const servers: Served[] = [];
  const pages: Page[] = [];
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((p) => p.close()));
    for (const s of servers.splice(0)) {
      s.child.kill('SIGTERM');
      await new Promise((resolve) => (s.child.exitCode !== null ? resolve(null) : s.child.once('exit', resolve)));
    }
    await Promise.all(repos.splice(0).map((r) => r.dispose()));
  });

  /** The fixture plans served as a user would: `serve` on the embedded store, `watch --serve` on Postgres. */
  async function served(): Promise<{ repo: TempRepo; server: Served }> {
    const repo = await createTempRepo(readFixtureRepository());
    repos.push(repo);
    if (db.kind === 'embedded') await copyEmptyPGliteDir(join(repo.root, '.workplan', 'db'));
    const env = { WORKPLAN_REPOSITORY_SLUG: repo.slug, ...(db.url ? { DATABASE_URL: db.url } : { DATABASE_URL: '' }) };
    const server = await startServer(repo, env, db.kind === 'embedded' ? ['serve'] : ['watch', '--serve']);
    servers.push(server);
    return { repo, server };
  }

  it.skipIf(!haveChromium)('loads every page without a console error', async () => {
    const { server, repo } = await served();
    const errors: string[] = [];
    const page = await openPage(errors);
    pages.push(page);
    const visits: Array<[string, string]> = [
      ['/', '[data-test=kpis]'],
      ['/workstreams', '[data-test=workstream-rows]'],
      [`/workstreams/DOC-WP-0101?repo=${repo.slug}`, '[data-test=dependencies]'],
      [`/workstreams/OPS-WP-0002?repo=${repo.slug}`, '[data-test=task-rows]'],
      ['/adrs', '[data-test=adr-rows]'],
      ['/events', '[data-test=event-rows]'],
    ];
    for (const [path, selector] of visits) {
      await page.goto(`${server.url}${path}`);
      await page.waitForSelector(selector, { timeout: 15_000 });
    }
    await page.goto(`${server.url}/`);
    await page.waitForSelector('[data-test=domain-card]');
    expect(await page.locator('[data-test=domain-card]').count()).toBe(3);
    expect(await page.locator('[data-test=chart-tasks] rect').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-test=attention]').textContent()).toContain('DOC-WP-0102-T01');
    expect(await page.locator('#live').textContent()).toBe('live');
    expect(errors).toEqual([]);
  });

  it.skipIf(!haveChromium)('changes the rows with the filters, keeps them in the URL, and opens a workstream from its link', async () => {
    const { server, repo } = await served();
    const errors: string[] = [];
    const page = await openPage(errors);
    pages.push(page);
    await page.goto(`${server.url}/workstreams?repo=${repo.slug}`);
    await page.waitForSelector('[data-test=workstream-rows] tr[data-test=row]');
    expect(await rowsOf(page, 'workstream-rows')).toHaveLength(8);

    await page.selectOption('[data-test=filter-domain]', 'ops');
    await page.waitForURL(/domain=ops/);
    await expect.poll(() => rowsOf(page, 'workstream-rows')).toEqual(['OPS-WP-0001', 'OPS-WP-0002', 'OPS-WP-0003']);
    await page.selectOption('[data-test=filter-status]', 'completed');
    await page.waitForURL(/status=completed/);
    await expect.poll(() => rowsOf(page, 'workstream-rows')).toEqual(['OPS-WP-0002']);

    await page.reload();
    await page.waitForSelector('[data-test=workstream-rows] tr[data-test=row]');
    expect(await rowsOf(page, 'workstream-rows')).toEqual(['OPS-WP-0002']);
    expect(await page.locator('[data-test=filter-domain]').inputValue()).toBe('ops');

    await page.click('[data-test=workstream-link]');
    await page.waitForURL(/\/workstreams\/OPS-WP-0002/);
    await expect.poll(() => page.locator('[data-test=workstream-title]').textContent()).toContain('OPS-WP-0002');
    expect(await page.locator('[data-test=file-path]').textContent()).toBe('workplans/OPS-WP-0002-monitoring.md');
    await page.click('[data-test=dependency-link]');
    await page.waitForURL(/\/workstreams\/OPS-WP-0003/);
    await expect.poll(() => page.locator('[data-test=workstream-title]').textContent()).toContain('OPS-WP-0003');
    await page.goBack();
    await expect.poll(() => page.locator('[data-test=workstream-title]').textContent()).toContain('OPS-WP-0002');
    expect(errors).toEqual([]);
  });

  it.skipIf(!haveChromium)('shows an edit of a workplan file on the open page once the watch has synced it', async () => {
    const { server, repo } = await served();
    const errors: string[] = [];
    const page = await openPage(errors);
    pages.push(page);
    await page.goto(`${server.url}/workstreams/DOC-WP-0100?repo=${repo.slug}`);
    const status = page.locator('[data-task="DOC-WP-0100-T03"]');
    await status.waitFor();
    expect(await status.textContent()).toBe('todo');
    await expect.poll(() => page.locator('#live').textContent()).toBe('live');

    const path = 'workplans/DOC-WP-0100-platform.md';
    const text = await repo.read(path);
    const task = text.indexOf('id: DOC-WP-0100-T03');
    const edited = text.slice(0, task) + text.slice(task).replace('status: todo', 'status: done');
    expect(edited).not.toBe(text);
    await repo.write(path, edited);
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('done');
    expect(errors).toEqual([]);
  });
});

describe.skipIf(haveChromium)('the dashboard in Chromium', () => {
  it('is skipped: no chromium at ' + CHROMIUM, () => undefined);
});
