// Workplan and task id patterns from the configuration. Pure.
import type { WorkplanConfig } from '../model/config.js';

export interface IdPatterns {
  /** Whole-string test for a workplan id. */
  workplan: RegExp;
  /** Finds workplan ids inside running text (global; reset `lastIndex` before use). */
  workplanInText: RegExp;
}

const cache = new WeakMap<WorkplanConfig, IdPatterns>();

/** Compiles (once per config object) the workplan id patterns. */
export function compileIdPatterns(config: WorkplanConfig): IdPatterns {
  let patterns = cache.get(config);
  if (!patterns) {
    const source = config.idPatterns.workplan;
    const unanchored = source.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
    patterns = {
      workplan: new RegExp(source, 'u'),
      // Ids are whole words: `CUST-WP-0005` is not found inside `CUST-WP-0005-T01`.
      workplanInText: new RegExp(`(?<![\\p{L}\\p{N}_-])(?:${unanchored})(?![\\p{L}\\p{N}_-])`, 'gu'),
    };
    cache.set(config, patterns);
  }
  return patterns;
}

/**
 * The whole-string task id pattern for one workplan (`{workplan}` replaced by the escaped id), or
 * undefined when no pattern can be built from that id: an id of tens of thousands of characters (a
 * damaged file) makes a regular expression too large to run. Such an id is reported by the
 * frontmatter's own validation; the tasks' prefixes are then not checked.
 */
export function compileTaskIdPattern(config: WorkplanConfig, workplanId: string): RegExp | undefined {
  try {
    const pattern = new RegExp(config.idPatterns.task.split('{workplan}').join(escapeRegExp(workplanId)), 'u');
    pattern.test(''); // V8 compiles on first use: a pattern too large throws here, not in the constructor
    return pattern;
  } catch {
    return undefined;
  }
}

/** Every workplan id mentioned in `text`, in order, without repeats. */
export function findWorkplanIds(patterns: IdPatterns, text: string): string[] {
  const found = new Set<string>();
  const re = patterns.workplanInText;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    found.add(m[0]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return [...found];
}

/** Escapes a string for use inside a regular expression. */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
