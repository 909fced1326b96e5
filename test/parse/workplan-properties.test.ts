// Properties of parseWorkplan: any valid workplan, however written, parses back to its semantics;
// writing a field at insertOffset round-trips; no input ever makes it throw; work grows linearly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listTasks, type Workplan } from '../../src/model/workplan.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { decodeSource } from '../../src/parse/decode.js';
import { parseWorkplan } from '../../src/parse/workplan.js';
import { printDescription, printWorkplan, workplanSpecArbitrary, type WorkplanSpec } from '../support/print-workplan.js';

const RUNS = 150;

function semantics(workplan: Workplan) {
  return {
    id: workplan.frontmatter.data.id,
    title: workplan.frontmatter.data.title,
    h1: workplan.title?.text,
    domain: workplan.frontmatter.data.domain,
    status: workplan.frontmatter.data.status,
    owner: workplan.frontmatter.data.owner,
    uuid: workplan.frontmatter.data.workstreamUuid,
    eol: workplan.eol,
    hasBom: workplan.hasBom,
    phases: workplan.phases.map((p) => ({
      number: p.number,
      title: p.title,
      tasks: p.tasks.map((t) => ({
        id: t.id,
        uuid: t.taskUuid,
        label: t.label,
        title: t.title,
        status: t.status,
        priority: t.priority,
        form: t.metadata.form,
        description: t.description,
        phaseNumber: t.phaseNumber,
      })),
    })),
    dependencies: workplan.dependencies.map((d) => ({ kind: d.kind, targets: d.targets, uuid: d.dependencyUuid })),
  };
}

function expected(spec: WorkplanSpec) {
  return {
    id: spec.id,
    title: spec.title,
    h1: spec.title,
    domain: spec.domain,
    status: spec.status,
    owner: spec.owner,
    uuid: spec.uuid,
    eol: spec.eol,
    hasBom: spec.bom,
    phases: spec.phases.map((p) => ({
      number: p.number,
      title: p.title,
      tasks: p.tasks.map((t) => ({
        id: t.id,
        uuid: t.uuid,
        label: t.label,
        title: t.title,
        status: t.status,
        priority: t.priority,
        form: t.form,
        description: printDescription(t, spec.eol),
        phaseNumber: p.number,
      })),
    })),
    dependencies: spec.dependencies.map((d) => ({ kind: d.kind, targets: d.targets, uuid: d.uuid })),
  };
}

function expectSpansInside(text: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.span.start.offset).toBeGreaterThanOrEqual(0);
    expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
    expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
    expect(d.span.start.line).toBeGreaterThanOrEqual(1);
    expect(d.span.start.column).toBeGreaterThanOrEqual(1);
    expect(d.ruleId).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
  }
}

