// `workplan watch [--json] [--debounce <ms>] [--schedule "<cron>"] [--serve …]`: run the daemon
// (src/app/watch.ts) until SIGINT/SIGTERM, printing one line per event (one JSON object per line with
// --json). With --serve the HTTP API and dashboard (serve.ts) run in the same process, reading through
// the daemon, and are told after each sync that applied something (live updates).
// (The client side of the daemon hand-off for `workplan sync` is in sync.ts, through openMirrorOrHandOff.)
import { runCleanup } from '../../app/cleanup.js';
import { mirrorDatabaseFor } from '../../app/open-mirror.js';
import { startWatch, type WatchEvent, type WatchSchedule } from '../../app/watch.js';
import { embeddedDirFor, openWorkspace } from '../../app/workspace.js';
import { redactMessage, parseDatabaseUrl, resolveDatabaseUrl } from '../../db/connection-url.js';
import { readLiveLockOwner } from '../../db/embedded-lock.js';
import { openStore } from '../../db/store.js';
import { parseCron } from '../../watch/cron.js';
import { DAEMON_LOCK_COMMAND, DAEMON_PROTOCOL_VERSION } from '../../watch/daemon-protocol.js';
import { daemonSocketPath, requestDaemon } from '../../watch/daemon-socket.js';
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { formatDiagnostic, toJsonDiagnostic } from '../render-diagnostics.js';
import { reportConfigErrors } from '../report-config-errors.js';
import { formatLocalDate } from './local-date.js';
import type { PlanServer } from '../../http/server.js';

const DEFAULT_DEBOUNCE_MS = 200;

export async function runWatchCommand(ctx: CliContext): Promise<number> {
  if (ctx.positionals.length > 0) {
    ctx.out.error(
      `workplan watch: unexpected argument "${ctx.positionals[0]}".\nUsage: workplan watch [--json] [--debounce <ms>] [--schedule "<cron>"]`,
    );
    return EXIT.usage;
  }
  const debounceMs = ctx.values.debounce === undefined ? DEFAULT_DEBOUNCE_MS : Number(ctx.values.debounce);
  if (!Number.isInteger(debounceMs) || debounceMs < 0 || debounceMs > 60_000) {
    ctx.out.error(`workplan watch: --debounce "${ctx.values.debounce}" must be a whole number of milliseconds from 0 to 60000.`);
    return EXIT.usage;
  }
  const serve = ctx.values.serve ? await import('./serve.js') : undefined;
  const serveSettings = serve?.readServeSettings(ctx, 'watch');
  if (typeof serveSettings === 'number') return serveSettings;
  const ws = await openWorkspace(ctx.cwd, ctx.values.root, ctx.env);
  if (!ws.config) return reportConfigErrors(ctx, ws.configDiagnostics);
  const config = ws.config;

  let schedule: WatchSchedule | undefined;
  if (ctx.values.schedule !== undefined) {
    const parsed = parseCron(ctx.values.schedule);
    if (!parsed.ok) {
      ctx.out.error(`workplan watch: ${parsed.message}.`);
      return EXIT.usage;
    }
    schedule = {
      cron: parsed.schedule,
      job: 'cleanup',
      run: async (job) => {
        const result = await runCleanup({ ...job, date: formatLocalDate(job.now()), trigger: 'schedule' });
        return { summary: result.summary };
      },
    };
  }

  const url = resolveDatabaseUrl(config, ctx.env);
  const embeddedDir = embeddedDirFor({ root: ws.root, config });
  const socketPath = url ? undefined : daemonSocketPath(embeddedDir);
  if (socketPath) {
    const other = await requestDaemon(socketPath, { op: 'ping', version: DAEMON_PROTOCOL_VERSION }).catch(() => undefined);
    // One that is still starting holds the store but does not answer yet.
    const starting = other?.ok ? undefined : readLiveLockOwner(embeddedDir);
    const pid = other?.ok ? other.pid : starting?.command === DAEMON_LOCK_COMMAND ? starting.pid : undefined;
    if (pid !== undefined) {
      ctx.out.error(`workplan watch: a watch daemon (pid ${pid}) is already running for ${ws.root}; nothing was started.`);
      return EXIT.locked;
    }
  }

  const password = url ? safePassword(url) : undefined;
  const clean = (s: string) => redactMessage(s, { password });
  const log = createEventPrinter(ctx, clean);
  let server: PlanServer | undefined;
  let storeDescription = '';
  const running = await startWatch({
    root: ws.root,
    config,
    repository: ws.repository,
    debounceMs,
    ...(schedule ? { schedule } : {}),
    ...(socketPath ? { socketPath } : {}),
    onEvent: (event) => {
      log(event);
      if (event.kind === 'sync' && event.outcome === 'applied') server?.nudge();
    },
    openMirror: async () => {
      const store = await openStore({
        ...(url ? { databaseUrl: url, databaseUrlSource: config.database.urlEnv } : {}),
        embeddedDir,
        root: ws.root,
        command: DAEMON_LOCK_COMMAND,
        onWait: (m) => ctx.out.error(clean(m)),
      });
      storeDescription = store.describe;
      return { mirror: mirrorDatabaseFor(store), describe: store.describe, close: () => store.close() };
    },
  });
  if (serve && serveSettings) {
    const reader = serve.readerOverDaemon(
      { root: ws.root, config, repository: ws.repository },
      running,
      clean(storeDescription),
      serveSettings,
    );
    try {
      server = await serve.startServing(ctx, reader, serveSettings);
    } catch (error) {
      await running.stop();
      throw error;
    }
  }
  // (A failure to start — e.g. LOCK_UNAVAILABLE — propagates to main.ts, which prints it and maps its exit code.)
  return new Promise<number>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        // A second signal: leave now (the embedded lock file is removed on exit; a rolled-back
        // transaction is all that is lost).
        process.exit(signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm);
      }
      signalled = true;
      void (server?.close() ?? Promise.resolve())
        .then(() => running.stop())
        .then(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          // Everything is closed; should a library keep a handle alive, do not hang a supervisor.
          setTimeout(() => process.exit(EXIT.ok), 2_000).unref();
          resolve(EXIT.ok);
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // Started by npm (`npx workplan watch`, `npm run watch`): npm does not pass a SIGTERM on to this
    // process, so `kill <npx pid>` left the daemon running, orphaned, holding the store. When the npm
    // that started it goes away, stop as on SIGTERM.
    const stopWhenOrphaned = watchForOrphaning(ctx.env, () => {
      ctx.out.error(`${new Date().toTimeString().slice(0, 8)} the npm process that started this daemon (npx / npm run) exited; stopping`);
      onSignal('SIGTERM');
    });
    process.once('exit', stopWhenOrphaned);
  });
}

