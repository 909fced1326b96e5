// Strict JSON (RFC 8259) with the source offsets of every key and value, so that configuration
// problems can be reported at the exact line and column. Pure; never throws: malformed input yields
// `{ok: false, error}` at the first offending character. jsonc-parser reads the text (comments and
// trailing commas refused); this module turns its tree into ours and its first error into a message
// that says what was expected where (adr/0014). (`JSON.parse` gives no position on Node 20, and the
// `yaml` package would accept non-JSON such as comments, single quotes and unquoted keys.)
import { createScanner, type Node, type ParseError, ParseErrorCode, parseTree, SyntaxKind } from 'jsonc-parser';

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

/** Parses JSON text into a position-tagged tree; a leading BOM is skipped. */
export function parseJsonTree(text: string): JsonTreeResult {
  // jsonc-parser reads a BOM as a stray character; a space in its place keeps every offset.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const tooDeep = findExcessNesting(source);
  if (tooDeep !== undefined)
    return { ok: false, error: { message: `Nesting deeper than ${MAX_DEPTH} levels`, start: tooDeep, end: tooDeep + 1 } };
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0] ?? (root ? undefined : { error: ParseErrorCode.ValueExpected, offset: 0, length: 0 });
  if (first || !root) return { ok: false, error: describeJsonError(source, first!) };
  return { ok: true, node: toJsonNode(source, root) };
}

/** jsonc-parser's node → ours; numbers are read from the text, as JSON.parse reads them. */
function toJsonNode(text: string, node: Node): JsonNode {
  const span = { start: node.offset, end: node.offset + node.length };
  switch (node.type) {
    case 'object':
      return { kind: 'object', ...span, members: (node.children ?? []).map((property) => toJsonMember(text, property)) };
    case 'array':
      return { kind: 'array', ...span, items: (node.children ?? []).map((item) => toJsonNode(text, item)) };
    case 'number':
      return { kind: 'number', ...span, value: Number(text.slice(span.start, span.end)) };
    case 'string':
      return { kind: 'string', ...span, value: node.value as string };
    case 'boolean':
      return { kind: 'boolean', ...span, value: node.value as boolean };
    default:
      return { kind: 'null', ...span, value: null };
  }
}

function toJsonMember(text: string, property: Node): JsonMember {
  const [key, value] = property.children as [Node, Node];
  return { key: key.value as string, keyStart: key.offset, keyEnd: key.offset + key.length, value: toJsonNode(text, value) };
}

/** The offset of the first value nested deeper than MAX_DEPTH, if any (before jsonc-parser recurses into it). */
function findExcessNesting(text: string): number | undefined {
  // Fewer opening brackets than the limit cannot nest past it (every configuration file): no scan.
  let opening = 0;
  for (let i = 0; i < text.length && opening <= MAX_DEPTH; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) opening++;
  }
  if (opening <= MAX_DEPTH) return undefined;
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) depth--;
    else if (kind === SyntaxKind.CommaToken || kind === SyntaxKind.ColonToken) continue;
    else if (depth > MAX_DEPTH) return scanner.getTokenOffset();
    else if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) depth++;
  }
  return undefined;
}

type Expecting = 'value' | 'key' | 'colon' | 'comma-object' | 'comma-array' | 'end';

/** What the grammar expected at an offset, read from the (valid) tokens before it. */
interface ErrorContext {
  expecting: Expecting;
  /** What follows a complete value here. */
  afterValue: Expecting;
  /** The comma right before the offset (a trailing comma when a closing bracket follows). */
  comma?: number;
  /** The last property name read. */
  key?: string;
  /** Where a number right before the offset ended. */
  numberEnd?: number;
}

function readErrorContext(text: string, offset: number): ErrorContext {
  const scanner = createScanner(text, true);
  const stack: Array<'{' | '['> = [];
  const afterValue = (): Expecting => (stack.length === 0 ? 'end' : stack[stack.length - 1] === '{' ? 'comma-object' : 'comma-array');
  let expecting: Expecting = 'value';
  let comma: number | undefined;
  let key: string | undefined;
  let numberEnd: number | undefined;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF && scanner.getTokenOffset() < offset; kind = scanner.scan()) {
    comma = undefined;
    numberEnd = undefined;
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      stack.push(kind === SyntaxKind.OpenBraceToken ? '{' : '[');
      expecting = kind === SyntaxKind.OpenBraceToken ? 'key' : 'value';
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      stack.pop();
      expecting = afterValue();
    } else if (kind === SyntaxKind.CommaToken) {
      comma = scanner.getTokenOffset();
      expecting = stack[stack.length - 1] === '{' ? 'key' : 'value';
    } else if (kind === SyntaxKind.ColonToken) {
      expecting = 'value';
    } else if (kind === SyntaxKind.StringLiteral && expecting === 'key') {
      key = scanner.getTokenValue();
      expecting = 'colon';
    } else {
      if (kind === SyntaxKind.NumericLiteral) numberEnd = scanner.getTokenOffset() + scanner.getTokenLength();
      expecting = afterValue();
    }
  }
  return {
    expecting,
    afterValue: afterValue(),
    ...(comma !== undefined ? { comma } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(numberEnd !== undefined ? { numberEnd } : {}),
  };
}

