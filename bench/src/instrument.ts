// Where a sync's time goes, measured from outside the engine: the source provider, the mirror's SQL
// and the sync's own progress events and clock calls are wrapped with timers. No engine code changes;
// when the engine's shape changes (e.g. parsing moves to worker threads) the phases degrade to
// "other" rather than lie.
import type { MirrorDatabase, SyncOptions } from '#lib/app/sync.js';
import type { SyncProgress } from '#lib/reconcile/sync-result.js';
import type { SourceProvider } from '#lib/model/source-file.js';
import type { SqlExecutor } from '#lib/db/sql-executor.js';

interface SqlRecord {
  label: string;
  start: number;
  end: number;
  inTx: boolean;
}

export interface SyncBreakdown {
  /** Wall time of runSync as seen by the caller. */
  totalMs: number;
  listMs: number;
  /** From the first file read started to the last one finished (reads run 16 at a time). */
  readMs: number;
  /** SQL before the transaction (repository row, mirror index). */
  sqlBeforeTxMs: number;
  /** From the end of reading and the index query to the last `parsed` progress event. */
  parseMs: number;
  filesParsed: number;
  /** Transaction start (BEGIN + advisory lock) until the first statement of ours. */
  txBeginMs: number;
  /** Reads inside the transaction before the writes (index, mirror rows, counts). */
  sqlReadInTxMs: number;
  /** CPU inside the transaction before the writes: planReconcile + planning write-backs. */
  planMs: number;
  /** The write statements (applyPlan + sync run record), by statement. */
  sqlWriteMs: number;
  /** Every statement of ours, grouped by phase and label, slowest first. */
  statements: Array<{ phase: 'before-tx' | 'tx-read' | 'tx-write'; label: string; ms: number; count: number }>;
  /** From the last statement to the end of the transaction (COMMIT). */
  commitMs: number;
  /** Writing assigned ids back into files, after commit. */
  writeBackMs: number;
  /** Whatever the phases above do not cover. */
  otherMs: number;
}

