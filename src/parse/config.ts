// Repository configuration: `workplan.config.json`, or a `"workplan"` key in package.json, validated
// and deep-merged over DEFAULT_CONFIG (see docs/configuration.md). Pure: takes text, returns
// `{value, diagnostics}`, never touches the filesystem and never throws on bad input.
// Every diagnostic points at the exact key or value in the JSON text.
import { distance } from 'fastest-levenshtein';
import type { Diagnostic, ParseResult } from '../model/diagnostic.js';
import { createLineIndex, type LineIndex } from '../model/position.js';
import {
  CLOSED_WORKSTREAM_STATUSES,
  DEFAULT_CONFIG,
  OPEN_TASK_STATUSES,
  SUPERSEDED_ADR_STATUS,
  type AdrStatusVocabulary,
  type Vocabulary,
  type WorkplanConfig,
} from '../model/config.js';
import { MAX_VOCABULARY_VALUE_LENGTH } from '../model/storage-limits.js';
import { findJsonMember, parseJsonTree, toPlainJson, type JsonNode } from './config-json.js';
import { EXTRA_TOP_LEVEL_KEYS, partialConfigSchema, type PartialConfig, type PartialVocabulary } from './config-schema.js';

type PathSegment = string | number;

/**
 * Values a replaced vocabulary must keep, because the engine gives them a meaning: open tasks block a
 * workplan's completion, closed workstreams are skipped (src/model/config.ts).
 */
const REQUIRED_VALUES: Partial<Record<keyof WorkplanConfig['vocabularies'], { values: readonly string[]; why: string }>> = {
  taskStatus: { values: OPEN_TASK_STATUSES, why: `the engine treats ${OPEN_TASK_STATUSES.join(', ')} as open tasks` },
  workstreamStatus: {
    values: CLOSED_WORKSTREAM_STATUSES,
    why: `the engine treats ${CLOSED_WORKSTREAM_STATUSES.join(', ')} as closed workstreams`,
  },
  adrStatus: { values: [SUPERSEDED_ADR_STATUS], why: `a "Superseded by …" line sets the status "${SUPERSEDED_ADR_STATUS}"` },
};
type VocabularyName = keyof WorkplanConfig['vocabularies'];

const DOCS_HINT = 'See docs/configuration.md for every key, its type and its default.';

/** Parses and validates `workplan.config.json`; the value is undefined when any error is reported. */
export function parseConfig(path: string, text: string): ParseResult<WorkplanConfig> {
  const lines = createLineIndex(text);
  const tree = parseJsonTree(text);
  if (!tree.ok) return { value: undefined, diagnostics: [toJsonSyntaxDiagnostic(path, lines, tree.error)] };
  return validateConfigNode({ path, lines, labelPrefix: '' }, tree.node);
}

/** Reads the `"workplan"` key of a package.json; without the key the defaults apply, silently. */
export function parsePackageJsonConfig(path: string, text: string): ParseResult<WorkplanConfig> {
  const lines = createLineIndex(text);
  const tree = parseJsonTree(text);
  if (!tree.ok) return { value: undefined, diagnostics: [toJsonSyntaxDiagnostic(path, lines, tree.error)] };
  const member = findJsonMember(tree.node, 'workplan');
  if (!member) return { value: cloneDefaultConfig(), diagnostics: [] };
  return validateConfigNode({ path, lines, labelPrefix: 'workplan.' }, member.value);
}

export interface ConfigSources {
  configJson?: { path: string; text: string };
  packageJson?: { path: string; text: string };
}

/**
 * Chooses the configuration: `workplan.config.json` wins over package.json's `"workplan"` key
 * (which then earns a `config-source-ignored` warning); with neither, the defaults.
 */
export function resolveConfig(sources: ConfigSources): ParseResult<WorkplanConfig> {
  const { configJson, packageJson } = sources;
  if (!configJson) {
    return packageJson ? parsePackageJsonConfig(packageJson.path, packageJson.text) : { value: cloneDefaultConfig(), diagnostics: [] };
  }
  const result = parseConfig(configJson.path, configJson.text);
  if (packageJson) {
    const tree = parseJsonTree(packageJson.text);
    const member = tree.ok ? findJsonMember(tree.node, 'workplan') : undefined;
    if (member) {
      const lines = createLineIndex(packageJson.text);
      result.diagnostics.push({
        path: packageJson.path,
        span: lines.spanOf(member.keyStart, member.value.end),
        severity: 'warning',
        ruleId: 'config-source-ignored',
        message: `The "workplan" key in ${packageJson.path} is ignored because ${configJson.path} exists`,
        hint: `Move these settings into ${configJson.path} and delete the "workplan" key from ${packageJson.path}.`,
      });
    }
  }
  return result;
}

