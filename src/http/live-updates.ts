// Live updates for the dashboard (server-sent events, adr/0012): the mirror's version token is polled
// while someone listens (a shared Postgres mirror is changed by other processes, which cannot tell us),
// and a watch in this process nudges the poll after each sync so a change shows at once. Listeners get
// the new token; the page then reloads what it shows.

export type MirrorChangeListener = (token: string) => void;

export class MirrorChangeFeed {
  private readonly listeners = new Set<MirrorChangeListener>();
  private timer: NodeJS.Timeout | undefined;
  private token: string | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly readToken: () => Promise<string>,
    private readonly intervalMs = 1_000,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** The last token seen (read now when none was). */
  async current(): Promise<string> {
    if (this.token === undefined) this.token = await this.readToken();
    return this.token;
  }

  /** Calls `listener` with each new token; returns the function that stops it. */
  subscribe(listener: MirrorChangeListener): () => void {
    this.listeners.add(listener);
    this.schedule();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopTimer();
    };
  }

  /** Polls now (e.g. a sync just finished in this process). */
  nudge(): Promise<void> {
    return this.poll();
  }

  close(): void {
    this.closed = true;
    this.stopTimer();
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.timer || this.closed || this.listeners.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll().finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private poll(): Promise<void> {
    // One poll at a time; a nudge during a poll joins it.
    this.polling ??= (async () => {
      try {
        const token = await this.readToken();
        const changed = this.token !== undefined && token !== this.token;
        this.token = token;
        if (changed) for (const listener of [...this.listeners]) listener(token);
      } catch (error) {
        this.onError(error);
      } finally {
        this.polling = undefined;
      }
    })();
    return this.polling;
  }
}
