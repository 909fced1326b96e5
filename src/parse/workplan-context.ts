// What every step of parseWorkplan shares: the text, its line index, the reporter and the config.
import type { WorkplanConfig } from '../model/config.js';
import type { LineIndex } from '../model/position.js';
import type { IdPatterns } from './id-patterns.js';
import type { Reporter } from './reporter.js';

export interface WorkplanContext {
  text: string;
  lines: LineIndex;
  reporter: Reporter;
  config: WorkplanConfig;
  ids: IdPatterns;
  /** The frontmatter `id` when it is a string (even an invalid one), for task-id checks. */
  workplanId: string | undefined;
  /** Whole-string task id pattern for this workplan (undefined without a workplan id). */
  taskIdPattern: RegExp | undefined;
}
