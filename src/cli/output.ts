// Where the CLI's words go. Tests pass a recording Output; the real one writes to stdout/stderr.
// - Progress is for a person at a terminal: shown on stderr only when it is a TTY, and only once the
//   command has run for PROGRESS_AFTER_MS (a quick command prints none); the line carries the seconds
//   spent in its step and is cleared before anything else is printed.
// - A reader that goes away (`workplan status --json | head`) is not an error: once stdout or stderr
//   reports EPIPE, what would have gone to it is dropped and the command finishes as it would have.

export interface Output {
  print(line: string): void;
  error(line: string): void;
  /** Transient progress (a terminal only); cleared by the next print. */
  progress(line: string): void;
  /** Removes a progress line still shown (the command is ending). */
  clearProgress?(): void;
  readonly isTTY: boolean;
  /** The width of the terminal stdout writes to; undefined when it is not a terminal (tables are not cut then). */
  readonly columns?: number | undefined;
}

/** A command quicker than this shows no progress at all. */
export const PROGRESS_AFTER_MS = 1_000;
/** How often a shown progress line's elapsed seconds are refreshed. */
const PROGRESS_TICK_MS = 1_000;

export interface OutputOptions {
  /** When the command started (epoch ms); progress appears PROGRESS_AFTER_MS after it. */
  startedAt?: number;
  now?: () => number;
}

export function createOutput(
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stdout,
  stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
  options: OutputOptions = {},
): Output {
  const now = options.now ?? Date.now;
  const startedAt = options.startedAt ?? now();
  const isTTY = Boolean(stderr.isTTY);
  const closed = { stdout: false, stderr: false };
  ignoreBrokenPipe(stdout, () => (closed.stdout = true));
  ignoreBrokenPipe(stderr, () => (closed.stderr = true));
  const write = (stream: 'stdout' | 'stderr', text: string) => {
    if (closed[stream]) return;
    try {
      (stream === 'stdout' ? stdout : stderr).write(text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      closed[stream] = true;
    }
  };

  // The step being reported: its text, when it started, and whether it is on the screen.
  let step: { line: string; since: number; shown: boolean } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const render = () => {
    if (!step) return;
    const seconds = Math.floor((now() - step.since) / 1000);
    write('stderr', `\r\u001b[2K${step.line}${seconds >= 1 ? ` (${seconds} s)` : ''}`);
    step.shown = true;
  };
  const stopTimer = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const schedule = () => {
    stopTimer();
    const dueIn = Math.max(0, startedAt + PROGRESS_AFTER_MS - now());
    timer = setTimeout(
      () => {
        render();
        schedule();
      },
      dueIn > 0 ? dueIn : PROGRESS_TICK_MS,
    );
    timer.unref();
  };
  const clear = () => {
    stopTimer();
    if (step?.shown) write('stderr', '\r\u001b[2K');
    step = undefined;
  };
  return {
    isTTY,
    columns: stdout.isTTY ? stdout.columns : undefined,
    print(line) {
      clear();
      write('stdout', `${line}\n`);
    },
    error(line) {
      clear();
      write('stderr', `${line}\n`);
    },
    progress(line) {
      if (!isTTY) return;
      // A step keeps its start while only its counts move ("parsing 120/4000").
      const since = step && sameStep(step.line, line) ? step.since : now();
      step = { line, since, shown: step?.shown ?? false };
      if (now() - startedAt >= PROGRESS_AFTER_MS) render();
      schedule();
    },
    clearProgress: clear,
  };
}

function sameStep(a: string, b: string): boolean {
  return a.replace(/\d+/g, '#') === b.replace(/\d+/g, '#');
}

/** EPIPE on a stream whose reader has gone: remembered, never thrown as an unhandled 'error' event. */
function ignoreBrokenPipe(stream: NodeJS.WritableStream, onClosed: () => void): void {
  if (typeof stream.on !== 'function') return;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      onClosed();
      return;
    }
    throw error;
  });
}

/** An Output that records lines, for tests and for embedding the CLI. */
export function createRecordingOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    isTTY: false,
    stdout,
    stderr,
    print: (line) => void stdout.push(line),
    error: (line) => void stderr.push(line),
    progress: () => undefined,
  };
}
