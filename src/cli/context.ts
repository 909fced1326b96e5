// What every command receives: the parsed options and positionals, where it runs, and where it prints.
// Its own module so that main.ts, the command table and the commands never import one another in a circle.
import type { Output } from './output.js';
import type { PlanCliValues } from './commands/plan-options.js';

export type CliValues = {
  root?: string;
  json?: boolean;
  'dry-run'?: boolean;
  'allow-mass-removal'?: boolean;
  quiet?: boolean;
  'cancel-open'?: boolean;
  'carry-forward-to'?: string;
  context?: string;
  date?: string;
  commit?: boolean;
  staged?: boolean;
  debounce?: string;
  schedule?: string;
  serve?: boolean;
  port?: string;
  host?: string;
  'allow-writes'?: boolean;
} & PlanCliValues;

export interface CliContext {
  values: CliValues;
  positionals: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Output;
  /** When the command started (epoch ms): printed durations are the whole command's. */
  startedAt: number;
}
