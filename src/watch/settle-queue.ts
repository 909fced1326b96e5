// The watch daemon's debouncer: per-file settle timers that turn a burst of file-system events into
// one batch. An editor's save is several events (truncate, write, write; or write temp, rename over;
// plus swap files): each event on a path restarts that path's timer, and a path is "settled" once it
// has been quiet for `debounceMs`. Settled paths are flushed together when no other path is still
// settling — so the two halves of a rename (unlink old, add new) land in ONE batch — or, when other
// paths keep changing, at the latest `maxWaitMs` after the first one settled (no starvation).
// Optionally it also reports a path that has been quiet for a shorter `early.quietMs`, while it still
// settles, so the daemon can read (and parse) it during the debounce instead of after it.
// Timers only; never touches the file system.

/** A path whose events have settled, with when they happened (epoch ms), for latency measurements. */
export interface SettledPath {
  path: string;
  /** The first event of this burst. */
  firstEventAt: number;
  /** The last event of this burst. */
  lastEventAt: number;
  /** How many events the burst had. */
  events: number;
}

export interface SettleQueueOptions {
  debounceMs: number;
  /** Flush settled paths at the latest this long after the first settled, even if others still settle. */
  maxWaitMs: number;
  onFlush: (batch: SettledPath[]) => void;
  /**
   * Called once per burst when a path has been quiet for `quietMs` (less than `debounceMs`) and has not
   * settled yet; a later event on it restarts this timer too.
   */
  early?: { quietMs: number; onQuiet: (path: string) => void };
  now?: () => number;
}

interface Entry extends SettledPath {
  timer: NodeJS.Timeout | undefined;
  earlyTimer: NodeJS.Timeout | undefined;
  /** Deferred entries wait without holding back the batch. */
  deferred: boolean;
}

/** Debounces path events into settled batches. */
export class SettleQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly ready = new Map<string, SettledPath>();
  private maxWaitTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: SettleQueueOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Records an event on `path`: (re)starts its settle timer. */
  touch(path: string, at = this.now()): void {
    if (this.closed) return;
    const previous = this.entries.get(path) ?? this.ready.get(path);
    this.ready.delete(path);
    const entry: Entry = {
      path,
      firstEventAt: previous?.firstEventAt ?? at,
      lastEventAt: at,
      events: (previous?.events ?? 0) + 1,
      timer: undefined,
      earlyTimer: undefined,
      deferred: false,
    };
    const old = this.entries.get(path);
    if (old) clearTimers(old);
    this.entries.set(path, entry);
    entry.timer = setTimeout(() => this.settle(path), this.options.debounceMs);
    const early = this.options.early;
    if (early && early.quietMs < this.options.debounceMs) {
      entry.earlyTimer = setTimeout(() => {
        entry.earlyTimer = undefined;
        if (!this.closed && this.entries.get(path) === entry) early.onQuiet(path);
      }, early.quietMs);
    }
  }

  /**
   * Puts a flushed path back to wait `delayMs` more (e.g. it was not stable yet). It does not hold
   * back other paths meanwhile; a new event on it restarts its normal settle timer.
   */
  defer(item: SettledPath, delayMs: number): void {
    if (this.closed) return;
    const old = this.entries.get(item.path);
    if (old) {
      // A newer event already restarted it: keep that, but remember the earliest event.
      old.firstEventAt = Math.min(old.firstEventAt, item.firstEventAt);
      return;
    }
    const entry: Entry = { ...item, timer: undefined, earlyTimer: undefined, deferred: true };
    this.entries.set(item.path, entry);
    entry.timer = setTimeout(() => this.settle(item.path), Math.max(1, delayMs));
  }

  /** Paths settling or settled but not yet flushed. */
  get size(): number {
    return this.entries.size + this.ready.size;
  }

  /** Whether `path` has events not yet flushed. */
  has(path: string): boolean {
    return this.entries.has(path) || this.ready.has(path);
  }

  /** Cancels every timer; nothing is flushed afterwards. */
  close(): void {
    this.closed = true;
    for (const e of this.entries.values()) clearTimers(e);
    this.entries.clear();
    this.ready.clear();
    if (this.maxWaitTimer) clearTimeout(this.maxWaitTimer);
    this.maxWaitTimer = undefined;
  }

  private settle(path: string): void {
    const entry = this.entries.get(path);
    if (!entry || this.closed) return;
    this.entries.delete(path);
    clearTimers(entry);
    const { timer: _timer, earlyTimer: _earlyTimer, deferred: _deferred, ...settled } = entry;
    this.ready.set(path, settled);
    const stillSettling = [...this.entries.values()].some((e) => !e.deferred);
    if (!stillSettling) {
      this.flush();
    } else if (!this.maxWaitTimer) {
      this.maxWaitTimer = setTimeout(() => this.flush(), this.options.maxWaitMs);
    }
  }

  private flush(): void {
    if (this.maxWaitTimer) clearTimeout(this.maxWaitTimer);
    this.maxWaitTimer = undefined;
    if (this.ready.size === 0 || this.closed) return;
    const batch = [...this.ready.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.ready.clear();
    this.options.onFlush(batch);
  }
}

function clearTimers(entry: Entry): void {
  if (entry.timer) clearTimeout(entry.timer);
  if (entry.earlyTimer) clearTimeout(entry.earlyTimer);
  entry.timer = undefined;
  entry.earlyTimer = undefined;
}