/** A fresh copy of DEFAULT_CONFIG, so callers can never mutate the shared default. */
function cloneDefaultConfig(): WorkplanConfig {
  return structuredClone(DEFAULT_CONFIG);
}

interface ConfigContext {
  path: string;
  lines: LineIndex;
  /** Prepended to key paths in messages (`workplan.` inside package.json). */
  labelPrefix: string;
}

function toJsonSyntaxDiagnostic(path: string, lines: LineIndex, error: { message: string; start: number; end: number }): Diagnostic {
  return {
    path,
    span: lines.spanOf(error.start, error.end),
    severity: 'error',
    ruleId: 'config-json-invalid',
    message: `Invalid JSON: ${error.message}`,
    hint: 'The configuration must be strict JSON: double-quoted keys and strings, no comments, no trailing commas.',
  };
}

function validateConfigNode(ctx: ConfigContext, root: JsonNode): ParseResult<WorkplanConfig> {
  const diagnostics: Diagnostic[] = [];
  const label = (segments: readonly PathSegment[]): string => formatLabel(ctx.labelPrefix, segments);

  if (root.kind !== 'object') {
    diagnostics.push({
      path: ctx.path,
      span: ctx.lines.spanOf(root.start, root.end),
      severity: 'error',
      ruleId: 'config-invalid',
      message: `The configuration${ctx.labelPrefix ? ` ("${ctx.labelPrefix.slice(0, -1)}")` : ''} must be a JSON object, not ${describeNode(root)}`,
      hint: `Write an object such as {"roots": {"workplans": ["workplans"]}}. ${DOCS_HINT}`,
    });
    return { value: undefined, diagnostics };
  }

  collectDuplicateKeys(ctx, root, [], diagnostics);
  collectUnknownKeys(ctx, root, DEFAULT_CONFIG, [], diagnostics);

  const parsed = partialConfigSchema.safeParse(toPlainJson(root));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const segments = issue.path.filter((s): s is PathSegment => typeof s === 'string' || typeof s === 'number');
      const located = locatePath(root, segments);
      diagnostics.push({
        path: ctx.path,
        span: ctx.lines.spanOf(located.start, located.end),
        severity: 'error',
        ruleId: 'config-invalid',
        message: describeIssue(label(segments), issue, located.node),
        hint: describeDefault(segments),
      });
    }
    return { value: undefined, diagnostics: sortDiagnostics(diagnostics) };
  }

  const config = mergeConfig(parsed.data);
  collectSemanticProblems(ctx, root, parsed.data, config, diagnostics);
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { value: failed ? undefined : config, diagnostics: sortDiagnostics(diagnostics) };
}

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
}

function formatLabel(prefix: string, segments: readonly PathSegment[]): string {
  let out = prefix.endsWith('.') ? prefix.slice(0, -1) : prefix;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || '(root)';
}

/** The span of the member (key through value) or array element a path points at; the deepest that exists. */
function locatePath(root: JsonNode, segments: readonly PathSegment[]): { start: number; end: number; node: JsonNode | undefined } {
  let node: JsonNode = root;
  let start = root.start;
  let end = root.end;
  for (const segment of segments) {
    if (node.kind === 'object' && typeof segment === 'string') {
      const member = findJsonMember(node, segment);
      if (!member) return { start, end, node: undefined };
      node = member.value;
      start = member.keyStart;
      end = member.value.end;
    } else if (node.kind === 'array' && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment]!;
      start = node.start;
      end = node.end;
    } else {
      return { start, end, node: undefined };
    }
  }
  return { start, end, node };
}

