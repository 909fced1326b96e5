// The `## Dependencies` section: list items `**Blocks:** …`, `**Depends on:** …`, `**Related:** …` (or
// any label of the configured vocabulary, `vocabularies.dependencyKind`), each optionally followed
// (or containing) `**state_hub_dependency_id:** <uuid>`. Pure.
import type { List, ListItem, Paragraph, RootContent } from 'mdast';
import type { Vocabulary } from '../model/config.js';
import type { Dependency, DependencyKind } from '../model/workplan.js';
import type { WorkplanContext } from './workplan-context.js';
import { getNodeRange } from './node-range.js';
import { toPlainText } from './plain-text.js';
import { readLeadingLabel } from './leading-label.js';
import { findWorkplanIds } from './id-patterns.js';
import { findLineEnd, skipLineBreak } from './line-breaks.js';
import { isUuid } from './value-formats.js';

const kindLookups = new WeakMap<Vocabulary, Map<string, DependencyKind>>();

/** Label (simplified) → kind, for one vocabulary (built once). */
function kindLookupFor(vocabulary: Vocabulary): Map<string, DependencyKind> {
  let map = kindLookups.get(vocabulary);
  if (!map) {
    map = new Map();
    for (const [alias, kind] of Object.entries(vocabulary.aliases))
      if (vocabulary.values.includes(kind)) map.set(simplifyLabel(alias), kind);
    for (const kind of vocabulary.values) map.set(simplifyLabel(kind), kind);
    kindLookups.set(vocabulary, map);
  }
  return map;
}

/** Lower case, `-` and `_` as spaces, spaces collapsed: `Depends-On` and `depends_on` are `depends on`. */
function simplifyLabel(label: string): string {
  return label.toLowerCase().replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
}
const UUID_LABEL = 'state_hub_dependency_id';
const NONE = /^[\s.]*(?:none|n\/a|nothing|no dependencies|-|—|–)?[\s.]*$/i;

interface UuidValue {
  value: string;
  start: number;
  end: number;
}

/** Reads the dependency items of the section's top-level lists. */
export function readDependencies(ctx: WorkplanContext, nodes: readonly RootContent[]): Dependency[] {
  const dependencies: Dependency[] = [];
  // A uuid item may follow its dependency in the next list, when it uses another bullet character.
  let previous: Dependency | undefined;
  for (const node of nodes) {
    if (node.type !== 'list') {
      previous = undefined;
      continue;
    }
    for (const item of node.children) {
      const paragraph = item.children[0];
      const label = paragraph?.type === 'paragraph' ? readLeadingLabel(ctx.text, paragraph, true) : undefined;
      if (paragraph?.type !== 'paragraph' || !label) {
        previous = undefined;
        continue;
      }
      if (label.label === UUID_LABEL) {
        const uuid = readUuidValue(ctx, label.valueStart, getNodeRange(paragraph).end);
        if (previous && previous.dependencyUuid === undefined) assignUuid(ctx, previous, uuid);
        else {
          ctx.reporter.report(
            'dependency-id-orphan',
            getNodeRange(item).start,
            getNodeRange(item).end,
            previous
              ? `A second state_hub_dependency_id follows the same dependency`
              : 'state_hub_dependency_id does not follow a dependency item',
            'Put the `- **state_hub_dependency_id:** <uuid>` item directly after the **Blocks:** / **Depends on:** / **Related:** item it belongs to.',
            'warning',
          );
        }
        previous = undefined;
        continue;
      }
      const vocabulary = ctx.config.vocabularies.dependencyKind;
      const known = kindLookupFor(vocabulary).get(simplifyLabel(label.label));
      // A label the vocabulary does not know: prose, unless the item names a workplan; then it is
      // kept as a dependency of the default kind, with a warning.
      if (!known && findWorkplanIds(ctx.ids, toPlainText(paragraph)).length === 0) {
        previous = undefined;
        continue;
      }
      const dependency = readDependency(ctx, item, paragraph, known ?? vocabulary.default, label.valueStart);
      if (!known) {
        const { start } = getNodeRange(item);
        ctx.reporter.report(
          'dependency-label-unknown',
          start,
          getNodeRange(paragraph).end,
          `Dependency label "${label.label}" is not in the dependency vocabulary (${vocabulary.values.join(', ')}); the item is kept as "${vocabulary.default}"`,
          'Use one of the labels (Blocks, Depends on, Related, …), or map this one to a kind with "vocabularies.dependencyKind.aliases" in workplan.config.json.',
          'warning',
        );
      }
      // `**Related:** none` states that there is nothing: no dependency to mirror.
      previous = dependency.targets.length > 0 ? dependency : undefined;
      if (previous) dependencies.push(previous);
    }
  }
  return dependencies;
}