/** How often a daemon started by npm checks that npm is still its parent. */
const ORPHAN_CHECK_MS = 500;

/** Calls `onOrphaned` once if this process was started by npm and npm then exits; returns a stop function. */
function watchForOrphaning(env: NodeJS.ProcessEnv, onOrphaned: () => void): () => void {
  if (!env.npm_command && !env.npm_lifecycle_event) return () => undefined;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, ORPHAN_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** One line per event: text for people, one JSON object per line for supervisors (--json). */
function createEventPrinter(ctx: CliContext, clean: (s: string) => string): (event: WatchEvent) => void {
  if (ctx.values.json) {
    return (event) => {
      if (event.kind === 'suppressed') return; // not a sync: nothing ran
      const { kind, at, ...rest } = event;
      const body: Record<string, unknown> = { ...rest };
      if (event.kind === 'sync') body.diagnostics = event.diagnostics.map(toJsonDiagnostic);
      for (const key of ['message', 'hint'] as const) if (typeof body[key] === 'string') body[key] = clean(body[key] as string);
      ctx.out.print(JSON.stringify({ time: new Date(at).toISOString(), event: kind, ...body }));
    };
  }
  const stamp = (at: number) => new Date(at).toTimeString().slice(0, 8);
  return (event) => {
    const t = stamp(event.at);
    switch (event.kind) {
      case 'started':
        ctx.out.print(
          `${t} workplan watch (pid ${event.pid}): watching ${event.root}; debounce ${event.debounceMs} ms` +
            (event.schedule ? `; cleanup on "${event.schedule}"` : ''),
        );
        break;
      case 'ready':
        ctx.out.print(`${t} ready — mirror ${clean(event.store)}${event.nextScheduledAt ? `; next cleanup ${event.nextScheduledAt}` : ''}`);
        break;
      case 'sync': {
        const what = event.paths === 'all' ? 'all files' : shortList(event.paths);
        const c = event.counts;
        const parts = [`${c.created} created`, `${c.updated} updated`, `${c.removed} removed`];
        if (c.drifted > 0) parts.push(`${c.drifted} drifted`);
        parts.push(`${c.idsAssigned} id${c.idsAssigned === 1 ? '' : 's'} assigned`);
        if (event.files.failed > 0) parts.push(`${event.files.failed} with errors`);
        ctx.out.print(`${t} sync [${event.trigger}] ${what}: ${parts.join(', ')} — ${event.durationMs} ms`);
        for (const d of event.diagnostics) if (d.severity === 'error') ctx.out.print(`    ${formatDiagnostic(d).replace(/\n/g, '\n    ')}`);
        for (const w of event.writeBacks)
          if (w.outcome !== 'written') ctx.out.error(`    ${w.path}: ids not written back (${w.outcome}); the next change retries`);
        break;
      }
      case 'refused':
        ctx.out.error(
          `${t} refused ${shortList(event.paths)}: ${clean(event.message)}${event.hint ? `\n    hint: ${clean(event.hint)}` : ''}`,
        );
        break;
      case 'unreachable':
        ctx.out.error(`${t} ${clean(event.message)}`);
        break;
      case 'reconnected':
        ctx.out.error(`${t} mirror reachable again after ${(event.downMs / 1000).toFixed(1)} s; caught up`);
        break;
      case 'scheduled':
        ctx.out.print(
          `${t} ${event.job} (scheduled): ${event.outcome}${event.summary ? ` — ${event.summary}` : ''}${event.message ? ` — ${clean(event.message)}` : ''}` +
            (event.next ? `; next ${event.next}` : ''),
        );
        break;
      case 'error':
        ctx.out.error(`${t} error${event.code ? ` ${event.code}` : ''}: ${clean(event.message)}`);
        break;
      case 'stopping':
        ctx.out.print(`${t} stopping: finishing the current sync, closing the store…`);
        break;
      case 'stopped':
        ctx.out.print(`${t} stopped`);
        break;
      case 'call':
        ctx.out.print(
          `${t} ${event.name} [${event.trigger}]: ${event.outcome}${event.code ? ` ${event.code}` : ''} — ${event.durationMs} ms`,
        );
        break;
      case 'suppressed':
      case 'deferred':
        break;
    }
  };
}

function shortList(paths: string[]): string {
  if (paths.length <= 3) return paths.join(', ');
  return `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

function safePassword(url: string): string | undefined {
  try {
    return parseDatabaseUrl(url).password;
  } catch {
    return undefined;
  }
}
