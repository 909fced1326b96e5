// One generated workplan, shaped like the seed CUST-WP-0005: frontmatter (with mirror ids for most
// files), Summary, Context, Dependencies on earlier workplans, four phases of about five tasks each,
// Notes, and a Closure Review when completed. Pure: the text depends only on the Random and the spec.
import { DOMAINS, PEOPLE, addDays, bulletList, date, description, paragraph, plainTitle, slugify, title } from './corpus-prose.js';
import type { Random } from './random.js';

/**
 * How a workplan is proportioned (the varied corpus, corpus-varied.ts, draws one per file); without
 * one, the standard shape of the seed: four phases of 4–6 tasks, short prose.
 */
export interface WorkplanShape {
  phases: [number, number];
  tasksPerPhase: [number, number];
  /** Extra blocks of prose after the Context paragraph. */
  context: (rng: Random) => string[];
  description: (rng: Random) => string;
  /** Share of workplans that are completed (and carry a Closure Review). */
  completed: number;
}

export interface WorkplanSpec {
  /** 1-based number of the workplan in the corpus. */
  number: number;
  /** Digits of the workplan number (at least 4). */
  digits: number;
}

/** What other files may reference: a workplan's id and plain title. */
export interface WorkplanRef {
  id: string;
  title: string;
}

export type MetadataForm = 'lines' | 'yaml-fence' | 'list';

export interface GeneratedWorkplan {
  path: string;
  id: string;
  text: string;
  status: string;
  hasIds: boolean;
  tasks: number;
}

const OPEN = ['todo', 'in_progress', 'blocked'];
const STATUS_ALIASES: Record<string, string[]> = {
  todo: ['todo', 'todo', 'todo', 'pending'],
  in_progress: ['in_progress', 'in_progress', 'in-progress'],
  blocked: ['blocked'],
  done: ['done', 'done', 'done', 'complete'],
  cancelled: ['cancelled'],
  carried_forward: ['carried_forward'],
};
const PRIORITIES = ['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low'];

/** The id and title of workplan `number` (derivable without generating the file). */
export function workplanRef(rng: Random, spec: WorkplanSpec): WorkplanRef {
  const domain = DOMAINS[(spec.number - 1) % DOMAINS.length]!;
  return { id: `${domain.prefix}-WP-${String(spec.number).padStart(spec.digits, '0')}`, title: plainTitle(rng) };
}

/**
 * Generates workplan `spec.number`. `refRng` must be a fresh Random for this workplan's ref (the same
 * seed workplanRef used); `rng` drives everything else. `earlier` lists refs of lower-numbered workplans.
 */
