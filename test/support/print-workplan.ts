// Random valid workplans for property tests: a fast-check arbitrary for a workplan spec, and a printer
// that renders the spec as Markdown in any of the accepted styles (metadata forms, heading styles,
// bullets, separators, CRLF/LF, BOM, final newline or not). The spec holds the expected semantics.
import fc from 'fast-check';
import type { DependencyKind, MetadataForm } from '../../src/model/workplan.js';

export interface TaskSpec {
  id: string;
  uuid: string | undefined;
  label: string;
  title: string;
  /** The status as written (canonical value, alias or other case) and what it normalises to. */
  statusWritten: string | undefined;
  status: string;
  priorityWritten: string | undefined;
  priority: string;
  form: MetadataForm;
  bullet: '-' | '*' | '+';
  /** Paragraphs of description lines (empty: no description). */
  description: string[][];
}

export interface PhaseSpec {
  number: number;
  title: string;
  separator: '—' | '–' | '-' | ':';
  setext: boolean;
  tasks: TaskSpec[];
}

export interface DependencySpec {
  kind: DependencyKind;
  label: string;
  targets: string[];
  uuid: string | undefined;
  uuidPlacement: 'item' | 'nested' | 'inline';
  bullet: '-' | '*' | '+';
}

export interface WorkplanSpec {
  id: string;
  title: string;
  domain: string;
  statusWritten: string;
  status: string;
  owner: string | undefined;
  uuid: string | undefined;
  eol: '\n' | '\r\n';
  bom: boolean;
  finalNewline: boolean;
  setextTitle: boolean;
  summary: string[];
  dependencies: DependencySpec[];
  phases: PhaseSpec[];
}

// Characters that can never form Markdown syntax inside a title or a description line.
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WORD_CHARS = `${LETTERS}0123456789éüßøçñ日本語中文ÄÖÜ한국어ßπλ😀🚀`;
const word = fc
  .tuple(fc.constantFrom(...LETTERS), fc.array(fc.constantFrom(...WORD_CHARS.split(/(?:)/u)), { maxLength: 8 }))
  .map(([first, rest]) => first + rest.join(''));
const phrase = (max: number) => fc.array(word, { minLength: 1, maxLength: max }).map((ws) => ws.join(' '));
// A title whose first word ends with a colon (`T1: …`) reads as a labelled task heading; avoid it.
const punctuated = fc
  .tuple(phrase(6), fc.constantFrom('', '.', ',', '?', ' (note)', ' / x', ' + y', ": it's"))
  .map(([p, tail]) => p + tail)
  .filter((t) => !/^\S+:/.test(t));
const hex = (n: number) => fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: n, maxLength: n }).map((a) => a.join(''));
const uuid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));
const workplanId = fc
  .tuple(
    fc.stringMatching(/^[A-Z][A-Z0-9]{0,4}$/),
    fc.option(fc.stringMatching(/^[A-Z0-9]{1,3}$/), { nil: undefined }),
    fc.integer({ min: 1, max: 9999 }),
  )
  .map(([prefix, middle, n]) => `${prefix}${middle ? `-${middle}` : ''}-WP-${String(n).padStart(4, '0')}`);

/** Written forms of vocabulary values, with the canonical value they normalise to. */
const TASK_STATUS = fc.constantFrom<[string, string]>(
  ['todo', 'todo'],
  ['TODO', 'todo'],
  ['pending', 'todo'],
  ['in_progress', 'in_progress'],
  ['In Progress', 'in_progress'],
  ['wip', 'in_progress'],
  ['blocked', 'blocked'],
  ['done', 'done'],
  ['Completed', 'done'],
  ['cancelled', 'cancelled'],
  ['canceled', 'cancelled'],
  ['carried_forward', 'carried_forward'],
  ['carry-forward', 'carried_forward'],
);
const CLOSED_TASK_STATUS = fc.constantFrom<[string, string]>(
  ['done', 'done'],
  ['cancelled', 'cancelled'],
  ['carried_forward', 'carried_forward'],
);
const PRIORITY = fc.constantFrom<[string, string]>(
  ['critical', 'critical'],
  ['high', 'high'],
  ['High', 'high'],
  ['medium', 'medium'],
  ['low', 'low'],
  ['p0', 'critical'],
  ['normal', 'medium'],
);
const WORKSTREAM_STATUS = fc.constantFrom<[string, string]>(
  ['draft', 'draft'],
  ['planned', 'planned'],
  ['active', 'active'],
  ['Active', 'active'],
  ['wip', 'active'],
  ['blocked', 'blocked'],
  ['completed', 'completed'],
  ['done', 'completed'],
  ['archived', 'archived'],
  ['cancelled', 'cancelled'],
);
const DEPENDENCY_LABEL = fc.constantFrom<[DependencyKind, string]>(
  ['blocks', 'Blocks'],
  ['depends_on', 'Depends on'],
  ['depends_on', 'Blocked by'],
  ['related', 'Related'],
);
const bullet = fc.constantFrom<'-' | '*' | '+'>('-', '*', '+');

