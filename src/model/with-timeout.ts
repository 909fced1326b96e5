// A promise with a time limit. Reads no clock and does no I/O: it only schedules one timer, cleared
// as soon as the work settles (so it never keeps a process alive once the work is done).

/**
 * Settles like `work`, unless `ms` pass first: then calls `onTimeout` (e.g. to destroy a socket) and
 * rejects with the error it returns. The work itself is not cancelled; it runs on.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