describe('parseWorkplan properties', () => {
  it('parses every printed valid workplan back to the semantics it was printed from', () => {
    fc.assert(
      fc.property(workplanSpecArbitrary, (spec) => {
        const text = printWorkplan(spec);
        const result = parseWorkplan('workplans/generated.md', text);
        expect(result.diagnostics).toEqual([]);
        expect(semantics(result.value!)).toEqual(expected(spec));
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips a state_hub_task_id written at insertOffset with linePrefix, in every metadata form', () => {
    fc.assert(
      fc.property(workplanSpecArbitrary, fc.nat(), (spec, pick) => {
        const text = printWorkplan(spec);
        const before = parseWorkplan('workplans/generated.md', text).value!;
        const tasks = listTasks(before).filter((t) => t.taskUuid === undefined);
        fc.pre(tasks.length > 0);
        const task = tasks[pick % tasks.length]!;
        const at = task.metadata.insertOffset;
        const needsBreak = at === text.length && !/[\r\n]$/.test(text);
        const uuid = '01234567-89ab-4cde-8f01-23456789abcd';
        const line = `${task.metadata.linePrefix}state_hub_task_id: ${uuid}`;
        const inserted = needsBreak ? `${before.eol}${line}` : `${line}${before.eol}`;
        const after = parseWorkplan('workplans/generated.md', text.slice(0, at) + inserted + text.slice(at));
        expect(after.diagnostics).toEqual([]);
        const updated = listTasks(after.value!);
        expect(updated.find((t) => t.id === task.id)!.taskUuid).toBe(uuid);
        const strip = (w: Workplan) =>
          semantics(w)
            .phases.flatMap((p) => p.tasks)
            .map((t) => (t.id === task.id ? { ...t, uuid: undefined } : t));
        expect(strip(after.value!)).toEqual(strip(before));
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips a state_hub_dependency_id item written at a dependency insertOffset', () => {
    fc.assert(
      fc.property(workplanSpecArbitrary, fc.nat(), (spec, pick) => {
        const text = printWorkplan(spec);
        const before = parseWorkplan('workplans/generated.md', text).value!;
        const open = before.dependencies.filter((d) => d.dependencyUuid === undefined);
        fc.pre(open.length > 0);
        const index = before.dependencies.indexOf(open[pick % open.length]!);
        const dependency = before.dependencies[index]!;
        const uuid = 'fedcba98-7654-4321-8fed-cba987654321';
        const line = `${dependency.linePrefix}**state_hub_dependency_id:** ${uuid}${before.eol}`;
        const at = dependency.insertOffset;
        const after = parseWorkplan('workplans/generated.md', text.slice(0, at) + line + text.slice(at));
        expect(after.diagnostics).toEqual([]);
        expect(after.value!.dependencies.map((d) => d.dependencyUuid)).toEqual(
          before.dependencies.map((d, i) => (i === index ? uuid : d.dependencyUuid)),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on arbitrary text and keeps every diagnostic inside the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const result = parseWorkplan('workplans/x.md', text);
        expect(Array.isArray(result.diagnostics)).toBe(true);
        expect(result.value !== undefined || result.diagnostics.length > 0).toBe(true);
        expect(result.diagnostics.map((d) => d.ruleId)).not.toContain('internal-error');
        expectSpansInside(text, result.diagnostics);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on Markdown-ish noise after a valid frontmatter', () => {
    const token = fc.constantFrom(
      '#',
      '## ',
      '### ',
      'Phase 1 — ',
      'Closure Review — 2026-01-01',
      '\n',
      '\r\n',
      '\r',
      '---',
      '===',
      '```',
      '```yaml\n',
      '~~~',
      '- ',
      '+ ',
      '* ',
      '> ',
      '    ',
      '\t',
      'id: ',
      'A-WP-1-T1',
      'status: ',
      'done',
      '**Blocks:** ',
      '**state_hub_dependency_id:** ',
      '`',
      '|',
      '| a | b |\n| - | - |\n',
      '<!--',
      '-->',
      '<div>',
      ': ',
      '[',
      ']',
      '(',
      ')',
      '\\',
      '&amp;',
      '\uFEFF',
      '😀',
      'x',
      ' ',
    );
    const noise = fc.array(token, { maxLength: 120 }).map((ts) => ts.join(''));
    fc.assert(
      fc.property(noise, (body) => {
        const text = `---\nid: A-WP-1\ntype: workplan\ntitle: T\ndomain: d\nstatus: active\n---\n${body}`;
        const result = parseWorkplan('workplans/x.md', text);
        expect(result.diagnostics.map((d) => d.ruleId)).not.toContain('internal-error');
        expectSpansInside(text, result.diagnostics);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on edits of a valid workplan (insertions and deletions anywhere)', () => {
    const edit = fc.tuple(
      fc.nat(),
      fc.nat({ max: 40 }),
      fc.constantFrom('', '\n', '\r\n', '---\n', '## ', '### ', 'id: ', '```', '- ', ':', '"', '\t', 'é'),
    );
    fc.assert(
      fc.property(workplanSpecArbitrary, fc.array(edit, { minLength: 1, maxLength: 5 }), (spec, edits) => {
        let text = printWorkplan(spec);
        for (const [at, remove, insert] of edits) {
          const start = at % (text.length + 1);
          text = text.slice(0, start) + insert + text.slice(start + remove);
        }
        const result = parseWorkplan('workplans/x.md', text);
        expect(result.diagnostics.map((d) => d.ruleId)).not.toContain('internal-error');
        expectSpansInside(text, result.diagnostics);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary bytes through decodeSource then parseWorkplan', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const decoded = decodeSource('workplans/x.md', bytes);
        expect(decoded.value !== undefined || decoded.diagnostics.length === 1).toBe(true);
        if (decoded.value) {
          const result = parseWorkplan('workplans/x.md', decoded.value.text);
          expect(result.diagnostics.map((d) => d.ruleId)).not.toContain('internal-error');
          expectSpansInside(decoded.value.text, result.diagnostics);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('parseWorkplan on large and hostile inputs', () => {
  const frontmatter = '---\nid: BIG-WP-0001\ntype: workplan\ntitle: Big\ndomain: d\nstatus: active\n---\n\n# Big\n\n## Phase 1 — All\n\n';
  const task = (i: number) =>
    `### P1.${i} — Task ${i}\n\nid: BIG-WP-0001-T${i}\nstatus: todo\npriority: low\n\nSome description with \`code\` and **bold**.\n\n- a list item\n- another\n\n`;
  const big = (n: number) => frontmatter + Array.from({ length: n }, (_, i) => task(i + 1)).join('');

  it('parses a workplan with 2,000 tasks completely', () => {
    const result = parseWorkplan('workplans/big.md', big(2000));
    expect(result.diagnostics).toEqual([]);
    expect(listTasks(result.value!)).toHaveLength(2000);
  });

  it('takes time roughly linear in the input size (8× input, well under 30× time)', () => {
    const small = big(60);
    const large = big(480);
    const time = (text: string) => {
      const start = performance.now();
      parseWorkplan('workplans/big.md', text);
      return performance.now() - start;
    };
    time(small); // warm up
    time(large);
    // The best of several interleaved rounds: a busy machine slows a round, not the parser's complexity.
    let smallest = Infinity;
    let largest = Infinity;
    for (let round = 0; round < 7; round++) {
      smallest = Math.min(smallest, time(small));
      largest = Math.min(largest, time(large));
    }
    expect(largest / Math.max(smallest, 1)).toBeLessThan(30);
  });

  it.each([
    ['a 200k-character line', `${'a-'.repeat(100_000)}\n`],
    ['deeply nested block quotes', `${'> '.repeat(2_000)}x\n`],
    ['deeply nested lists', Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')],
    ['100k emphasis markers', `${'*'.repeat(100_000)}\n`],
    ['50k open brackets', `${'['.repeat(50_000)}\n`],
    ['20k headings', '### P1.1 — x\n'.repeat(20_000)],
    ['a long dependency item of id-like text', `## Dependencies\n\n- **Blocks:** ${'A-B-'.repeat(50_000)}WP\n`],
    ['10k metadata lines', `## Phase 1 — x\n\n### P1.1 — y\n\n${'key: value\n'.repeat(10_000)}`],
  ])('completes on %s without an internal error', (_name, body) => {
    const text = `${frontmatter}${body}`;
    const result = parseWorkplan('workplans/hostile.md', text);
    expect(result.diagnostics.map((d) => d.ruleId)).not.toContain('internal-error');
  });
});