/** Wraps a sync's options with timers; call `breakdown()` after runSync returns. */
/** `breakdown(started, ended)` takes the performance.now() values the caller took around runSync. */
export function instrumentSync(options: SyncOptions): {
  options: SyncOptions;
  breakdown: (started: number, ended: number) => SyncBreakdown;
} {
  const sql: SqlRecord[] = [];
  const clock: number[] = [];
  const reads: Array<[number, number]> = [];
  let list: [number, number] | undefined;
  const parsedAt: number[] = [];
  let applyingAt: number | undefined;

  // Statements issued together (Promise.all) queue on one connection: each one's time includes the wait.
  const wrapDb = (db: SqlExecutor, tx: boolean): SqlExecutor => ({
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
      const label = `${callerName()}: ${labelOf(query)}`;
      const start = performance.now();
      try {
        return await db.$queryRawUnsafe<T>(query, ...values);
      } finally {
        sql.push({ label, start, end: performance.now(), inTx: tx });
      }
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
      const label = `${callerName()}: ${labelOf(query)}`;
      const start = performance.now();
      try {
        return await db.$executeRawUnsafe(query, ...values);
      } finally {
        sql.push({ label, start, end: performance.now(), inTx: tx });
      }
    },
  });
  const mirror: MirrorDatabase = {
    db: wrapDb(options.mirror.db, false),
    withRepositoryLock: (key, fn) => options.mirror.withRepositoryLock(key, (tx) => fn(wrapDb(tx, true))),
  };
  const source: SourceProvider = {
    async list(config) {
      const start = performance.now();
      try {
        return await options.source.list(config);
      } finally {
        list = [start, performance.now()];
      }
    },
    // A sync of known paths lists those alone when the source can: the wrapper must offer the same.
    ...(options.source.listPaths
      ? {
          async listPaths(paths: readonly string[], config: Parameters<SourceProvider['list']>[0]) {
            const start = performance.now();
            try {
              return await options.source.listPaths!(paths, config);
            } finally {
              list = [start, performance.now()];
            }
          },
        }
      : {}),
    async read(path, kind, config) {
      const start = performance.now();
      try {
        return await options.source.read(path, kind, config);
      } finally {
        reads.push([start, performance.now()]);
      }
    },
    // Files known unchanged by their stat count as reads (a stat stands for the read it saves).
    ...(options.source.knownHash
      ? {
          knownHash: (path: string) => {
            const start = performance.now();
            try {
              return options.source.knownHash!(path);
            } finally {
              reads.push([start, performance.now()]);
            }
          },
        }
      : {}),
    ...(options.source.flush ? { flush: () => options.source.flush!() } : {}),
  };
  const onProgress = (event: SyncProgress) => {
    if (event.kind === 'parsed') parsedAt.push(performance.now());
    if (event.kind === 'applying') applyingAt = performance.now();
    options.onProgress?.(event);
  };
  const now = () => {
    clock.push(performance.now());
    return options.now();
  };
  const breakdown = (started: number, ended: number): SyncBreakdown => {
    const totalMs = ended - started;
    const sum = (rs: SqlRecord[]) => rs.reduce((a, r) => a + (r.end - r.start), 0);
    const listMs = list ? list[1] - list[0] : 0;
    const readStart = reads.length ? Math.min(...reads.map((r) => r[0])) : 0;
    const readEnd = reads.length ? Math.max(...reads.map((r) => r[1])) : 0;
    const before = sql.filter((r) => !r.inTx);
    const txSql = sql.filter((r) => r.inTx);
    const beforeParse = Math.max(readEnd, ...before.filter((r) => !parsedAt.length || r.end <= parsedAt[0]!).map((r) => r.end));
    const parseMs = parsedAt.length ? parsedAt[parsedAt.length - 1]! - beforeParse : 0;
    // runSync reads the clock at: start, transaction start, transaction end, end (when not a dry run).
    const txStart = clock.length >= 4 ? clock[1]! : undefined;
    const txEnd = clock.length >= 4 ? clock[clock.length - 2]! : undefined;
    const applyAt = applyingAt ?? txEnd ?? Infinity;
    const readsInTx = txSql.filter((r) => r.start < applyAt);
    const writes = txSql.filter((r) => r.start >= applyAt);
    const firstTx = txSql[0]?.start;
    const lastTx = txSql.length ? txSql[txSql.length - 1]!.end : undefined;
    const txBeginMs = txStart !== undefined && firstTx !== undefined ? firstTx - txStart : 0;
    const planMs = applyingAt !== undefined && readsInTx.length ? applyingAt - readsInTx[readsInTx.length - 1]!.end : 0;
    const commitMs = txEnd !== undefined && lastTx !== undefined ? txEnd - lastTx : 0;
    const writeBackMs = txEnd !== undefined ? ended - txEnd : 0;
    const byLabel = new Map<string, { phase: SyncBreakdown['statements'][number]['phase']; label: string; ms: number; count: number }>();
    const group = (rs: SqlRecord[], phase: SyncBreakdown['statements'][number]['phase']) => {
      for (const r of rs) {
        const key = `${phase} ${r.label}`;
        const e = byLabel.get(key) ?? { phase, label: r.label, ms: 0, count: 0 };
        e.ms += r.end - r.start;
        e.count++;
        byLabel.set(key, e);
      }
    };
    group(before, 'before-tx');
    group(readsInTx, 'tx-read');
    group(writes, 'tx-write');
    const b: SyncBreakdown = {
      totalMs,
      listMs,
      readMs: readEnd - readStart,
      sqlBeforeTxMs: sum(before),
      parseMs: Math.max(0, parseMs),
      filesParsed: parsedAt.length,
      txBeginMs: Math.max(0, txBeginMs),
      sqlReadInTxMs: sum(readsInTx),
      planMs: Math.max(0, planMs),
      sqlWriteMs: sum(writes),
      statements: [...byLabel.values()].sort((a, b) => b.ms - a.ms),
      commitMs: Math.max(0, commitMs),
      writeBackMs: Math.max(0, Math.min(writeBackMs, totalMs)),
      otherMs: 0,
    };
    const covered =
      b.listMs +
      b.readMs +
      b.sqlBeforeTxMs +
      b.parseMs +
      b.txBeginMs +
      b.sqlReadInTxMs +
      b.planMs +
      b.sqlWriteMs +
      b.commitMs +
      b.writeBackMs;
    b.otherMs = Math.max(0, totalMs - covered);
    return b;
  };

  return { options: { ...options, mirror, source, onProgress, now }, breakdown };
}

/** The engine function that issued a statement (first stack frame outside this module), e.g. "readMirrorIndex". */
function callerName(): string {
  const stack = new Error().stack?.split('\n').slice(1) ?? [];
  for (const frame of stack) {
    if (frame.includes('/bench/instrument.') || frame.includes('node:internal')) continue;
    const m = /at (?:async )?([\w$.<>]+) \(/.exec(frame);
    // applyPlan issues its statements through a local `run` helper: name the function that called it.
    if (m && m[1] !== 'run') return m[1]!.replace(/^Object\./, '');
  }
  return '?';
}

/** "INSERT tasks", "UPDATE workstreams", "SELECT workstreams" … from a statement's text. */
export function labelOf(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  const m = /^(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)/i.exec(s);
  if (m) return `${m[1]!.split(' ')[0]!.toUpperCase()} ${m[2]}`;
  const from = /\bFROM\s+"?(\w+)/i.exec(s);
  return `${s.split(' ')[0]!.toUpperCase()} ${from?.[1] ?? ''}`.trim();
}
