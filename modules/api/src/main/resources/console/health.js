// The operator's health page: readiness checks, and queue depth, lag, deliveries per second and the attempts'
// failure ratio over the last minutes, sampled from /metrics every few seconds and drawn as small SVG charts.
import { management } from './api.js';
import { h, failure } from './view.js';
import { parse, reading, rates } from './metrics.js';

export const SAMPLE_EVERY_MS = 3000;
const WINDOW_MS = 10 * 60 * 1000;

const CHARTS = [
  { key: 'depth', title: 'Queue depth', unit: '', format: v => v.toFixed(0),
    describe: 'deliveries pending or being delivered' },
  { key: 'lag', title: 'Queue lag', unit: ' s', format: v => v.toFixed(1), describe: 'age of the oldest due delivery' },
  { key: 'perSecond', title: 'Deliveries per second', unit: '/s', format: v => v.toFixed(2),
    describe: 'deliveries finished (delivered, failed or cancelled)' },
  { key: 'failureRatio', title: 'Failure ratio', unit: ' %', format: v => (v * 100).toFixed(0),
    describe: 'share of attempts that did not get a 2xx' },
];

export function page() {
  const checks = h('div', { class: 'results', 'aria-live': 'polite' }, h('p', { class: 'loading' }, 'Reading /health/ready…'));
  const charts = h('div', { class: 'charts' });
  const held = h('p', { class: 'hint' });
  const metricsError = h('div', { role: 'alert' });
  const points = [];
  let previous = null;
  let timer = null;
  let stopped = false;

  async function sample() {
    const at = Date.now();
    try {
      const ready = await management('/health/ready');
      checks.replaceChildren(readiness(ready));
    } catch (e) {
      checks.replaceChildren(failure(e));
    }
    try {
      const scraped = await management('/metrics');
      if (scraped.status !== 200) throw new Error(`/metrics answered HTTP ${scraped.status}`);
      const current = reading(parse(scraped.text), at);
      const rate = previous ? rates(previous, current) : { perSecond: null, failureRatio: null };
      previous = current;
      points.push({ at, depth: current.pending + current.delivering, lag: current.lag, ...rate });
      while (points.length && points[0].at < at - WINDOW_MS) points.shift();
      held.textContent = `Held (profile disabled): ${current.held}. Samples: ${points.length}, every ${SAMPLE_EVERY_MS / 1000} s.`;
      metricsError.replaceChildren();
      charts.replaceChildren(...CHARTS.map(chart => drawChart(chart, points, at)));
    } catch (e) {
      metricsError.replaceChildren(failure(e));
    }
    if (!stopped) timer = setTimeout(sample, SAMPLE_EVERY_MS);
  }
  sample();
  const node = h('section', { 'aria-labelledby': 'health-heading' },
    h('h2', { id: 'health-heading' }, 'Health'),
    h('h3', {}, 'Readiness'), checks,
    h('h3', {}, 'Last 10 minutes'),
    h('p', { class: 'hint' }, 'Sampled from /metrics by this page while it is open; the queue gauges are read from PostgreSQL every 5 s, so they show the whole system.'),
    metricsError, held, charts);
  return { node, leave: () => { stopped = true; clearTimeout(timer); } };
}

function readiness({ status, text }) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return h('div', { class: 'notice error', role: 'alert' }, `/health/ready answered HTTP ${status} without JSON.`);
  }
  const rows = Object.entries(body.checks ?? {}).map(([name, value]) => {
    const state = typeof value === 'string' ? value : value?.status ?? JSON.stringify(value);
    const detail = typeof value === 'object' && value !== null
      ? Object.entries(value).filter(([k]) => k !== 'status').map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ')
      : '';
    return h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, h('span', { class: `badge check-${state}` }, state)),
      h('td', {}, detail));
  });
  return h('div', {},
    h('p', { class: `notice ${body.status === 'UP' ? 'ok' : 'error'}` },
      `The engine is ${body.status === 'UP' ? 'ready' : 'NOT ready'} (HTTP ${status}).`),
    h('div', { class: 'table-scroll' }, h('table', { class: 'checks' }, h('caption', {}, 'Readiness checks'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Check'), h('th', { scope: 'col' }, 'State'),
        h('th', { scope: 'col' }, 'Detail'))),
      h('tbody', {}, rows))));
}

/** One small line chart: the latest value in words, the series as an SVG polyline over the window. */
function drawChart(chart, points, now) {
  const width = 300;
  const height = 80;
  const values = points.filter(p => p[chart.key] !== null && p[chart.key] !== undefined);
  const latest = values.length ? values[values.length - 1][chart.key] : null;
  const max = Math.max(chart.key === 'failureRatio' ? 1 : 0, ...values.map(p => p[chart.key])) || 1;
  const x = at => width - ((now - at) / WINDOW_MS) * width;
  const y = value => height - 4 - (value / max) * (height - 12);
  const id = `chart-${chart.key}`;
  const text = latest === null ? 'no value yet' : `${chart.format(latest)}${chart.unit}`;
  const svg = h('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-title`,
      class: 'chart', preserveAspectRatio: 'none' },
    h('title', { id: `${id}-title` }, `${chart.title} over the last 10 minutes, now ${text}; maximum ${chart.format(max)}${chart.unit}`),
    h('line', { x1: 0, x2: width, y1: height - 4, y2: height - 4, class: 'axis' }),
    values.length > 1 ? h('polyline', { class: 'series', fill: 'none',
      points: values.map(p => `${x(p.at).toFixed(1)},${y(p[chart.key]).toFixed(1)}`).join(' ') }) : null,
    values.length === 1 ? h('line', { class: 'series', x1: x(values[0].at) - 2, x2: x(values[0].at),
      y1: y(values[0][chart.key]), y2: y(values[0][chart.key]) }) : null);
  return h('figure', { class: 'chart-card', dataset: { chart: chart.key } },
    h('figcaption', {}, h('span', { class: 'chart-title' }, chart.title),
      h('span', { class: 'chart-value', dataset: { value: latest ?? '' } }, text)),
    svg,
    h('p', { class: 'hint' }, `${chart.describe}; top of the scale ${chart.format(max)}${chart.unit}`));
}
