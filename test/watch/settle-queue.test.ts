import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettleQueue, type SettledPath } from '../../src/watch/settle-queue.js';

describe('SettleQueue', () => {
  let batches: SettledPath[][];
  let queue: SettleQueue;
  beforeEach(() => {
    vi.useFakeTimers();
    batches = [];
    queue = new SettleQueue({ debounceMs: 100, maxWaitMs: 1_000, onFlush: (b) => batches.push(b), now: () => Date.now() });
  });
  afterEach(() => {
    queue.close();
    vi.useRealTimers();
  });

  it('merges a burst of events on one path into one settled entry after the quiet time', () => {
    for (let i = 0; i < 5; i++) {
      queue.touch('a.md');
      vi.advanceTimersByTime(50);
    }
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(60);
    expect(batches).toHaveLength(1);
    expect(batches[0]![0]).toMatchObject({ path: 'a.md', events: 5 });
    expect(batches[0]![0]!.lastEventAt - batches[0]![0]!.firstEventAt).toBe(200);
  });

  it("flushes paths that settle close together (a rename's two halves) in one batch", () => {
    queue.touch('old.md');
    vi.advanceTimersByTime(60);
    queue.touch('new.md');
    vi.advanceTimersByTime(100);
    expect(batches.map((b) => b.map((e) => e.path))).toEqual([['new.md', 'old.md']]);
  });

  it('does not starve a settled path while another keeps changing: flushes after maxWaitMs', () => {
    queue.touch('quiet.md');
    for (let i = 0; i < 30; i++) {
      queue.touch('busy.md');
      vi.advanceTimersByTime(50);
    }
    expect(batches.map((b) => b.map((e) => e.path))).toEqual([['quiet.md']]);
  });

  it('a deferred path comes back after its delay without holding others back, and keeps its first event time', () => {
    queue.touch('a.md');
    vi.advanceTimersByTime(100);
    const [first] = batches.splice(0);
    queue.defer(first![0]!, 500);
    queue.touch('b.md');
    vi.advanceTimersByTime(100);
    expect(batches.map((b) => b.map((e) => e.path))).toEqual([['b.md']]);
    vi.advanceTimersByTime(400);
    expect(batches[1]![0]).toMatchObject({ path: 'a.md', firstEventAt: first![0]!.firstEventAt });
  });

  it('reports a path quiet for early.quietMs once per burst, restarted by each event, never once it settled', () => {
    const quiet: string[] = [];
    const early = new SettleQueue({
      debounceMs: 100,
      maxWaitMs: 1_000,
      onFlush: (b) => batches.push(b),
      early: { quietMs: 40, onQuiet: (p) => quiet.push(p) },
    });
    early.touch('a.md');
    vi.advanceTimersByTime(30);
    early.touch('a.md'); // restarts both timers
    vi.advanceTimersByTime(30);
    expect(quiet).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(quiet).toEqual(['a.md']);
    vi.advanceTimersByTime(60);
    expect(batches.map((b) => b.map((e) => e.path))).toEqual([['a.md']]);
    early.defer(batches[0]![0]!, 200); // a deferred path is judged again later, not read ahead
    vi.advanceTimersByTime(300);
    expect(quiet).toEqual(['a.md']);
    early.touch('b.md');
    early.close();
    vi.advanceTimersByTime(200);
    expect(quiet).toEqual(['a.md']);
  });

  it('close() cancels everything', () => {
    queue.touch('a.md');
    queue.close();
    vi.advanceTimersByTime(1_000);
    expect(batches).toEqual([]);
    expect(queue.size).toBe(0);
  });
});