export function generateWorkplan(
  refRng: Random,
  rng: Random,
  spec: WorkplanSpec,
  earlier: (count: number) => WorkplanRef[],
  shape?: WorkplanShape,
): GeneratedWorkplan {
  const ref = workplanRef(refRng, spec);
  const domain = DOMAINS[(spec.number - 1) % DOMAINS.length]!;
  const r = rng.next();
  const done = shape?.completed ?? 0.25;
  const status = r < done ? 'completed' : r < 0.7 ? 'active' : r < 0.88 ? 'planned' : r < 0.94 ? 'blocked' : 'draft';
  const completed = status === 'completed';
  const hasIds = rng.chance(0.8);
  const fileForm: MetadataForm = rng.chance(0.8) ? 'lines' : rng.chance(0.5) ? 'yaml-fence' : 'list';
  const eol = '\n';
  const out: string[] = [];

  // Frontmatter.
  const created = date(rng, 2023, 2025);
  const updated = addDays(created, rng.int(0, 300));
  out.push('---', `id: ${ref.id}`, 'type: workplan');
  out.push(rng.chance(0.5) ? `title: "${ref.title}"` : `title: ${ref.title}`);
  out.push(`domain: ${domain.slug}`);
  out.push(`status: ${completed && rng.chance(0.1) ? 'done' : status}`);
  if (rng.chance(0.9)) out.push(`owner: ${rng.chance(0.5) ? domain.slug : slugify(rng.pick(PEOPLE))}`);
  if (rng.chance(0.7)) out.push(`topic_slug: ${domain.slug}`);
  if (hasIds) out.push(`state_hub_workstream_id: ${rng.uuid()}`);
  out.push(`created: ${created}`, `updated: ${updated}`);
  if (completed) out.push(`completed: ${updated}`);
  if (rng.chance(0.15)) out.push(`tags: [${rng.sample(['api', 'db', 'ui', 'ops', 'docs', 'security'], 2).join(', ')}]`);
  if (rng.chance(0.08)) out.push('# reviewed at the planning meeting');
  out.push('---', '', `# ${ref.title}`, '');

  out.push('## Summary', '', paragraph(rng, 2, 3), '');
  out.push('## Context', '', paragraph(rng, 2, 3), '');
  if (rng.chance(0.3)) out.push(paragraph(rng, 1, 2), '');
  if (shape) for (const block of shape.context(rng)) out.push(block, '');

  // Dependencies on earlier workplans (their ids exist in the corpus).
  out.push('## Dependencies', '');
  const targets = earlier(rng.int(0, 3));
  if (targets.length === 0) out.push('- **Related:** none', '');
  else {
    for (const target of targets) {
      const label = rng.pick(['Blocks', 'Depends on', 'Depends on', 'Related']);
      const colon = rng.chance(0.8) ? `**${label}:**` : `**${label}**:`;
      out.push(`- ${colon} \`${target.id}\` (${target.title}) — ${paragraph(rng, 1, 1).replace(/\n/g, ' ')}`);
      if (hasIds) {
        const id = `**state_hub_dependency_id:** ${rng.uuid()}`;
        out.push(rng.chance(0.8) ? `- ${id}` : `  - ${id}`);
      }
    }
    out.push('');
  }

  // Four phases of ~5 tasks. Completed workplans close every task.
  const tasks: Array<{ id: string; title: string; status: string }> = [];
  let taskNumber = 0;
  const phases = shape ? rng.int(...shape.phases) : 4;
  for (let phase = 1; phase <= phases; phase++) {
    const sep = rng.chance(0.9) ? ' — ' : ': ';
    out.push(`## Phase ${phase}${sep}${plainTitle(rng)}`, '');
    const count = rng.int(...(shape?.tasksPerPhase ?? [4, 6]));
    for (let k = 1; k <= count; k++) {
      taskNumber++;
      const taskId = `${ref.id}-T${String(taskNumber).padStart(2, '0')}`;
      const taskTitle = title(rng);
      const labelStyle = rng.next();
      const heading =
        labelStyle < 0.85
          ? `P${phase}.${k} — ${taskTitle}`
          : labelStyle < 0.93
            ? `T${String(taskNumber).padStart(2, '0')}: ${taskTitle}`
            : taskTitle;
      let taskStatus: string;
      if (completed) {
        const c = rng.next();
        taskStatus = c < 0.86 ? 'done' : c < 0.94 ? 'cancelled' : 'carried_forward';
      } else {
        const progress = status === 'planned' || status === 'draft' ? 0.05 : 0.45;
        const c = rng.next();
        taskStatus = c < progress ? 'done' : c < progress + 0.15 ? 'in_progress' : c < progress + 0.2 ? 'blocked' : 'todo';
      }
      tasks.push({ id: taskId, title: taskTitle.replace(/`/g, ''), status: taskStatus });
      const fields: Array<[string, string]> = [['id', taskId]];
      if (hasIds && rng.chance(0.95)) fields.push(['state_hub_task_id', rng.uuid()]);
      fields.push(['status', rng.pick(STATUS_ALIASES[taskStatus]!)]);
      if (rng.chance(0.9)) fields.push(['priority', rng.pick(PRIORITIES)]);
      if (rng.chance(0.1)) fields.push(['estimate', `${rng.int(1, 8)}d`]);
      const form: MetadataForm = rng.chance(0.95) ? fileForm : rng.pick(['lines', 'yaml-fence', 'list'] as const);
      out.push(`### ${heading}`, '', renderMetadata(form, fields), '', (shape?.description ?? description)(rng), '');
    }
  }

  out.push('## Notes', '', bulletList(rng, '-', 2, 3), '');

  if (completed) out.push(...renderClosureReview(rng, updated, tasks, earlier));

  const text = `${out.join(eol).replace(/\n+$/, '')}\n`;
  return {
    path: `workplans/${ref.id}-${slugify(ref.title, 40)}.md`,
    id: ref.id,
    text,
    status,
    hasIds,
    tasks: tasks.length,
  };
}

function renderMetadata(form: MetadataForm, fields: Array<[string, string]>): string {
  switch (form) {
    case 'lines':
      return fields.map(([k, v]) => `${k}: ${v}`).join('\n');
    case 'yaml-fence':
      return ['```yaml', ...fields.map(([k, v]) => `${k}: ${k === 'estimate' ? `"${v}"` : v}`), '```'].join('\n');
    case 'list':
      return fields.map(([k, v]) => `- ${k}: ${v}`).join('\n');
  }
}

function renderClosureReview(
  rng: Random,
  reviewDate: string,
  tasks: Array<{ id: string; title: string; status: string }>,
  earlier: (count: number) => WorkplanRef[],
): string[] {
  const done = tasks.filter((t) => t.status === 'done');
  const cancelled = tasks.filter((t) => t.status === 'cancelled');
  const carried = tasks.filter((t) => t.status === 'carried_forward');
  const out = [`## Closure Review — ${addDays(reviewDate, rng.int(0, 14))}`, ''];
  out.push(
    `**Outcome:** ${done.length} of ${tasks.length} tasks completed. ${carried.length} carried forward, ${cancelled.length} dropped.`,
    '',
    `**Context:** ${paragraph(rng, 2, 3)}`,
    '',
  );
  const targetFor = () => earlier(1)[0]?.id;
  if (rng.chance(0.2)) {
    // The classification-table form.
    out.push('| Task | Title | Classification | Note/Target |', '| ---- | ----- | -------------- | ----------- |');
    for (const t of tasks) {
      if (OPEN.includes(t.status)) continue;
      const cls = t.status === 'done' ? 'done' : t.status === 'cancelled' ? 'dropped' : 'carry-forward';
      const note = t.status === 'carried_forward' ? (targetFor() ?? 'next quarter') : '';
      out.push(`| \`${t.id}\` | ${t.title} | ${cls} | ${note} |`);
    }
    out.push('');
    return out;
  }
  out.push('### Completed', '');
  out.push(...done.map((t) => `- \`${t.id}\` — ${t.title}`), '');
  if (carried.length > 0) {
    out.push('### Carry-forward', '');
    for (const t of carried) {
      const target = targetFor();
      out.push(`- \`${t.id}\` — ${t.title}${target ? ` → ${target} (phase ${rng.int(1, 4)} there)` : ''}`);
    }
    out.push('');
  }
  if (cancelled.length > 0) {
    out.push('### Cancelled', '');
    out.push(...cancelled.map((t) => `- \`${t.id}\` — ${t.title}`), '');
  }
  if (rng.chance(0.3)) out.push('### Cancelled (DB records only — legacy stale rows)', '', paragraph(rng, 1, 2), '');
  return out;
}