const taskShape = (closed: boolean) =>
  fc.record({
    uuid: fc.option(uuid, { nil: undefined }),
    labelled: fc.boolean(),
    title: punctuated,
    status: fc.option(closed ? CLOSED_TASK_STATUS : TASK_STATUS, { nil: undefined, freq: 5 }),
    priority: fc.option(PRIORITY, { nil: undefined }),
    form: fc.constantFrom<MetadataForm>('lines', 'yaml-fence', 'list'),
    bullet,
    description: fc.array(fc.array(punctuated, { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
  });

/** A random valid workplan spec. */
export const workplanSpecArbitrary: fc.Arbitrary<WorkplanSpec> = fc
  .record({
    id: workplanId,
    title: punctuated,
    // Plain YAML scalars that the core schema would read as booleans or null are not domains.
    domain: fc.stringMatching(/^[a-z][a-z_]{0,11}$/).filter((d) => !['true', 'false', 'null'].includes(d)),
    status: WORKSTREAM_STATUS,
    owner: fc.option(phrase(2), { nil: undefined }),
    uuid: fc.option(uuid, { nil: undefined }),
    eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
    setextTitle: fc.boolean(),
    summary: fc.array(punctuated, { maxLength: 3 }),
    dependencies: fc.array(
      fc.record({
        label: DEPENDENCY_LABEL,
        targets: fc.uniqueArray(workplanId, { minLength: 1, maxLength: 3 }),
        uuid: fc.option(uuid, { nil: undefined }),
        uuidPlacement: fc.constantFrom<'item' | 'nested' | 'inline'>('item', 'nested', 'inline'),
        bullet,
      }),
      { maxLength: 3 },
    ),
    phaseCount: fc.integer({ min: 1, max: 4 }),
    phaseNumbers: fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 4, maxLength: 4 }),
    phaseTitles: fc.array(punctuated, { minLength: 4, maxLength: 4 }),
    separators: fc.array(fc.constantFrom<'—' | '–' | '-' | ':'>('—', '–', '-', ':'), { minLength: 4, maxLength: 4 }),
    setext: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    tasks: fc.array(fc.array(fc.tuple(taskShape(false), taskShape(true)), { maxLength: 4 }), { minLength: 4, maxLength: 4 }),
  })
  .map((r): WorkplanSpec => {
    const completed = r.status[1] === 'completed';
    let n = 0;
    const phases = Array.from(
      { length: r.phaseCount },
      (_, p): PhaseSpec => ({
        number: r.phaseNumbers[p]!,
        title: r.phaseTitles[p]!,
        separator: r.separators[p]!,
        setext: r.setext[p]!,
        tasks: r.tasks[p]!.map(([open, closed], t): TaskSpec => {
          const shape = completed ? closed : open;
          n++;
          return {
            id: `${r.id}-T${String(n).padStart(2, '0')}`,
            uuid: shape.uuid,
            label: shape.labelled ? `P${p + 1}.${t + 1}` : '',
            title: shape.title,
            statusWritten: shape.status?.[0],
            status: shape.status?.[1] ?? (completed ? 'done' : 'todo'),
            priorityWritten: shape.priority?.[0],
            priority: shape.priority?.[1] ?? 'medium',
            form: shape.form,
            bullet: shape.bullet,
            description: shape.description,
          };
        }),
      }),
    );
    // A completed workplan's tasks must all be closed, so a default (todo) status is written out.
    if (completed) for (const task of phases.flatMap((p) => p.tasks)) task.statusWritten ??= task.status;
    return {
      id: r.id,
      title: r.title,
      domain: r.domain,
      statusWritten: r.status[0],
      status: r.status[1],
      owner: r.owner,
      uuid: r.uuid,
      eol: r.eol,
      bom: r.bom,
      finalNewline: r.finalNewline,
      setextTitle: r.setextTitle,
      summary: r.summary,
      dependencies: r.dependencies.map((d) => ({
        kind: d.label[0],
        label: d.label[1],
        targets: d.targets,
        uuid: d.uuid,
        uuidPlacement: d.uuidPlacement,
        bullet: d.bullet,
      })),
      phases,
    };
  });

/** Renders a spec as a workplan Markdown file. */
export function printWorkplan(spec: WorkplanSpec): string {
  const out: string[] = [
    '---',
    `id: ${spec.id}`,
    'type: workplan',
    `title: ${JSON.stringify(spec.title)}`,
    `domain: ${spec.domain}`,
    `status: ${spec.statusWritten}`,
  ];
  if (spec.owner !== undefined) out.push(`owner: ${JSON.stringify(spec.owner)}`);
  if (spec.uuid !== undefined) out.push(`state_hub_workstream_id: ${spec.uuid}`);
  out.push('---', '');
  pushHeading(out, 1, spec.title, spec.setextTitle);
  if (spec.summary.length > 0) {
    pushHeading(out, 2, 'Summary', false);
    out.push(...spec.summary, '');
  }
  if (spec.dependencies.length > 0) {
    pushHeading(out, 2, 'Dependencies', false);
    for (const d of spec.dependencies) {
      const targets = d.targets.map((t, i) => (i % 2 === 0 ? `\`${t}\`` : t)).join(', ');
      const inline = d.uuid !== undefined && d.uuidPlacement === 'inline' ? ` **state_hub_dependency_id:** ${d.uuid}` : '';
      out.push(`${d.bullet} **${d.label}:** ${targets} (some reason)${inline}`);
      if (d.uuid !== undefined && d.uuidPlacement === 'nested') out.push(`  ${d.bullet} **state_hub_dependency_id:** ${d.uuid}`);
      if (d.uuid !== undefined && d.uuidPlacement === 'item') out.push(`${d.bullet} **state_hub_dependency_id:** ${d.uuid}`);
      // A different bullet would start a new list; a blank line keeps items of one kind apart.
    }
    out.push('');
  }
  for (const phase of spec.phases) {
    const sep = phase.separator === ':' ? ':' : ` ${phase.separator}`;
    pushHeading(out, 2, `Phase ${phase.number}${sep} ${phase.title}`, phase.setext);
    for (const task of phase.tasks) {
      out.push(`### ${task.label ? `${task.label} — ` : ''}${task.title}`, '');
      const fields: string[] = [`id: ${task.id}`];
      if (task.uuid !== undefined) fields.push(`state_hub_task_id: ${task.uuid}`);
      if (task.statusWritten !== undefined) fields.push(`status: ${task.statusWritten}`);
      if (task.priorityWritten !== undefined) fields.push(`priority: ${task.priorityWritten}`);
      if (task.form === 'lines') out.push(...fields);
      else if (task.form === 'list') out.push(...fields.map((f) => `${task.bullet} ${f}`));
      else out.push('```yaml', ...fields, '```');
      if (task.description.length > 0) out.push('', ...printDescription(task, spec.eol).split(spec.eol));
      out.push('');
    }
  }
  if (spec.status === 'completed') {
    pushHeading(out, 2, 'Closure Review — 2026-03-02', false);
    out.push('**Outcome:** Closed.', '');
    const tasks = spec.phases.flatMap((p) => p.tasks);
    const groups: [string, string][] = [
      ['done', 'Completed'],
      ['cancelled', 'Cancelled'],
      ['carried_forward', 'Carry-forward'],
    ];
    for (const [status, heading] of groups) {
      const members = tasks.filter((t) => t.status === status);
      if (members.length === 0) continue;
      out.push(`### ${heading}`, '');
      for (const t of members) out.push(`- \`${t.id}\` — ${t.title}${status === 'carried_forward' ? ' → NEXT-WP-0001' : ''}`);
      out.push('');
    }
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  const text = out.join(spec.eol) + (spec.finalNewline ? spec.eol : '');
  return (spec.bom ? '\uFEFF' : '') + text;
}

/** The description exactly as the parser must return it. */
export function printDescription(task: TaskSpec, eol: string): string {
  return task.description.map((lines) => lines.join(eol)).join(eol + eol);
}

function pushHeading(out: string[], depth: 1 | 2, text: string, setext: boolean): void {
  if (setext) out.push(text, (depth === 1 ? '=' : '-').repeat(Math.max(3, Math.min(text.length, 20))), '');
  else out.push(`${'#'.repeat(depth)} ${text}`, '');
}
