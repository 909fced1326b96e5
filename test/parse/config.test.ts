// parseConfig / parsePackageJsonConfig / resolveConfig on real fixture files.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { normalizeVocabularyValue } from '../../src/model/vocabulary.js';
import { parseConfig, parsePackageJsonConfig, resolveConfig } from '../../src/parse/config.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'config');

function readFixture(relative: string): string {
  return readFileSync(join(FIXTURES, relative), 'utf8');
}

const snapshotOfDefaults = structuredClone(DEFAULT_CONFIG);

describe('parseConfig: valid configuration', () => {
  it('deep-merges a full configuration over the defaults', () => {
    const result = parseConfig('workplan.config.json', readFixture('valid-full/workplan.config.json'));
    expect(result.diagnostics).toEqual([]);
    const config = result.value!;
    expect(config.roots).toEqual({ workplans: ['plans', 'teams/platform/plans'], adr: ['docs/adr'] });
    expect(config.idPatterns).toEqual({ workplan: '^[A-Z]+-WP-\\d{4}$', task: '^{workplan}-T\\d{2}$', adr: '^ADR-\\d{3,}$' });
    expect(config.database).toEqual({ urlEnv: 'WORKPLAN_DATABASE_URL', embeddedDir: '.cache/workplan-db' });
    expect(config.sync).toEqual({ massRemovalThreshold: 0.25, maxFileBytes: 1048576 });
    expect(config.hook).toEqual({ timeoutMs: 5000, onDatabaseUnreachable: 'block' });
    expect(config.adr).toEqual({ style: 'nygard' });
  });

  it('refuses an ADR style it does not write, at the value', () => {
    const result = parseConfig('workplan.config.json', '{ "adr": { "style": "y-statements" } }');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        span: expect.objectContaining({ start: expect.objectContaining({ line: 1, column: 12 }) }),
      }),
    ]);
    expect(result.diagnostics[0]!.message).toBe('"adr.style" is the string "y-statements"; use one of auto, madr, nygard');
  });

  it('adds aliases to a vocabulary whose values are kept', () => {
    const config = parseConfig('workplan.config.json', readFixture('valid-full/workplan.config.json')).value!;
    const ws = config.vocabularies.workstreamStatus;
    expect(ws.values).toEqual(DEFAULT_CONFIG.vocabularies.workstreamStatus.values);
    expect(ws.aliases).toEqual({ ...DEFAULT_CONFIG.vocabularies.workstreamStatus.aliases, shipped: 'completed' });
    expect(normalizeVocabularyValue(ws, 'Shipped')).toEqual({ ok: true, value: 'completed' });
  });

  it('replaces values, keeps default aliases whose target survives and drops the others', () => {
    const config = parseConfig('workplan.config.json', readFixture('valid-full/workplan.config.json')).value!;
    expect(config.vocabularies.taskStatus.values).toContain('review');
    expect(config.vocabularies.taskStatus.aliases['in review']).toBe('review');
    expect(config.vocabularies.taskStatus.aliases.wip).toBe('in_progress');
    expect(config.vocabularies.priority).toEqual({ values: ['p0', 'p1', 'p2'], aliases: { urgent: 'p0', high: 'p1' }, default: 'p2' });
  });

  it('an empty object yields exactly the defaults', () => {
    expect(parseConfig('workplan.config.json', '{}')).toEqual({ value: DEFAULT_CONFIG, diagnostics: [] });
  });

  it('accepts a BOM and CRLF line endings', () => {
    const result = parseConfig('workplan.config.json', '\uFEFF{\r\n  "hook": {\r\n    "timeoutMs": 2000\r\n  }\r\n}\r\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.value?.hook.timeoutMs).toBe(2000);
  });

  it('never mutates DEFAULT_CONFIG and never hands out shared objects', () => {
    const a = parseConfig('workplan.config.json', readFixture('valid-full/workplan.config.json')).value!;
    const b = parseConfig('workplan.config.json', '{}').value!;
    b.roots.adr.push('mutated');
    b.vocabularies.taskStatus.aliases.mutated = 'todo';
    a.vocabularies.workstreamStatus.aliases.other = 'draft';
    expect(DEFAULT_CONFIG).toEqual(snapshotOfDefaults);
  });
});

