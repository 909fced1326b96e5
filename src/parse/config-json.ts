// A strict JSON (RFC 8259) parser that keeps the source offsets of every key and value, so that
// configuration problems can be reported at the exact line and column. Pure; never throws:
// malformed input yields `{ok: false, error}` with the offset of the first offending character.
// (`JSON.parse` gives no position on Node 20, and the `yaml` package would accept non-JSON such as
// comments, single quotes and unquoted keys.)

export type JsonNode = JsonObjectNode | JsonArrayNode | JsonScalarNode;

interface JsonNodeBase {
  /** Offset of the node's first character. */
  start: number;
  /** Offset just past the node's last character. */
  end: number;
}

export interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

export interface JsonObjectNode extends JsonNodeBase {
  kind: 'object';
  members: JsonMember[];
}

export interface JsonArrayNode extends JsonNodeBase {
  kind: 'array';
  items: JsonNode[];
}

export interface JsonScalarNode extends JsonNodeBase {
  kind: 'string' | 'number' | 'boolean' | 'null';
  value: string | number | boolean | null;
}

export interface JsonSyntaxError {
  /** What was wrong, e.g. `Expected ',' or '}' after an object member, found ']'`. */
  message: string;
  start: number;
  end: number;
}

export type JsonTreeResult = { ok: true; node: JsonNode } | { ok: false; error: JsonSyntaxError };

/** Nesting deeper than this is refused rather than risking the call stack. */
const MAX_DEPTH = 256;

class JsonSyntaxFailure {
  constructor(readonly error: JsonSyntaxError) {}
}

/** Parses JSON text into a position-tagged tree; a leading BOM is skipped. */
export function parseJsonTree(text: string): JsonTreeResult {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const describe = (at: number): string => {
    if (at >= text.length) return 'end of input';
    const cp = text.codePointAt(at)!;
    const ch = String.fromCodePoint(cp);
    return cp < 0x20 ? `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
  };
  const fail = (message: string, start: number, end = Math.min(start + 1, text.length)): never => {
    throw new JsonSyntaxFailure({ message, start, end });
  };
  const skipWhitespace = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };

  const parseString = (): { value: string; start: number; end: number } => {
    const start = i;
    i++; // opening quote
    let value = '';
    for (;;) {
      if (i >= text.length) fail('Unterminated string', start, text.length);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return { value, start, end: i };
      }
      if (c < 0x20) fail(`Unescaped ${describe(i)} in string`, i);
      if (c !== 0x5c) {
        value += text[i];
        i++;
        continue;
      }
      const e = text[i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) {
        value += simple[e];
        i += 2;
      } else if (e === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\u escape in string: expected four hexadecimal digits', i, Math.min(i + 6, text.length));
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else {
        fail(`Invalid escape sequence in string: \\${e ?? ''}`, i, Math.min(i + 2, text.length));
      }
    }
  };

  const parseNumber = (): JsonScalarNode => {
    const match = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    match.lastIndex = i;
    const m = match.exec(text);
    if (!m || m[0] === '-' || m[0].length === 0) fail(`Invalid number starting at ${describe(i)}`, i);
    const start = i;
    i += m![0].length;
    // A number must not run straight into more number-like characters (e.g. `01`, `1.`, `1e`).
    if (i < text.length && /[0-9.eE+-]/.test(text[i]!)) fail(`Invalid number: unexpected ${describe(i)}`, i);
    return { kind: 'number', value: Number(m![0]), start, end: i };
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`Nesting deeper than ${MAX_DEPTH} levels`, i);
    skipWhitespace();
    const c = text[i];
    const start = i;
    if (c === '{') return parseObject(depth);
    if (c === '[') return parseArray(depth);
    if (c === '"') {
      const s = parseString();
      return { kind: 'string', value: s.value, start: s.start, end: s.end };
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { kind: value === null ? 'null' : 'boolean', value, start, end: i };
      }
    }
    return fail(`Expected a JSON value, found ${describe(i)}`, i);
  };

  const parseObject = (depth: number): JsonObjectNode => {
    const start = i;
    i++; // {
    const members: JsonMember[] = [];
    skipWhitespace();
    if (text[i] === '}') {
      i++;
      return { kind: 'object', members, start, end: i };
    }
    for (;;) {
      skipWhitespace();
      if (text[i] !== '"') fail(`Expected a double-quoted property name, found ${describe(i)}`, i);
      const key = parseString();
      skipWhitespace();
      if (text[i] !== ':') fail(`Expected ':' after property name "${key.value}", found ${describe(i)}`, i);
      i++;
      const value = parseValue(depth + 1);
      members.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value });
      skipWhitespace();
      if (text[i] === ',') {
        const comma = i;
        i++;
        skipWhitespace();
        if (text[i] === '}') fail("Trailing comma before '}' is not allowed in JSON", comma);
        continue;
      }
      if (text[i] === '}') {
        i++;
        return { kind: 'object', members, start, end: i };
      }
      fail(`Expected ',' or '}' after an object member, found ${describe(i)}`, i);
    }
  };

  const parseArray = (depth: number): JsonArrayNode => {
    const start = i;
    i++; // [
    const items: JsonNode[] = [];
    skipWhitespace();
    if (text[i] === ']') {
      i++;
      return { kind: 'array', items, start, end: i };
    }
    for (;;) {
      items.push(parseValue(depth + 1));
      skipWhitespace();
      if (text[i] === ',') {
        const comma = i;
        i++;
        skipWhitespace();
        if (text[i] === ']') fail("Trailing comma before ']' is not allowed in JSON", comma);
        continue;
      }
      if (text[i] === ']') {
        i++;
        return { kind: 'array', items, start, end: i };
      }
      fail(`Expected ',' or ']' after an array element, found ${describe(i)}`, i);
    }
  };

  try {
    const node = parseValue(0);
    skipWhitespace();
    if (i < text.length) fail(`Unexpected ${describe(i)} after the JSON value`, i);
    return { ok: true, node };
  } catch (e) {
    if (e instanceof JsonSyntaxFailure) return { ok: false, error: e.error };
    // Only a genuine engine failure (e.g. out of memory) gets here; report it as data all the same.
    return { ok: false, error: { message: `Could not parse JSON: ${String(e)}`, start: 0, end: 0 } };
  }
}

/** Converts a tree to plain JavaScript values (the last of duplicate keys wins, as with JSON.parse). */
export function toPlainJson(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const m of node.members) {
        // defineProperty so a `__proto__` key stays an ordinary own property.
        Object.defineProperty(out, m.key, { value: toPlainJson(m.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return node.items.map(toPlainJson);
    default:
      return node.value;
  }
}

/** The member of an object node with this key (the last one, matching `toPlainJson`). */
export function findJsonMember(node: JsonNode, key: string): JsonMember | undefined {
  if (node.kind !== 'object') return undefined;
  let found: JsonMember | undefined;
  for (const m of node.members) if (m.key === key) found = m;
  return found;
}
