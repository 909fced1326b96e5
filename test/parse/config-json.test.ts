// The position-recording JSON parser behind configuration diagnostics.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonTree, toPlainJson } from '../../src/parse/config-json.js';
import { parseConfig, parsePackageJsonConfig, resolveConfig } from '../../src/parse/config.js';

/** JSON.parse as the reference: undefined when it refuses the text. */
function parseWithEngine(text: string): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

describe('parseJsonTree', () => {
  it('records key and value offsets', () => {
    const text = '{\n  "a": [1, {"b": null}]\n}';
    const tree = parseJsonTree(text);
    expect(tree.ok).toBe(true);
    if (!tree.ok || tree.node.kind !== 'object') return;
    const member = tree.node.members[0]!;
    expect(text.slice(member.keyStart, member.keyEnd)).toBe('"a"');
    expect(text.slice(member.value.start, member.value.end)).toBe('[1, {"b": null}]');
  });

  it.each([
    ['', 0, 'Expected a JSON value, found end of input'],
    ['{"a" 1}', 5, `Expected ':' after property name "a", found '1'`],
    ['[1 2]', 3, "Expected ',' or ']' after an array element, found '2'"],
    ['{"a": 01}', 7, "Invalid number: unexpected '1'"],
    ['{"a": "x\ny"}', 8, 'Unescaped control character U+000A in string'],
    ['{"a": "\\q"}', 7, 'Invalid escape sequence in string: \\q'],
    ["{'a': 1}", 1, "Expected a double-quoted property name, found '''"],
    ['{"a": 1} x', 9, "Unexpected 'x' after the JSON value"],
    ['{"a": tru}', 6, "Expected a JSON value, found 't'"],
    ['"abc', 0, 'Unterminated string'],
  ])('refuses %j at offset %i', (text, offset, message) => {
    expect(parseJsonTree(text)).toEqual({ ok: false, error: expect.objectContaining({ start: offset, message }) });
  });

  it('refuses nesting deeper than its limit instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const tree = parseJsonTree(deep);
    expect(tree.ok).toBe(false);
  });

  it('agrees with JSON.parse on every JSON value', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const tree = parseJsonTree(text);
        expect(tree.ok).toBe(true);
        if (tree.ok) expect(toPlainJson(tree.node)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts exactly what JSON.parse accepts', () => {
    const jsonish = fc
      .array(
        fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '1', '-', '0', '.', 'e', '+', 'true', 'null', ' ', '\n', '\\', 'u', 'a', '"k"'),
        { maxLength: 20 },
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ maxLength: 30 })), (text) => {
        expect(parseJsonTree(text).ok).toBe(parseWithEngine(text).ok);
      }),
      { numRuns: 400 },
    );
  });
});

describe('configuration parsers never throw', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        for (const result of [
          parseConfig('c.json', text),
          parsePackageJsonConfig('package.json', text),
          resolveConfig({ configJson: { path: 'c.json', text }, packageJson: { path: 'p.json', text } }),
        ]) {
          expect(Array.isArray(result.diagnostics)).toBe(true);
          expect(result.value === undefined || typeof result.value === 'object').toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('on arbitrary JSON, including shapes that look like a configuration', () => {
    const vocabulary = fc.record(
      { values: fc.array(fc.string(), { maxLength: 4 }), aliases: fc.dictionary(fc.string(), fc.string()), default: fc.string() },
      { requiredKeys: [] },
    );
    const configLike = fc.record(
      {
        roots: fc.record({ workplans: fc.array(fc.string()), adr: fc.anything() }, { requiredKeys: [] }),
        vocabularies: fc.record({ taskStatus: vocabulary, priority: fc.anything() }, { requiredKeys: [] }),
        idPatterns: fc.record({ workplan: fc.string(), task: fc.string(), adr: fc.string() }, { requiredKeys: [] }),
        sync: fc.record({ massRemovalThreshold: fc.double(), maxFileBytes: fc.integer() }, { requiredKeys: [] }),
        hook: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          configLike.map((v) => JSON.stringify(v) ?? 'null'),
        ),
        (text) => {
          const result = parseConfig('c.json', text);
          expect((result.value === undefined) === result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          for (const d of result.diagnostics) {
            expect(d.span.start.offset).toBeLessThanOrEqual(text.length);
            expect(d.span.end.offset).toBeGreaterThanOrEqual(d.span.start.offset);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