/** jsonc-parser's first error → the message and offset our diagnostics give. */
function describeJsonError(text: string, error: ParseError): JsonSyntaxError {
  const at = error.offset;
  const context = readErrorContext(text, at);
  const c = text[at];
  if (context.numberEnd === at && c !== undefined && /[0-9.eE+-]/.test(c))
    return problem(`Invalid number: unexpected ${describeChar(text, at)}`, text, at);
  // A bad string or number where one may stand: the problem is inside it. Elsewhere the token itself is.
  const tokenFits = context.expecting === 'value' || (context.expecting === 'key' && c === '"');
  if (tokenFits && STRING_ERRORS.has(error.error)) return locateStringProblem(text, at);
  if (tokenFits && error.error === ParseErrorCode.UnexpectedEndOfNumber) return locateNumberProblem(text, at);
  if (context.expecting === 'value') {
    if (context.comma !== undefined && c === ']') return problem("Trailing comma before ']' is not allowed in JSON", text, context.comma);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return locateNumberProblem(text, at);
    // `truex`: the literal is a value, and what runs into it is what follows a value.
    const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, at));
    if (literal) return describeUnexpected(text, at + literal.length, context.afterValue);
  }
  if (context.expecting === 'key' && context.comma !== undefined && c === '}') {
    return problem("Trailing comma before '}' is not allowed in JSON", text, context.comma);
  }
  return describeUnexpected(text, at, context.expecting, context.key);
}

const STRING_ERRORS: ReadonlySet<ParseErrorCode> = new Set([
  ParseErrorCode.UnexpectedEndOfString,
  ParseErrorCode.InvalidCharacter,
  ParseErrorCode.InvalidEscapeCharacter,
  ParseErrorCode.InvalidUnicode,
]);

function describeUnexpected(text: string, at: number, expecting: Expecting, key?: string): JsonSyntaxError {
  const found = describeChar(text, at);
  const messages: Record<Expecting, string> = {
    value: `Expected a JSON value, found ${found}`,
    key: `Expected a double-quoted property name, found ${found}`,
    colon: `Expected ':' after property name "${key ?? ''}", found ${found}`,
    'comma-object': `Expected ',' or '}' after an object member, found ${found}`,
    'comma-array': `Expected ',' or ']' after an array element, found ${found}`,
    end: `Unexpected ${found} after the JSON value`,
  };
  return problem(messages[expecting], text, at);
}

/** The first problem inside the string token starting at `start`. */
function locateStringProblem(text: string, start: number): JsonSyntaxError {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    if (c < 0x20) return problem(`Unescaped ${describeChar(text, i)} in string`, text, i);
    if (c !== 0x5c) continue;
    const escaped = text[i + 1];
    if (escaped === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        return { message: 'Invalid \\u escape in string: expected four hexadecimal digits', start: i, end: Math.min(i + 6, text.length) };
      }
      i += 5;
    } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) {
      i++;
    } else {
      return { message: `Invalid escape sequence in string: \\${escaped ?? ''}`, start: i, end: Math.min(i + 2, text.length) };
    }
  }
  return { message: 'Unterminated string', start, end: text.length };
}

/** The first character of the number token at `start` that strict JSON refuses. */
function locateNumberProblem(text: string, start: number): JsonSyntaxError {
  const number = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  number.lastIndex = start;
  const match = number.exec(text);
  if (!match) return problem(`Invalid number starting at ${describeChar(text, start)}`, text, start);
  const after = start + match[0].length;
  return problem(`Invalid number: unexpected ${describeChar(text, after)}`, text, after);
}

function problem(message: string, text: string, start: number): JsonSyntaxError {
  return { message, start, end: Math.min(start + 1, text.length) };
}

/** `'x'`, `control character U+000A` or `end of input`, as messages name what was found. */
function describeChar(text: string, at: number): string {
  if (at >= text.length) return 'end of input';
  const cp = text.codePointAt(at)!;
  return cp < 0x20 ? `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${String.fromCodePoint(cp)}'`;
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
