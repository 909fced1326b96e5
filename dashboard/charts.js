// The dashboard's charts as inline SVG (no library): tasks by status over domains (stacked bars), and
// the sync history (rows changed per sync, newest on the right).
const SVG = 'http://www.w3.org/2000/svg';
const COLORS = { todo: '#f2b705', in_progress: '#3559e0', blocked: '#d64545', done: '#1f9d55', cancelled: '#98a2b3', carried_forward: '#9b6bd6' };
const FALLBACK = ['#0ea5e9', '#f97316', '#84cc16', '#e11d48', '#14b8a6'];

function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return element;
}

function colorOf(status, i) {
  return COLORS[status] ?? FALLBACK[i % FALLBACK.length];
}

/** Horizontal stacked bars: one per row, segments by status. */
export function stackedBars(rows) {
  const wrap = document.createElement('div');
  if (rows.length === 0) return Object.assign(wrap, { textContent: 'No tasks yet.' });
  const statuses = [...new Set(rows.flatMap((r) => Object.keys(r.counts)))];
  const max = Math.max(1, ...rows.map((r) => Object.values(r.counts).reduce((a, b) => a + b, 0)));
  const width = 520, label = 110, bar = 18, gap = 8;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${rows.length * (bar + gap)}`, width: '100%', role: 'img', 'aria-label': 'Tasks by status per domain', 'data-test': 'chart-tasks' });
  rows.forEach((row, i) => {
    const y = i * (bar + gap);
    svg.append(s('text', { x: 0, y: y + 13 }, row.label));
    let x = label;
    statuses.forEach((status, j) => {
      const n = row.counts[status] ?? 0;
      if (n === 0) return;
      const w = ((width - label - 40) * n) / max;
      svg.append(s('rect', { x, y, width: Math.max(w, 1), height: bar, fill: colorOf(status, j) }, s('title', {}, `${row.label}: ${n} ${status}`)));
      x += w;
    });
    const total = Object.values(row.counts).reduce((a, b) => a + b, 0);
    svg.append(s('text', { x: x + 4, y: y + 13 }, String(total)));
  });
  const legend = document.createElement('div');
  legend.className = 'legend';
  statuses.forEach((status, j) => {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = colorOf(status, j);
    item.append(swatch, status);
    legend.append(item);
  });
  wrap.append(svg, legend);
  return wrap;
}

/** Vertical bars: rows created/updated/removed per sync, oldest first. */
export function syncHistory(events) {
  const wrap = document.createElement('div');
  if (events.length === 0) return Object.assign(wrap, { textContent: 'No sync has changed the mirror yet.' });
  const width = 520, height = 140, gap = 3;
  const changed = (e) => e.sync.created + e.sync.updated + e.sync.removed + e.sync.drifted;
  const max = Math.max(1, ...events.map(changed));
  const w = Math.min(40, Math.max(4, (width - gap * events.length) / events.length));
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height + 16}`, width: '100%', role: 'img', 'aria-label': 'Rows changed per sync', 'data-test': 'chart-syncs' });
  events.forEach((e, i) => {
    const h = Math.max(2, (height * changed(e)) / max);
    const color = e.sync.drifted > 0 ? '#d64545' : '#3559e0';
    svg.append(s('rect', { x: i * (w + gap), y: height - h, width: w, height: h, fill: color }, s('title', {}, `${new Date(e.at).toLocaleString()} ${e.repository}: ${e.summary}`)));
  });
  svg.append(s('text', { x: 0, y: height + 13 }, new Date(events[0].at).toLocaleDateString()));
  svg.append(s('text', { x: width, y: height + 13, 'text-anchor': 'end' }, new Date(events[events.length - 1].at).toLocaleDateString()));
  const legend = document.createElement('div');
  legend.className = 'legend';
  legend.textContent = `${events.length} sync${events.length === 1 ? "" : "s"}: rows changed by each (red: drift restored)`;
  wrap.append(svg, legend);
  return wrap;
}
