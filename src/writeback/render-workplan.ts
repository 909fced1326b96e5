// Renders a new workplan file in the documented format (docs/format.md): frontmatter, the title,
// and a Summary and Dependencies section when given. Phases and tasks are added afterwards
// (`workplan add-task … --phase 1 --phase-title …`). Pure: the date is passed in.
import { formatFieldValue } from './field-line.js';

export interface NewWorkplanSpec {
  id: string;
  title: string;
  domain: string;
  /** Canonical workstream status. */
  status: string;
  owner?: string | undefined;
  summary?: string | undefined;
  /** Workplan ids this one depends on. */
  dependsOn?: readonly string[] | undefined;
  /** `created:` and `updated:` (YYYY-MM-DD). */
  date: string;
}

/** The text of a new workplan file (LF line endings, ending with a line break). */
export function renderNewWorkplan(spec: NewWorkplanSpec): string {
  const value = (v: string) => formatFieldValue(v, undefined, 'yaml');
  const frontmatter = [
    '---',
    `id: ${value(spec.id)}`,
    'type: workplan',
    `title: ${value(spec.title)}`,
    `domain: ${value(spec.domain)}`,
    `status: ${value(spec.status)}`,
    ...(spec.owner ? [`owner: ${value(spec.owner)}`] : []),
    `created: ${spec.date}`,
    `updated: ${spec.date}`,
    '---',
  ];
  const body = ['', `# ${spec.title}`];
  const summary = spec.summary?.replace(/\r\n?/g, '\n').trim();
  if (summary) body.push('', '## Summary', '', summary);
  const dependsOn = [...new Set(spec.dependsOn ?? [])];
  if (dependsOn.length > 0) body.push('', '## Dependencies', '', ...dependsOn.map((id) => `- **Depends on:** \`${id}\``));
  return `${[...frontmatter, ...body].join('\n')}\n`;
}

/** A file name for a title: lower case, words joined by `-`, at most `max` characters, never empty. */
export function slugifyTitle(title: string, max = 60): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.length > max ? slug.slice(0, max).replace(/-[^-]*$/, '') || slug.slice(0, max) : slug;
  return cut || 'untitled';
}
