// The filter and edit schemas (pure): vocabulary values normalised from their aliases, wrong values
// named with the allowed ones, defaults filled in, unknown keys refused, and a configured vocabulary
// obeyed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { createEditSchemas } from '../../src/model/edit-input.js';
import { createPlanQuerySchemas, resolveQueryScope } from '../../src/model/plan-query.js';

const queries = createPlanQuerySchemas(DEFAULT_CONFIG);
const edits = createEditSchemas(DEFAULT_CONFIG);
const messages = (result: { success: boolean; error?: { issues: Array<{ message: string; path: PropertyKey[] }> } }) =>
  result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('query schemas', () => {
  it('normalise aliases and fill in the defaults', () => {
    expect(queries.tasks.parse({ status: ['WIP', 'to do'], priority: ['p0'] })).toEqual({
      status: ['in_progress', 'todo'],
      priority: ['critical'],
      allRepos: false,
      sync: true,
      sort: 'id',
      order: 'asc',
      limit: 100,
      offset: 0,
    });
    expect(queries.adrs.parse({ status: ['Approved ✅'] }).status).toEqual(['accepted']);
  });

  it('name a wrong value with the allowed ones, and refuse unknown keys and bad paging', () => {
    expect(messages(queries.tasks.safeParse({ status: ['complete-ish'], colour: 'red', limit: 0 }))).toEqual([
      'status.0: Unknown task status "complete-ish"; use one of todo, in_progress, blocked, done, cancelled, carried_forward',
      'limit: Too small: expected number to be >=1',
      ': Unrecognized key: "colour"',
    ]);
    expect(messages(queries.workstreams.safeParse({ sort: 'colour' }))[0]).toContain(
      '"id"|"title"|"status"|"domain"|"repository"|"updated"|"open-tasks"',
    );
  });

  it('follow a configured vocabulary', () => {
    const config = structuredClone(DEFAULT_CONFIG);
    config.vocabularies.priority = { values: ['must', 'should', 'could'], aliases: { p0: 'must' }, default: 'should' };
    const custom = createPlanQuerySchemas(config);
    expect(custom.tasks.parse({ priority: ['P0', 'could'] }).priority).toEqual(['must', 'could']);
    expect(messages(custom.tasks.safeParse({ priority: ['high'] }))).toEqual([
      'priority.0: Unknown priority "high"; use one of must, should, could',
    ]);
  });

  it('resolve the scope: this repository, the named ones, or all', () => {
    expect(resolveQueryScope({ allRepos: false }, 'me')).toEqual(['me']);
    expect(resolveQueryScope({ allRepos: false, repos: ['a', 'a', 'b'] }, 'me')).toEqual(['a', 'b']);
    expect(resolveQueryScope({ allRepos: true, repos: ['a'] }, 'me')).toBe('all');
  });
});

describe('edit schemas', () => {
  it('need a status or a priority, and one-line titles', () => {
    expect(messages(edits.setTask.safeParse({ task: 'A-WP-1-T01' }))).toEqual([': Give a status, a priority or both.']);
    expect(edits.setTask.parse({ task: 'A-WP-1-T01', status: 'Done' })).toEqual({ task: 'A-WP-1-T01', status: 'done', dryRun: false });
    expect(messages(edits.addTask.safeParse({ workplan: 'A-WP-1', phase: 1, title: 'two\nlines' }))).toEqual([
      'title: The title must be one line of text (no line breaks or control characters)',
    ]);
    expect(messages(edits.newWorkplan.safeParse({ id: 'A-WP-1', title: 'T', domain: 'd', date: '2026-02-30' }))).toEqual([
      'date: must be a real YYYY-MM-DD date',
    ]);
    expect(messages(edits.newAdr.safeParse({ title: 'T', style: 'y-statements' }))[0]).toContain('"madr"|"nygard"');
  });
});