function describeNode(node: JsonNode | undefined): string {
  if (!node) return 'missing';
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string ${JSON.stringify(node.value)}`;
    case 'number':
      return `the number ${String(node.value)}`;
    case 'boolean':
      return `the boolean ${String(node.value)}`;
    case 'null':
      return 'null';
  }
}

const EXPECTED_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'a boolean (true or false)',
  object: 'an object',
  array: 'an array',
  record: 'an object',
};

interface IssueLike {
  code: string;
  message: string;
  expected?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: unknown;
  values?: unknown;
}

function describeIssue(label: string, issue: IssueLike, node: JsonNode | undefined): string {
  const actual = describeNode(node);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED_NAMES[String(issue.expected)] ?? String(issue.expected);
      return `"${label}" must be ${expected}, not ${actual}`;
    }
    case 'too_small':
      if (issue.origin === 'array') return `"${label}" must not be empty`;
      if (issue.origin === 'string') return `"${label}" must not be an empty string`;
      return `"${label}" is ${actual.replace(/^the number /, '')}; it must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}`;
    case 'too_big':
      return `"${label}" is ${actual.replace(/^the number /, '')}; it must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
    case 'invalid_value': {
      const values = Array.isArray(issue.values) ? issue.values.map(String).join(', ') : '';
      return `"${label}" is ${actual}; use one of ${values}`;
    }
    default:
      return `"${label}" is ${actual}: ${issue.message}`;
  }
}

function readDefaultAt(segments: readonly PathSegment[]): unknown {
  let value: unknown = DEFAULT_CONFIG;
  for (const s of segments) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, s)) return undefined;
    value = (value as Record<string, unknown>)[s as string];
  }
  return value;
}

function describeDefault(segments: readonly PathSegment[]): string {
  const value = readDefaultAt(segments);
  if (value === undefined || typeof value === 'object') return DOCS_HINT;
  return `The default is ${JSON.stringify(value)}. ${DOCS_HINT}`;
}

function collectDuplicateKeys(ctx: ConfigContext, node: JsonNode, segments: PathSegment[], out: Diagnostic[]): void {
  if (node.kind === 'array') node.items.forEach((item, i) => collectDuplicateKeys(ctx, item, [...segments, i], out));
  if (node.kind !== 'object') return;
  const seen = new Map<string, number>();
  for (const member of node.members) {
    const firstAt = seen.get(member.key);
    if (firstAt !== undefined) {
      const first = ctx.lines.positionAt(firstAt);
      out.push({
        path: ctx.path,
        span: ctx.lines.spanOf(member.keyStart, member.value.end),
        severity: 'error',
        ruleId: 'config-key-duplicate',
        message: `Key "${formatLabel(ctx.labelPrefix, [...segments, member.key])}" is written twice (first at line ${first.line}, column ${first.column})`,
        hint: 'Keep one of them; JSON readers disagree about which one wins.',
      });
    } else {
      seen.set(member.key, member.keyStart);
    }
    collectDuplicateKeys(ctx, member.value, [...segments, member.key], out);
  }
}

/** Reports keys that DEFAULT_CONFIG does not have, at the key, listing the known ones. */
function collectUnknownKeys(ctx: ConfigContext, node: JsonNode, shape: unknown, segments: PathSegment[], out: Diagnostic[]): void {
  if (node.kind !== 'object' || shape === null || typeof shape !== 'object' || Array.isArray(shape)) return;
  // Alias maps are free-form: every key is an alias, except one no JavaScript object can hold as data.
  if (segments.length === 3 && segments[0] === 'vocabularies' && segments[2] === 'aliases') {
    for (const member of node.members.filter((m) => m.key === '__proto__')) {
      out.push({
        path: ctx.path,
        span: ctx.lines.spanOf(member.keyStart, member.value.end),
        severity: 'error',
        ruleId: 'config-invalid',
        message: `Alias "__proto__" in "${formatLabel(ctx.labelPrefix, segments)}" is a reserved name`,
        hint: 'Remove this alias.',
      });
    }
    return;
  }
  const known = Object.keys(shape);
  if (segments.length === 0) known.push(...EXTRA_TOP_LEVEL_KEYS);
  for (const member of node.members) {
    if (!known.includes(member.key)) {
      const suggestion = suggestKey(member.key, known);
      out.push({
        path: ctx.path,
        span: ctx.lines.spanOf(member.keyStart, member.keyEnd),
        severity: 'error',
        ruleId: 'config-key-unknown',
        message: `Unknown configuration key "${formatLabel(ctx.labelPrefix, [...segments, member.key])}"; known keys here are ${known.join(', ')}`,
        hint: suggestion ? `Did you mean "${suggestion}"?` : `Remove it or check its spelling. ${DOCS_HINT}`,
      });
      continue;
    }
    collectUnknownKeys(ctx, member.value, (shape as Record<string, unknown>)[member.key], [...segments, member.key], out);
  }
}