describe('parsePackageJsonConfig', () => {
  it('reads the "workplan" key of package.json', () => {
    const result = parsePackageJsonConfig('package.json', readFixture('package-json/package.json'));
    expect(result.diagnostics).toEqual([]);
    expect(result.value?.roots).toEqual({ workplans: ['docs/workplans'], adr: ['adr'] });
    expect(result.value?.hook).toEqual({ timeoutMs: 10_000, onDatabaseUnreachable: 'block' });
  });

  it('without a "workplan" key yields the defaults and no diagnostics', () => {
    expect(parsePackageJsonConfig('package.json', readFixture('package-json-absent/package.json'))).toEqual({
      value: DEFAULT_CONFIG,
      diagnostics: [],
    });
  });

  it('prefixes key paths with "workplan." in messages', () => {
    const result = parsePackageJsonConfig('package.json', readFixture('invalid/package-json-workplan-invalid/package.json'));
    expect(result.diagnostics[0]!.message).toBe('Root "../elsewhere" in "workplan.roots.adr" leaves the repository');
  });

  it('reports a "workplan" key that is not an object', () => {
    const result = parsePackageJsonConfig('package.json', '{"workplan": ["x"]}');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.ruleId, d.span.start.column])).toEqual([['config-invalid', 14]]);
  });
});

describe('resolveConfig', () => {
  const configJson = { path: 'workplan.config.json', text: '{"roots": {"adr": ["decisions"]}}' };
  const packageJson = { path: 'package.json', text: readFixture('package-json/package.json') };

  it('uses the defaults when there is no configuration at all', () => {
    expect(resolveConfig({})).toEqual({ value: DEFAULT_CONFIG, diagnostics: [] });
  });

  it('uses package.json when it is the only source', () => {
    expect(resolveConfig({ packageJson }).value?.roots.workplans).toEqual(['docs/workplans']);
  });

  it('workplan.config.json wins over package.json, with a warning at the ignored key', () => {
    const result = resolveConfig({ configJson, packageJson });
    expect(result.value?.roots).toEqual({ workplans: ['workplans'], adr: ['decisions'] });
    expect(result.diagnostics.map((d) => [d.path, d.ruleId, d.severity, d.span.start.line, d.span.start.column])).toEqual([
      ['package.json', 'config-source-ignored', 'warning', 4, 3],
    ]);
  });

  it('does not warn when package.json has no "workplan" key or is not JSON', () => {
    expect(resolveConfig({ configJson, packageJson: { path: 'package.json', text: '{"name": "x"}' } }).diagnostics).toEqual([]);
    expect(resolveConfig({ configJson, packageJson: { path: 'package.json', text: '{' } }).diagnostics).toEqual([]);
  });
});

interface ExpectedDiagnostic {
  file: string;
  ruleId: string;
  severity: string;
  line: number;
  column: number;
}

const invalidCases = readdirSync(join(FIXTURES, 'invalid')).sort();

describe('configuration diagnostics: one failing fixture per problem', () => {
  it.each(invalidCases)('%s is reported at the exact line and column, and no value is returned', (name) => {
    const dir = join(FIXTURES, 'invalid', name);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as ExpectedDiagnostic[];
    const file = readdirSync(dir).find((f) => f !== 'expected.json')!;
    const text = readFileSync(join(dir, file), 'utf8');
    const result = file === 'package.json' ? parsePackageJsonConfig(file, text) : parseConfig(file, text);
    expect(result.value).toBeUndefined();
    expect(
      result.diagnostics.map((d) => ({
        file: d.path,
        ruleId: d.ruleId,
        severity: d.severity,
        line: d.span.start.line,
        column: d.span.start.column,
      })),
    ).toEqual(expected);
    for (const d of result.diagnostics) {
      expect(d.message.length).toBeGreaterThan(10);
      expect(d.hint).toBeTruthy();
    }
  });
});

