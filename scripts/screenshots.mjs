#!/usr/bin/env node
// Screenshots of the dashboard for the docs (docs/dashboard-*.png), taken with the same browser as the
// browser tests: Debian's chromium (apt-get install chromium) driven by playwright-core; no browser
// is downloaded. Serves a copy of test/fixtures/plans with the built CLI (`npm run build` first) on
// the embedded store, in a temporary directory removed afterwards.
//   node scripts/screenshots.mjs [--out docs]
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.WORKPLAN_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs' } } });
const out = join(ROOT, values.out);

const work = await mkdtemp(join(tmpdir(), 'wps-screens-'));
const repo = join(work, 'plans');
const profile = join(work, 'profile');
let child;
let context;
try {
  await cp(join(ROOT, 'test/fixtures/plans'), repo, { recursive: true });
  const env = { ...process.env, WORKPLAN_REPOSITORY_SLUG: 'acme/plans' };
  delete env.DATABASE_URL;
  child = spawn(process.execPath, [join(ROOT, 'bin/workplan.js'), 'serve', '--port', '0', '--root', repo], { cwd: repo, env });
  const url = await new Promise((resolve, reject) => {
    let output = '';
    const take = (chunk) => {
      output += chunk;
      const found = /serving (http:\/\/[^/\s]+)\//.exec(output);
      if (found) resolve(found[1]);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('exit', (code) => reject(new Error(`workplan serve exited ${code}: ${output}`)));
  });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const shots = [
    ['/', '[data-test=attention]', 'dashboard-overview.png'],
    ['/workstreams?domain=docs', '[data-test=workstream-rows]', 'dashboard-workstreams.png'],
    ['/workstreams/DOC-WP-0101', '[data-test=dependencies]', 'dashboard-workstream.png'],
    ['/adrs', '[data-test=adr-rows]', 'dashboard-adrs.png'],
  ];
  for (const [path, selector, file] of shots) {
    await page.goto(`${url}${path}`);
    await page.waitForSelector(selector);
    await page.waitForFunction(() => document.getElementById('live')?.textContent === 'live');
    await page.screenshot({ path: join(out, file), fullPage: true });
    console.log(`${values.out}/${file}`);
  }
} finally {
  await context?.close();
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  await rm(work, { recursive: true, force: true });
}
