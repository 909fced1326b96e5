// fast-check arbitrary of workplan Markdown texts, written out by hand (not through the parser):
// random line endings, BOM, trailing spaces and tabs, metadata forms, ids present or missing,
// non-ASCII titles and a missing final line break.
import fc from 'fast-check';

export interface GeneratedWorkplan {
  text: string;
  eol: '\n' | '\r\n';
}

const UUID = fc.uuid({ version: 4 });
/** Mostly missing (to be assigned), sometimes present already. */
const MAYBE_UUID = fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: UUID, weight: 1 });
const WORD = fc.constantFrom('alpha', 'Beta', 'données', '日本語', 'emoji 😀', 'tab\there', 'a-b_c', 'x.y');
const TRAIL = fc.constantFrom('', '', '', ' ', '  ', '\t');

const title = fc.array(WORD, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const status = fc.constantFrom('todo', 'in_progress', 'done', 'blocked');
const priority = fc.constantFrom('high', 'medium', 'low');

const taskArb = fc.record({
  title,
  form: fc.constantFrom('lines', 'list-dash', 'list-star', 'fence', 'fence-indented'),
  uuid: MAYBE_UUID,
  idFirst: fc.boolean(),
  status: fc.option(status, { nil: undefined }),
  priority: fc.option(priority, { nil: undefined }),
  sep: fc.constantFrom(': ', ': ', ':  ', ':\t'),
  trails: fc.array(TRAIL, { minLength: 4, maxLength: 4 }),
  description: fc.option(title, { nil: undefined }),
});

const dependencyArb = fc.record({
  kind: fc.constantFrom('Blocks', 'Depends on', 'Related'),
  target: fc.integer({ min: 1, max: 99 }),
  bullet: fc.constantFrom('-', '*'),
  uuid: MAYBE_UUID,
  note: title,
});

export const workplanTextArb: fc.Arbitrary<GeneratedWorkplan> = fc
  .record({
    eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
    bom: fc.boolean(),
    number: fc.integer({ min: 1, max: 9999 }),
    title,
    quoteTitle: fc.boolean(),
    owner: fc.boolean(),
    topic: fc.boolean(),
    fmComment: fc.boolean(),
    created: fc.boolean(),
    workstreamUuid: MAYBE_UUID,
    summary: fc.option(title, { nil: undefined }),
    dependencies: fc.array(dependencyArb, { maxLength: 3 }),
    dependenciesLast: fc.boolean(),
    phases: fc.array(fc.array(taskArb, { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    finalNewline: fc.boolean(),
  })
  .map((g) => {
    const id = `GEN-WP-${String(g.number).padStart(4, '0')}`;
    const out: string[] = [];
    const line = (s = '') => out.push(s);
    line('---');
    line(`id: ${id}`);
    line('type: workplan');
    line(`title: ${g.quoteTitle || /[\t:#]/.test(g.title) ? JSON.stringify(g.title) : g.title}`);
    line('domain: gen');
    line('status: active');
    if (g.owner) line('owner: someone');
    if (g.fmComment) line('# a comment');
    if (g.topic) line('topic_slug: gen');
    if (g.workstreamUuid) line(`state_hub_workstream_id: ${g.workstreamUuid}`);
    if (g.created) line('created: 2026-02-28');
    line('---');
    line();
    line(`# ${g.title}`);
    line();
    if (g.summary) {
      line('## Summary');
      line();
      line(g.summary);
      line();
    }
    const dependencies = () => {
      if (g.dependencies.length === 0) return;
      line('## Dependencies');
      line();
      for (const d of g.dependencies) {
        line(`${d.bullet} **${d.kind}:** \`GEN-WP-${String(d.target).padStart(4, '0')}\` ${d.note}`);
        if (d.uuid) line(`${d.bullet} **state_hub_dependency_id:** ${d.uuid}`);
      }
      line();
    };
    if (!g.dependenciesLast) dependencies();
    let n = 0;
    g.phases.forEach((tasks, p) => {
      line(`## Phase ${p + 1} — Phase ${p + 1}`);
      line();
      tasks.forEach((t, i) => {
        n++;
        line(`### P${p + 1}.${i + 1} — ${t.title}`);
        line();
        const sep = t.form.startsWith('fence') ? ': ' : t.sep;
        const fields: Array<[string, string]> = [];
        const idField: [string, string] = ['id', `${id}-T${String(n).padStart(2, '0')}`];
        if (t.idFirst) fields.push(idField);
        if (t.uuid) fields.push(['state_hub_task_id', t.uuid]);
        if (t.status) fields.push(['status', t.status]);
        if (!t.idFirst) fields.push(idField);
        if (t.priority) fields.push(['priority', t.priority]);
        const prefix = t.form === 'list-dash' ? '- ' : t.form === 'list-star' ? '* ' : t.form === 'fence-indented' ? '  ' : '';
        if (t.form.startsWith('fence')) line('```yaml');
        fields.forEach(([k, v], j) => line(`${prefix}${k}${sep}${v}${t.form.startsWith('fence') ? '' : (t.trails[j] ?? '')}`));
        if (t.form.startsWith('fence')) line('```');
        if (t.description) {
          line();
          line(t.description);
        }
        line();
      });
    });
    if (g.dependenciesLast) dependencies();
    let text = out.join(g.eol);
    text = text.replace(/(?:\r?\n)+$/, '');
    if (g.finalNewline) text += g.eol;
    if (g.bom) text = `\ufeff${text}`;
    return { text, eol: g.eol };
  });
