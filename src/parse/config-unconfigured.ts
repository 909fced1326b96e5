// The configuration of a repository that has none: no `workplan.config.json`, and a package.json (if
// any) that is valid JSON without a `"workplan"` key. Then the defaults apply and nothing needs the
// validating parser (config.ts, which loads zod: a fifth of a no-op sync's start-up). Pure.
// Exactly the cases in which `resolveConfig` returns the defaults without a diagnostic.
import { DEFAULT_CONFIG, type WorkplanConfig } from '../model/config.js';
import type { ParseResult } from '../model/diagnostic.js';
import type { ConfigSources } from './config.js';
import { findJsonMember, parseJsonTree } from './config-json.js';

/** The defaults when `sources` configure nothing; undefined when they must be parsed (`resolveConfig`). */
export function resolveUnconfigured(sources: ConfigSources): ParseResult<WorkplanConfig> | undefined {
  if (sources.configJson) return undefined;
  if (sources.packageJson) {
    const tree = parseJsonTree(sources.packageJson.text);
    if (!tree.ok || findJsonMember(tree.node, 'workplan')) return undefined;
  }
  return { value: structuredClone(DEFAULT_CONFIG), diagnostics: [] };
}
