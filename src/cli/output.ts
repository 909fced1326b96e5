// Where the CLI's words go. Tests pass a recording Output; the real one writes to stdout/stderr.

export interface Output {
  print(line: string): void;
  error(line: string): void;
  /** Transient progress (a terminal only); cleared by the next print. */
  progress(line: string): void;
  readonly isTTY: boolean;
  /** The width of the terminal stdout writes to; undefined when it is not a terminal (tables are not cut then). */
  readonly columns?: number | undefined;
}

export function createOutput(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): Output {
  let progressShown = false;
  const clear = () => {
    if (progressShown) {
      stderr.write('\r\u001b[2K');
      progressShown = false;
    }
  };
  const isTTY = Boolean(stderr.isTTY);
  return {
    isTTY,
    columns: stdout.isTTY ? stdout.columns : undefined,
    print(line) {
      clear();
      stdout.write(`${line}\n`);
    },
    error(line) {
      clear();
      stderr.write(`${line}\n`);
    },
    progress(line) {
      if (!isTTY) return;
      stderr.write(`\r\u001b[2K${line}`);
      progressShown = true;
    },
  };
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
