// Closing the store on every exit path, including Ctrl-C and SIGTERM: an embedded store left open
// would hang or need recovery on the next run (adr/ADR-002). Signal handling itself lives in
// src/db/close-on-signals.ts; this only scopes a command's store to the command.
import { closeOnSignals, type Closable } from '../db/close-on-signals.js';

/** Runs `fn`; the store is closed afterwards, and on SIGINT/SIGTERM before the process exits. */
export async function withStoreClosedOnSignals<T>(opened: Closable, fn: () => Promise<T>): Promise<T> {
  const unregister = closeOnSignals(opened);
  try {
    return await fn();
  } finally {
    unregister();
    await opened.close();
  }
}