/** The known key closest to a misspelt one (case-insensitive, at most two edits), if any. */
function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  // Short keys tolerate one edit, longer ones two ("hok" → "hook", but not "foo" → "hook").
  let bestDistance = key.length <= 4 ? 2 : 3;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Deep-merges the user's partial configuration over DEFAULT_CONFIG (arrays replace; aliases add). */
function mergeConfig(user: PartialConfig): WorkplanConfig {
  const base = cloneDefaultConfig();
  return {
    roots: {
      workplans: user.roots?.workplans ?? base.roots.workplans,
      adr: user.roots?.adr ?? base.roots.adr,
    },
    vocabularies: {
      workstreamStatus: mergeVocabulary(base.vocabularies.workstreamStatus, user.vocabularies?.workstreamStatus),
      taskStatus: mergeVocabulary(base.vocabularies.taskStatus, user.vocabularies?.taskStatus),
      priority: mergeVocabulary(base.vocabularies.priority, user.vocabularies?.priority),
      adrStatus: mergeAliasTable(base.vocabularies.adrStatus, user.vocabularies?.adrStatus),
      dependencyKind: mergeVocabulary(base.vocabularies.dependencyKind, user.vocabularies?.dependencyKind),
    },
    idPatterns: { ...base.idPatterns, ...user.idPatterns },
    database: { ...base.database, ...user.database },
    sync: { ...base.sync, ...user.sync },
    hook: { ...base.hook, ...user.hook },
    adr: { ...base.adr, ...user.adr },
  };
}

function mergeVocabulary(base: Vocabulary, user: PartialVocabulary | undefined): Vocabulary {
  if (!user) return base;
  return { ...mergeAliasTable(base, user), default: user.default ?? base.default };
}

/** Values replace, aliases add (default aliases pointing at values the user removed are dropped). */
function mergeAliasTable(base: AdrStatusVocabulary, user: Omit<PartialVocabulary, 'default'> | undefined): AdrStatusVocabulary {
  if (!user) return base;
  const values = user.values ?? base.values;
  // The user's own aliases are checked later (collectSemanticProblems).
  const aliases: Record<string, string> = {};
  for (const [alias, target] of Object.entries(base.aliases)) if (values.includes(target)) aliases[alias] = target;
  for (const [alias, target] of Object.entries(user.aliases ?? {})) aliases[alias] = target;
  return { values, aliases };
}