describe('configuration diagnostics: messages', () => {
  const diagnosticsOf = (name: string): Diagnostic[] =>
    parseConfig('workplan.config.json', readFixture(`invalid/${name}/workplan.config.json`)).diagnostics;

  it('invalid JSON says what was found where', () => {
    expect(diagnosticsOf('config-json-invalid')[0]!.message).toBe("Invalid JSON: Trailing comma before '}' is not allowed in JSON");
    expect(diagnosticsOf('config-json-comment')[0]!.message).toBe("Invalid JSON: Expected a double-quoted property name, found '/'");
  });

  it('a vocabulary default outside its values names the value and lists the allowed ones; the span covers key and value', () => {
    const [d] = diagnosticsOf('config-invalid-vocabulary-default');
    expect(d!.message).toBe(
      '"vocabularies.taskStatus.default" is "open", which is not one of its values: todo, in_progress, blocked, done',
    );
    expect(d!.span).toMatchObject({ start: { line: 5, column: 7 }, end: { line: 5, column: 24 } });
  });

  it('replaced values that drop the default say so', () => {
    expect(diagnosticsOf('config-invalid-values-without-default')[0]!.message).toBe(
      '"vocabularies.priority.values" does not include the default value "medium"',
    );
  });

  it('an alias to a missing value names both', () => {
    expect(diagnosticsOf('config-invalid-alias-target')[0]!.message).toBe(
      'Alias "shipped" in "vocabularies.workstreamStatus.aliases" points at "released", which is not one of its values: draft, planned, active, blocked, completed, archived, cancelled',
    );
  });

  it('an unknown key lists the known keys and suggests the closest', () => {
    const [misspelt, unknown] = diagnosticsOf('config-key-unknown');
    expect(misspelt!.message).toBe('Unknown configuration key "roots.workplan"; known keys here are workplans, adr');
    expect(misspelt!.hint).toBe('Did you mean "workplans"?');
    expect(unknown!.message).toBe(
      'Unknown configuration key "telemetry"; known keys here are roots, vocabularies, idPatterns, database, sync, hook, adr, $schema',
    );
    expect(misspelt!.span).toMatchObject({ start: { line: 3, column: 5 }, end: { line: 3, column: 15 } });
  });

  it('a regular expression that does not compile quotes the engine', () => {
    expect(diagnosticsOf('config-invalid-regex')[0]!.message).toMatch(
      /^"idPatterns.workplan" is not a valid regular expression: Invalid regular expression/,
    );
  });

  it('type and range problems name the key, the expectation and the value', () => {
    expect(diagnosticsOf('config-invalid-type').map((d) => d.message)).toEqual([
      '"roots.adr" must be an array, not the string "docs/adr"',
      '"sync.massRemovalThreshold" is 1.5; it must be at most 1',
      '"sync.maxFileBytes" is -1; it must be greater than 0',
      '"hook.onDatabaseUnreachable" is the string "ignore"; use one of warn, block',
    ]);
  });
});

