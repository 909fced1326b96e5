// Closes open stores when the process is interrupted. An embedded (PGlite) store must be closed
// explicitly: a process that exits with it open leaves its data directory needing recovery and can
// hang. On SIGINT/SIGTERM the registered stores are closed (bounded in time), then the process exits
// with 130/143; a second signal exits at once. (The embedded lock file is also removed synchronously
// on any exit by embedded-lock.ts.) The CLI registers its store right after opening it.

/** Anything with an async close. */
export interface Closable {
  close(): Promise<void>;
}

const registered = new Set<Closable>();
let installed = false;
let exiting = false;

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof EXIT_CODES;

/** How long closing may take before we exit anyway. */
const CLOSE_BUDGET_MS = 5_000;

/** Closes `closable` if the process receives SIGINT or SIGTERM; returns an unregister function. */
export function closeOnSignals(closable: Closable): () => void {
  registered.add(closable);
  install();
  return () => {
    registered.delete(closable);
  };
}

/** Closes everything registered (used by the signal handlers; exported for tests and the CLI). */
export async function closeRegistered(): Promise<void> {
  const all = [...registered];
  registered.clear();
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_BUDGET_MS);
    timer.unref();
  });
  await Promise.race([Promise.allSettled(all.map((item) => item.close())), budget]);
  clearTimeout(timer);
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(EXIT_CODES) as HandledSignal[]) {
    process.on(signal, () => {
      const code = EXIT_CODES[signal];
      if (exiting) process.exit(code);
      exiting = true;
      void closeRegistered().finally(() => process.exit(code));
    });
  }
}