function readDependency(ctx: WorkplanContext, item: ListItem, paragraph: Paragraph, kind: DependencyKind, _valueStart: number): Dependency {
  const { text, lines } = ctx;
  const { start, end } = getNodeRange(item);
  const contentStart = getNodeRange(paragraph).start;
  const plain = item.children
    .filter((c) => c.type !== 'list')
    .map((c) => toPlainText(c))
    .join(' ');
  const dependency: Dependency = {
    kind,
    targets: findWorkplanIds(ctx.ids, plain),
    text: text.slice(contentStart, end),
    span: lines.spanOf(start, end),
    insertOffset: skipLineBreak(text, findLineEnd(text, end)),
    linePrefix: text.slice(lines.lineStart(lines.positionAt(start).line), contentStart),
  };
  // Inline: `**Blocks:** CUST-WP-0003 — … **state_hub_dependency_id:** <uuid>` in the item's own text.
  const paragraphEnd = getNodeRange(paragraph).end;
  const at = text.slice(contentStart, paragraphEnd).indexOf(UUID_LABEL);
  if (at !== -1) assignUuid(ctx, dependency, readUuidValue(ctx, contentStart + at + UUID_LABEL.length, paragraphEnd, true));
  // Nested: a sub-list item `- **state_hub_dependency_id:** <uuid>`.
  for (const child of item.children) {
    if (child.type !== 'list') continue;
    for (const sub of (child as List).children) {
      const p = sub.children[0];
      const label = p?.type === 'paragraph' ? readLeadingLabel(text, p, true) : undefined;
      if (p && label?.label === UUID_LABEL && dependency.dependencyUuid === undefined) {
        assignUuid(ctx, dependency, readUuidValue(ctx, label.valueStart, getNodeRange(p).end));
      }
    }
  }
  const afterLabel = toPlainText(paragraph).replace(/^[^:]*:/, '');
  if (dependency.targets.length === 0 && !NONE.test(afterLabel)) {
    ctx.reporter.report(
      'dependency-target-missing',
      start,
      end,
      `Dependency item "${truncate(dependency.text)}" names no workplan id`,
      'Name the other workplan by its id, e.g. **Blocks:** `CUST-WP-0003` (title).',
      'warning',
    );
  }
  return dependency;
}

/** Reads the value after a `state_hub_dependency_id` label: backticks, quotes and stray `*`/`:` are skipped. */
function readUuidValue(ctx: WorkplanContext, from: number, limit: number, skipLabelTail = false): UuidValue {
  const { text } = ctx;
  let i = from;
  const skippable = skipLabelTail ? ' \t*:`"\'' : ' \t`"\'';
  while (i < limit && skippable.includes(text[i]!)) i++;
  let e = i;
  while (e < limit && /[0-9A-Za-z_-]/.test(text[e]!)) e++;
  return { value: text.slice(i, e), start: i, end: e };
}

function assignUuid(ctx: WorkplanContext, dependency: Dependency, uuid: UuidValue): void {
  if (uuid.value === '') return;
  if (isUuid(uuid.value)) dependency.dependencyUuid = uuid.value;
  else {
    ctx.reporter.report(
      'uuid-invalid',
      uuid.start,
      uuid.end,
      `state_hub_dependency_id "${uuid.value}" is not a UUID`,
      'Use the UUID the mirror assigned (8-4-4-4-12 hex digits), or delete the item and let workplan-sync fill it in.',
    );
  }
}

function truncate(value: string): string {
  const line = value.split(/\r\n|\r|\n/, 1)[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
