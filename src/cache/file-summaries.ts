// What the cross-file rules need to know of each workplan and ADR — workplan and task ids, mirror
// uuids, dependency targets, ADR ids, and the line each sits on — kept in one compact file, so the
// pre-commit hook can judge a staged file against a thousand others without reading or parsing them.
//
// Entries are keyed by git blob id and path: the hook learns blob ids from `git ls-files -s` without
// reading a blob, and an ADR's id can come from its file name. The file (NDJSON, appended to, one
// per cache schema, package version and configuration) lives beside the prepared-file cache; a
// missing, torn or unreadable line is a miss, never a wrong answer, so it is safe to delete.
//
// A summary keeps lines, not columns or offsets: it stands for files whose own diagnostics are not
// being reported (the hook reports only on staged files, which it parses in full), and the other
// file's line is all a cross-file message names ("also used by workplans/x.md:12").
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdrLinkSubject } from '../parse/adr-links.js';
import type { Span } from '../model/diagnostic.js';
import { createLineIndex } from '../model/position.js';
import type { WorkplanSummary } from '../reconcile/check-repository.js';
import { sortTextEdits } from '../writeback/apply-text-edits.js';
import type { PreparedFile } from '../reconcile/prepare-file.js';

/** What the cross-file rules need of one file; `workplan` / `adrId` are absent when the parser produced no model. */
export type FileSummary = { kind: 'workplan'; workplan?: CompactWorkplan } | { kind: 'adr'; adrId?: string };

/** A WorkplanSummary reduced to values and line numbers. */
export interface CompactWorkplan {
  id: string;
  line: number;
  /** The workstream's mirror uuid and its line. */
  uuid?: [value: string, line: number];
  tasks: Array<[id: string, line: number, uuid?: string, uuidLine?: number]>;
  dependencies: Array<[targets: string[], line: number, uuid?: string]>;
}

/** One file's summary under its blob id and path. */
export interface FileSummaryEntry {
  oid: string;
  path: string;
  summary: FileSummary;
}

const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;

/** The summary of a prepared (parsed) file. Pure. */
export function summarizePreparedFile(prepared: PreparedFile): FileSummary {
  if (prepared.kind === 'adr') return prepared.adr ? { kind: 'adr', adrId: prepared.adr.id } : { kind: 'adr' };
  return prepared.summary ? { kind: 'workplan', workplan: compactWorkplan(prepared.summary) } : { kind: 'workplan' };
}

function compactWorkplan(s: WorkplanSummary): CompactWorkplan {
  return {
    id: s.id,
    line: s.idSpan.start.line,
    ...(s.workstreamUuid ? { uuid: [s.workstreamUuid.value, s.workstreamUuid.span.start.line] as [string, number] } : {}),
    tasks: s.tasks.map((t) => (t.uuid ? [t.id, t.span.start.line, t.uuid.value, t.uuid.span.start.line] : [t.id, t.span.start.line])),
    dependencies: s.dependencies.map((d) => (d.uuid ? [d.targets, d.span.start.line, d.uuid] : [d.targets, d.span.start.line])),
  };
}

/** The WorkplanSummary the cross-file rules take, with line-only spans (column 1, offset 0). Pure. */
export function expandWorkplanSummary(path: string, c: CompactWorkplan): WorkplanSummary {
  return {
    path,
    id: c.id,
    idSpan: lineSpan(c.line),
    ...(c.uuid ? { workstreamUuid: { value: c.uuid[0], span: lineSpan(c.uuid[1]) } } : {}),
    tasks: c.tasks.map(([id, line, uuid, uuidLine]) => ({
      id,
      span: lineSpan(line),
      ...(uuid !== undefined ? { uuid: { value: uuid, span: lineSpan(uuidLine ?? line) } } : {}),
    })),
    dependencies: c.dependencies.map(([targets, line, uuid]) => ({
      targets,
      span: lineSpan(line),
      ...(uuid !== undefined ? { uuid } : {}),
    })),
  };
}

/**
 * An ADR that takes part in the cross-file ADR rules by its id only (checkAdrLinks reports on it,
 * but those reports are not shown: it is not a file being judged). Pure.
 */
export function adrStandIn(path: string, id: string): AdrLinkSubject {
  return { path, id, links: [] };
}

/**
 * Every value by which a workplan can meet another in the cross-file rules (checkWorkplanSet): its
 * id, task ids and dependency targets, and its mirror uuids (lower-cased, as the rules compare them).
 * Pure.
 */