function collectSemanticProblems(ctx: ConfigContext, root: JsonNode, user: PartialConfig, config: WorkplanConfig, out: Diagnostic[]): void {
  const report = (segments: PathSegment[], message: string, hint: string): void => {
    const located = locatePath(root, segments);
    out.push({
      path: ctx.path,
      span: ctx.lines.spanOf(located.start, located.end),
      severity: 'error',
      ruleId: 'config-invalid',
      message,
      hint,
    });
  };
  const label = (segments: readonly PathSegment[]): string => formatLabel(ctx.labelPrefix, segments);

  for (const name of Object.keys(config.vocabularies) as VocabularyName[]) {
    const written = user.vocabularies?.[name];
    if (!written) continue;
    const vocabulary: AdrStatusVocabulary & { default?: string } = config.vocabularies[name];
    const at = ['vocabularies', name];
    const seen = new Map<string, number>();
    (written.values ?? []).forEach((value, i) => {
      const key = value.toLowerCase();
      if (seen.has(key))
        report(
          [...at, 'values', i],
          `"${label([...at, 'values'])}" lists "${value}" twice`,
          'Each value must appear once (compared case-insensitively).',
        );
      else seen.set(key, i);
      // Values are stored in indexed columns (docs/configuration.md, "Vocabularies").
      if (value.length > MAX_VOCABULARY_VALUE_LENGTH) {
        report(
          [...at, 'values', i],
          `"${label([...at, 'values'])}" value "${value.slice(0, 40)}…" is ${value.length} characters long; the limit is ${MAX_VOCABULARY_VALUE_LENGTH}`,
          'Use a shorter value and map longer spellings to it with "aliases".',
        );
      }
    });
    const required = REQUIRED_VALUES[name];
    const dropped = written.values && required ? required.values.filter((v) => !vocabulary.values.includes(v)) : [];
    if (dropped.length > 0) {
      report(
        [...at, 'values'],
        `"${label([...at, 'values'])}" must keep ${dropped.map((v) => `"${v}"`).join(', ')}: ${required!.why}`,
        `Add ${dropped.join(', ')} back to "values"; map your own words to them with "aliases".`,
      );
    }
    if (vocabulary.default !== undefined && !vocabulary.values.includes(vocabulary.default)) {
      if ('default' in written && written.default !== undefined) {
        report(
          [...at, 'default'],
          `"${label([...at, 'default'])}" is "${vocabulary.default}", which is not one of its values: ${vocabulary.values.join(', ')}`,
          `Set "default" to one of ${vocabulary.values.join(', ')}.`,
        );
      } else {
        report(
          [...at, 'values'],
          `"${label([...at, 'values'])}" does not include the default value "${vocabulary.default}"`,
          `Add "${vocabulary.default}" to "values", or set "default" to one of ${vocabulary.values.join(', ')}.`,
        );
      }
    }
    for (const [alias, target] of Object.entries(written.aliases ?? {})) {
      if (!vocabulary.values.includes(target)) {
        report(
          [...at, 'aliases', alias],
          `Alias "${alias}" in "${label([...at, 'aliases'])}" points at "${target}", which is not one of its values: ${vocabulary.values.join(', ')}`,
          `Point the alias at one of ${vocabulary.values.join(', ')}.`,
        );
      }
    }
  }

  for (const name of ['workplan', 'task', 'adr'] as const) {
    const source = user.idPatterns?.[name];
    if (source === undefined) continue;
    const problem = checkRegExpSource(name === 'task' ? source.replaceAll('{workplan}', '(?:X)') : source);
    if (problem) {
      report(
        ['idPatterns', name],
        `"${label(['idPatterns', name])}" is not a valid regular expression: ${problem}`,
        `Write a JavaScript regular expression source (backslashes doubled in JSON), e.g. ${JSON.stringify(DEFAULT_CONFIG.idPatterns[name])}.`,
      );
    }
  }

  for (const name of ['workplans', 'adr'] as const) {
    (user.roots?.[name] ?? []).forEach((root, i) => {
      if (leavesRepository(root)) {
        report(
          ['roots', name, i],
          `Root "${root}" in "${label(['roots', name])}" leaves the repository`,
          'Roots are directories relative to the repository root, without ".." segments.',
        );
      }
    });
  }

  const embeddedDir = user.database?.embeddedDir;
  if (embeddedDir !== undefined) {
    const at = ['database', 'embeddedDir'];
    if (leavesRepository(embeddedDir)) {
      report(
        at,
        `"${label(at)}" is "${embeddedDir}", which leaves the repository`,
        'The embedded store lives inside the repository: a directory relative to its root, without ".." segments (default ".workplan/db").',
      );
    } else if (embeddedDir.split(/[/\\]/).every((segment) => segment === '' || segment === '.')) {
      report(
        at,
        `"${label(at)}" is "${embeddedDir}", the repository root itself`,
        'Name a directory of its own inside the repository, such as ".workplan/db".',
      );
    }
  }
}

/** An absolute path, a drive letter, or a `..` segment: not a directory inside the repository. */
function leavesRepository(path: string): boolean {
  return /^(?:[/\\]|[A-Za-z]:)/.test(path) || path.split(/[/\\]/).includes('..');
}

/**
 * The engine's complaint about a regular expression source, or undefined when it compiles.
 * Compiled with the `u` flag, as the workplan parser compiles id patterns (src/parse/id-patterns.ts).
 */
function checkRegExpSource(source: string): string | undefined {
  try {
    new RegExp(source, 'u');
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
