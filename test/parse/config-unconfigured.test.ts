// A repository without configuration gets the defaults without loading the validating parser; that
// shortcut must answer exactly as `resolveConfig` does whenever it answers at all.
import { describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigSources } from '../../src/parse/config.js';
import { resolveUnconfigured } from '../../src/parse/config-unconfigured.js';

const pkg = (text: string): ConfigSources => ({ packageJson: { path: 'package.json', text } });

const CASES: Array<[string, ConfigSources, 'defaults' | 'parse']> = [
  ['no configuration file at all', {}, 'defaults'],
  ['a package.json without a "workplan" key', pkg('{"name": "x", "scripts": {"workplan": "workplan sync"}}'), 'defaults'],
  ['a package.json with a "workplan" key', pkg('{"name": "x", "workplan": {"roots": {"workplans": ["plans"]}}}'), 'parse'],
  ['a "workplan" key spelt with an escape', pkg('{"\\u0077orkplan": {"roots": {"workplans": ["plans"]}}}'), 'parse'],
  ['an invalid package.json (reported by the parser)', pkg('{"name": "x",}'), 'parse'],
  ['a package.json that is not an object', pkg('["workplan"]'), 'defaults'],
  ['a package.json nested deeper than the parser accepts', pkg(`{"a": ${'['.repeat(300)}${']'.repeat(300)}}`), 'parse'],
  ['a workplan.config.json', { configJson: { path: 'workplan.config.json', text: '{}' } }, 'parse'],
];

describe('resolveUnconfigured', () => {
  for (const [name, sources, expected] of CASES) {
    it(`${name}: ${expected === 'defaults' ? 'the defaults, as resolveConfig gives them' : 'left to resolveConfig'}`, () => {
      const shortcut = resolveUnconfigured(sources);
      if (expected === 'parse') return expect(shortcut).toBeUndefined();
      expect(shortcut).toEqual(resolveConfig(sources));
      expect(shortcut!.diagnostics).toEqual([]);
    });
  }

  it('returns a copy: changing it never changes the defaults', () => {
    const a = resolveUnconfigured({})!.value!;
    a.roots.workplans.push('elsewhere');
    expect(resolveUnconfigured({})!.value!.roots.workplans).not.toContain('elsewhere');
  });
});