describe('configuration edge cases', () => {
  it('compiles id patterns with the u flag, as the workplan parser does', () => {
    const result = parseConfig('workplan.config.json', '{"idPatterns": {"workplan": "^WP\\\\-\\\\d+$"}}');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.ruleId, d.span.start.column])).toEqual([['config-invalid', 17]]);
  });

  it('checks the task pattern with {workplan} substituted', () => {
    expect(parseConfig('workplan.config.json', '{"idPatterns": {"task": "^{workplan}-T\\\\d+$"}}').diagnostics).toEqual([]);
  });

  it('refuses an alias named __proto__ instead of dropping it silently', () => {
    const result = parseConfig('workplan.config.json', '{"vocabularies": {"taskStatus": {"aliases": {"__proto__": "todo"}}}}');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => d.ruleId)).toEqual(['config-invalid']);
  });

  it('refuses roots outside the repository', () => {
    const result = parseConfig('workplan.config.json', '{"roots": {"workplans": ["/etc", "C:\\\\plans", "a/../../b"]}}');
    expect(result.diagnostics.map((d) => d.ruleId)).toEqual(['config-invalid', 'config-invalid', 'config-invalid']);
  });

  it('refuses duplicate vocabulary values and non-whole numbers', () => {
    const result = parseConfig(
      'workplan.config.json',
      '{"vocabularies": {"priority": {"values": ["high", "High"], "default": "high"}}, "hook": {"timeoutMs": 1.5}}',
    );
    expect(result.diagnostics.map((d) => d.message)).toEqual(['"hook.timeoutMs" must be a whole number, not the number 1.5']);
    const dup = parseConfig('workplan.config.json', '{"vocabularies": {"priority": {"values": ["high", "High"], "default": "high"}}}');
    expect(dup.diagnostics.map((d) => [d.message, d.span.start.column])).toEqual([
      ['"vocabularies.priority.values" lists "High" twice', 51],
    ]);
  });

  it('reports a top-level value that is not an object', () => {
    const result = parseConfig('workplan.config.json', '[]');
    expect(result.diagnostics.map((d) => [d.ruleId, d.message])).toEqual([
      ['config-invalid', 'The configuration must be a JSON object, not an array'],
    ]);
  });
});

describe('vocabularies keep the values the engine depends on', () => {
  it('refuses task statuses without the open ones and workstream statuses without the closed ones', () => {
    const result = parseConfig(
      'workplan.config.json',
      '{"vocabularies": {\n"taskStatus": {"values": ["todo", "done"]},\n"workstreamStatus": {"values": ["draft", "active", "completed"]}}}',
    );
    expect(result.diagnostics.map((d) => [d.span.start.line, d.message])).toEqual([
      [
        2,
        '"vocabularies.taskStatus.values" must keep "in_progress", "blocked": the engine treats todo, in_progress, blocked as open tasks',
      ],
      [3, '"vocabularies.workstreamStatus.values" must keep "archived": the engine treats completed, archived as closed workstreams'],
    ]);
  });
});

describe('the ADR status and dependency kind vocabularies', () => {
  it('adds ADR status aliases and dependency labels to the defaults', () => {
    const result = parseConfig(
      'workplan.config.json',
      '{"vocabularies": {"adrStatus": {"aliases": {"parked": "rejected"}}, "dependencyKind": {"aliases": {"inspired by": "related"}}}}',
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.value!.vocabularies.adrStatus.aliases).toMatchObject({ parked: 'rejected', approved: 'accepted' });
    expect(result.value!.vocabularies.dependencyKind).toMatchObject({
      default: 'related',
      aliases: { 'inspired by': 'related', supersedes: 'related' },
    });
  });

  it('an ADR status vocabulary has no default: an ADR without a status is mirrored with none', () => {
    const result = parseConfig('workplan.config.json', '{"vocabularies": {"adrStatus": {"default": "proposed"}}}');
    expect(result.diagnostics.map((d) => [d.ruleId, d.message.split(';')[0]])).toEqual([
      ['config-key-unknown', 'Unknown configuration key "vocabularies.adrStatus.default"'],
    ]);
  });

  it('refuses ADR statuses without "superseded", which "Superseded by" lines set', () => {
    const result = parseConfig('workplan.config.json', '{"vocabularies": {"adrStatus": {"values": ["open", "done"]}}}');
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      '"vocabularies.adrStatus.values" must keep "superseded": a "Superseded by …" line sets the status "superseded"',
    ]);
  });

  it('refuses a dependency kind default outside its values, and vocabulary values too long to index', () => {
    const long = 'x'.repeat(101);
    const result = parseConfig(
      'workplan.config.json',
      `{"vocabularies": {"dependencyKind": {"default": "enables"}, "priority": {"values": ["low", "${long}"], "default": "low"}}}`,
    );
    expect(result.diagnostics.map((d) => d.message.split(':')[0])).toEqual([
      '"vocabularies.dependencyKind.default" is "enables", which is not one of its values',
      `"vocabularies.priority.values" value "${long.slice(0, 40)}…" is 101 characters long; the limit is 100`,
    ]);
  });
});
