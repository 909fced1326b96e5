// A small DOM builder for the dashboard: elements from tag, attributes and children; strings become
// text nodes (never HTML), arrays are flattened, empty values skipped.

/** An element with attributes and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === '' || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A status badge (its class follows the status: `s-done`). */
export function badge(text, tone) {
  return h('span', { class: `badge ${tone ?? `s-${String(text).replace(/[^a-z_-]/gi, '')}`}` }, text);
}

/** A bar: done of total. */
export function progress(done, total) {
  const share = total > 0 ? Math.round((done / total) * 100) : 0;
  return h('span', { class: 'progress', role: 'progressbar', 'aria-valuenow': share, 'aria-valuemin': 0, 'aria-valuemax': 100, title: `${share}%` }, h('span', { style: `width:${share}%` }));
}

/** A link handled by the page's router. */
export function link(href, text, attributes = {}) {
  return h('a', { href, 'data-nav': '', ...attributes }, text);
}

/** A table of rows (each a list of cells). */
export function table(headings, rows, attributes = {}) {
  const body = rows.length === 0
    ? [h('tr', {}, h('td', { colspan: headings.length, class: 'muted' }, 'Nothing matches.'))]
    : rows.map((cells) => h('tr', { 'data-test': 'row' }, ...cells.map((c) => h('td', {}, c))));
  return h('table', attributes, h('thead', {}, h('tr', {}, ...headings.map((t) => h('th', {}, t)))), h('tbody', {}, ...body));
}

/** "1–100 of 1234", with links to the pages before and after. */
export function pager(list, path, params) {
  const to = (offset) => {
    const next = new URLSearchParams(params);
    if (offset > 0) next.set('offset', String(offset)); else next.delete('offset');
    return `${path}${next.size ? `?${next}` : ''}`;
  };
  const first = list.total === 0 ? 0 : list.offset + 1;
  const last = list.offset + list.items.length;
  return h('div', { class: 'pager', 'data-test': 'pager' },
    `${first}–${last} of ${list.total}`,
    list.offset > 0 ? link(to(Math.max(0, list.offset - list.limit)), '← previous') : '',
    last < list.total ? link(to(last), 'next →') : '');
}