export function crossFileKeys(workplans: readonly WorkplanSummary[]): Set<string> {
  const keys = new Set<string>();
  for (const wp of workplans) {
    keys.add(wp.id);
    if (wp.workstreamUuid) keys.add(wp.workstreamUuid.value.toLowerCase());
    for (const t of wp.tasks) {
      keys.add(t.id);
      if (t.uuid) keys.add(t.uuid.value.toLowerCase());
    }
    for (const d of wp.dependencies) {
      for (const target of d.targets) keys.add(target);
      if (d.uuid) keys.add(d.uuid.toLowerCase());
    }
  }
  return keys;
}

/**
 * Whether a summarised workplan holds one of `keys` (its id, a task id or a uuid): only then can it
 * change what the cross-file rules report on the workplans the keys came from. Pure.
 */
export function sharesKey(c: CompactWorkplan, keys: ReadonlySet<string>): boolean {
  if (keys.has(c.id) || (c.uuid !== undefined && keys.has(c.uuid[0].toLowerCase()))) return true;
  for (const [id, , uuid] of c.tasks) if (keys.has(id) || (uuid !== undefined && keys.has(uuid.toLowerCase()))) return true;
  for (const [, , uuid] of c.dependencies) if (uuid !== undefined && keys.has(uuid.toLowerCase())) return true;
  return false;
}

function lineSpan(line: number): Span {
  const at = { line, column: 1, offset: 0 };
  return { start: at, end: at };
}

/**
 * The summary of the text a sync wrote after putting `prepared`'s pending ids into it, without parsing
 * it: the same ids, the lines shifted past the inserted lines, and the uuids read back from where they
 * were inserted. Undefined unless `written` holds every pending edit where it belongs (with a uuid in
 * place of the placeholder): a text that is not exactly that write-back gets no summary. Pure.
 */
