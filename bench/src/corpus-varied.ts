// The varied corpus shape (`--shape varied`): real plans are not all shaped like the seed. Each
// workplan draws one of four shapes — long prose (few tasks, long descriptions with nested and loose
// lists, links, emphasis, block quotes, tables), many small tasks (a one-line description each), a
// big closure review (many tasks, mostly completed), or the standard shape — and the corpus holds one
// ADR per two workplans, with longer bodies. Pure: the text depends only on the Random.
import { bulletList, description, entity, fencedCode, numberedList, paragraph, sentence, table } from './corpus-prose.js';
import type { WorkplanShape } from './corpus-workplan.js';
import type { Random } from './random.js';

export type VariedShapeName = 'long-prose' | 'many-tasks' | 'big-closure' | 'standard';

const SHAPES: Record<VariedShapeName, WorkplanShape> = {
  'long-prose': {
    phases: [2, 3],
    tasksPerPhase: [2, 3],
    context: (rng) => richProse(rng, 4, 7),
    description: (rng) => [paragraph(rng, 1, 2), ...richProse(rng, 3, 6)].join('\n\n'),
    completed: 0.25,
  },
  'many-tasks': { phases: [4, 7], tasksPerPhase: [6, 12], context: () => [], description: (rng) => sentence(rng), completed: 0.25 },
  'big-closure': { phases: [4, 6], tasksPerPhase: [6, 9], context: (rng) => richProse(rng, 1, 2), description, completed: 0.9 },
  standard: { phases: [4, 4], tasksPerPhase: [4, 6], context: () => [], description, completed: 0.25 },
};

/** The shape of one workplan of the varied corpus. */
export function pickVariedShape(rng: Random): { name: VariedShapeName; shape: WorkplanShape } {
  const r = rng.next();
  const name: VariedShapeName = r < 0.3 ? 'long-prose' : r < 0.6 ? 'many-tasks' : r < 0.8 ? 'big-closure' : 'standard';
  return { name, shape: SHAPES[name] };
}

/** `min`–`max` blocks of prose as people write it in plans and decision records. */
export function richProse(rng: Random, min: number, max: number): string[] {
  return Array.from({ length: rng.int(min, max) }, () => {
    const r = rng.next();
    if (r < 0.3) return linkedParagraph(rng);
    if (r < 0.45) return nestedList(rng);
    if (r < 0.55) return looseList(rng);
    if (r < 0.62) return `> **Note:** ${sentence(rng)}\n> ${sentence(rng)}`;
    if (r < 0.7) return checklist(rng);
    if (r < 0.76) return table(rng);
    if (r < 0.82) return fencedCode(rng);
    if (r < 0.88) return numberedList(rng, 3, 6);
    if (r < 0.92) return `<!-- ${sentence(rng)} -->`;
    return paragraph(rng, 3, 6);
  });
}

function linkedParagraph(rng: Random): string {
  const link = `[${entity(rng)} runbook](https://wiki.example.com/${entity(rng)}#${rng.pick(['rollout', 'backfill', 'alerts'])})`;
  return `${paragraph(rng, 1, 2)} See ${link} and *${rng.pick(['the on-call notes', 'the design doc', 'last quarter’s review'])}*; **${rng.pick(['do not', 'always', 'only'])}** ${sentence(rng).toLowerCase()}\n${paragraph(rng, 1, 2)}`;
}

function nestedList(rng: Random): string {
  const items: string[] = [];
  for (let i = 0; i < rng.int(2, 4); i++) {
    items.push(`- ${sentence(rng)}`);
    if (rng.chance(0.6)) items.push(bulletList(rng, '-', 1, 3).replace(/^/gm, '  '));
    if (rng.chance(0.2)) items.push(numberedList(rng, 1, 2).replace(/^/gm, '    '));
  }
  return items.join('\n');
}

function looseList(rng: Random): string {
  return Array.from({ length: rng.int(2, 3) }, () => `* ${paragraph(rng, 1, 2).replace(/\n/g, '\n  ')}\n\n  ${sentence(rng)}`).join('\n\n');
}

function checklist(rng: Random): string {
  return Array.from({ length: rng.int(2, 5) }, () => `- [${rng.chance(0.5) ? 'x' : ' '}] ${sentence(rng)}`).join('\n');
}
