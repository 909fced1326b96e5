// Runs jobs one at a time, in order: the watch daemon's syncs, syncs it runs for other processes and
// scheduled jobs never overlap (one writer). A failing job does not stop the queue.

/** A FIFO of async jobs, run one at a time. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Queues `job`; resolves or rejects with its outcome. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(job);
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves when every job queued so far (and any they queue meanwhile) has finished. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