export function deriveWrittenSummary(prepared: PreparedFile, written: string): FileSummary | undefined {
  if (prepared.kind !== 'workplan' || !prepared.summary || prepared.pendingIds.length === 0) return undefined;
  const edits = sortTextEdits(prepared.pendingIds.map((p) => p.edit));
  const byEdit = new Map(prepared.pendingIds.map((p) => [p.edit, p]));
  const lines = createLineIndex(written);
  // Where each edit landed in the written text, and the uuid it carries there.
  const landed: Array<{ end: number; delta: number; kind: string; key: string; uuid: string; uuidLine: number }> = [];
  let shift = 0;
  for (const edit of edits) {
    const at = edit.start + shift;
    const placeholder = UUID.exec(edit.text);
    if (!placeholder) return undefined;
    const inserted = written.slice(at, at + edit.text.length);
    const before = edit.text.slice(0, placeholder.index);
    const after = edit.text.slice(placeholder.index + placeholder[0].length);
    const uuid = inserted.slice(before.length, before.length + placeholder[0].length);
    if (
      inserted.length !== edit.text.length ||
      !inserted.startsWith(before) ||
      !inserted.endsWith(after) ||
      !UUID.test(uuid) ||
      uuid.length !== 36
    ) {
      return undefined;
    }
    const pending = byEdit.get(edit)!;
    const delta = edit.text.length - (edit.end - edit.start);
    landed.push({ end: edit.end, delta, kind: pending.kind, key: pending.key, uuid, uuidLine: lines.positionAt(at + before.length).line });
    shift += delta;
  }
  // An offset of the parsed text → its line in the written text (an insertion at an item's own
  // offset lands before it).
  const lineOf = (span: Span) => {
    let offset = span.start.offset;
    for (const l of landed) if (l.end <= span.start.offset) offset += l.delta;
    return lines.positionAt(offset).line;
  };
  const s = prepared.summary;
  const compact: CompactWorkplan = {
    id: s.id,
    line: lineOf(s.idSpan),
    ...(s.workstreamUuid ? { uuid: [s.workstreamUuid.value, lineOf(s.workstreamUuid.span)] as [string, number] } : {}),
    tasks: s.tasks.map((t) => (t.uuid ? [t.id, lineOf(t.span), t.uuid.value, lineOf(t.uuid.span)] : [t.id, lineOf(t.span)])),
    dependencies: s.dependencies.map((d) => (d.uuid ? [d.targets, lineOf(d.span), d.uuid] : [d.targets, lineOf(d.span)])),
  };
  for (const l of landed) {
    if (l.kind === 'workstream') {
      if (compact.uuid) return undefined;
      compact.uuid = [l.uuid, l.uuidLine];
    } else if (l.kind === 'task') {
      const task = compact.tasks.find((t) => t[0] === l.key && t[2] === undefined);
      if (!task) return undefined;
      task[2] = l.uuid;
      task[3] = l.uuidLine;
    } else {
      const index = Number(/#dep(\d+)$/.exec(l.key)?.[1] ?? NaN);
      const dependency = compact.dependencies[index];
      if (!dependency || dependency[2] !== undefined) return undefined;
      dependency[2] = l.uuid;
    }
  }
  return { kind: 'workplan', workplan: compact };
}

/** The summaries file of one cache key. Adapter (node:fs); every failure is a miss or a lost entry, never an error. */
export interface FileSummaryStore {
  /** Every entry, by `summaryKey(oid, path)` (read once; later calls return the same map, with what was recorded since). */
  load(): Promise<Map<string, FileSummary>>;
  /** Appends entries not known yet (recorded by this process or, once loaded, in the file). */
  record(entries: readonly FileSummaryEntry[]): Promise<void>;
  /** Rewrites the file with only the entries `keep` accepts, once other (stale) entries pass a quarter of those. */
  compact(keep: (key: string) => boolean): Promise<void>;
}

export function summaryKey(oid: string, path: string): string {
  return `${oid}\0${path}`;
}

/** Opens (lazily: nothing is read before `load`) the summaries file `summaries-v1-<cacheKey>.ndjson` in `dir`. */
export function openFileSummaryStore(dir: string, cacheKey: string): FileSummaryStore {
  const file = join(dir, `summaries-v1-${cacheKey.slice(0, 16)}.ndjson`);
  const known = new Map<string, FileSummary>();
  // Until `load`, only the keys of what was recorded are kept (a sync records every file it parses:
  // their summaries are in the file, not needed in memory).
  const recordedKeys = new Set<string>();
  let loaded: Promise<Map<string, FileSummary>> | undefined;
  let linesInFile = 0;
  let queue: string[] = [];
  let flushing: Promise<void> | undefined;

  const flush = async (): Promise<void> => {
    // One append per batch: the sets of one parse batch arrive together.
    await new Promise((resolve) => setImmediate(resolve));
    const lines = queue;
    queue = [];
    flushing = undefined;
    if (lines.length === 0) return;
    try {
      await mkdir(dir, { recursive: true });
      await appendFile(file, lines.join(''));
      linesInFile += lines.length;
    } catch {
      // Not recorded: the next run parses those files again.
    }
  };

  return {
    load() {
      loaded ??= (async () => {
        let text = '';
        try {
          text = await readFile(file, 'utf8');
        } catch {
          // Nothing on disk: what this process recorded (if anything) is still queued.
        }
        recordedKeys.clear();
        let lines = 0;
        const add = (line: string) => {
          const entry = parseLine(line);
          if (entry && !known.has(summaryKey(entry.oid, entry.path))) known.set(summaryKey(entry.oid, entry.path), entry.summary);
        };
        for (const line of text.split('\n')) {
          if (line === '') continue;
          lines++;
          add(line);
        }
        for (const line of queue) add(line.slice(0, -1));
        linesInFile = lines;
        return known;
      })();
      return loaded;
    },
    record(entries) {
      for (const e of entries) {
        const key = summaryKey(e.oid, e.path);
        if (known.has(key) || recordedKeys.has(key)) continue;
        if (loaded) known.set(key, e.summary);
        else recordedKeys.add(key);
        queue.push(`${JSON.stringify([e.oid, e.path, e.summary])}\n`);
      }
      return (flushing ??= flush());
    },
    async compact(keep) {
      await loaded;
      await flushing;
      const kept = [...known].filter(([key]) => keep(key));
      if (linesInFile <= kept.length + Math.max(200, kept.length / 4)) return;
      const temp = `${file}.${process.pid}.tmp`;
      try {
        const lines = kept.map(([key, summary]) => {
          const [oid, path] = key.split('\0') as [string, string];
          return `${JSON.stringify([oid, path, summary])}\n`;
        });
        await writeFile(temp, lines.join(''));
        // Appends by another process in the meantime are lost: they only cost a re-parse.
        await rename(temp, file);
        linesInFile = kept.length;
      } catch {
        // Left as it was.
      }
    },
  };
}

function parseLine(line: string): FileSummaryEntry | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [oid, path, summary] = value as [unknown, unknown, FileSummary | null];
    if (typeof oid !== 'string' || typeof path !== 'string' || !summary || (summary.kind !== 'workplan' && summary.kind !== 'adr'))
      return undefined;
    return { oid, path, summary };
  } catch {
    return undefined;
  }
}
