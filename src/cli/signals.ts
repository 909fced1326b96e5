// Closing the store on every exit path, including Ctrl-C and SIGTERM: an embedded store left open
// would hang or need recovery on the next run (adr/ADR-002).
import { EXIT } from './exit-codes.js';

/** Runs `fn`; the store is closed afterwards, and on SIGINT/SIGTERM before the process exits. */
export async function withStoreClosedOnSignals<T>(opened: { close(): Promise<void> }, fn: () => Promise<T>): Promise<T> {
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= opened.close().catch(() => undefined));
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nworkplan: ${signal} received; closing the store (an open transaction is rolled back)…\n`);
    void close().finally(() => process.exit(signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await close();
  }
}
