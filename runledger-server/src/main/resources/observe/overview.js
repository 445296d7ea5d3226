// A scope's overview, its landing page: for a window (15 min, 1 h, 24 h, 7 d), one card per
// service with its runs per bucket as a stacked chart (settled by outcome, triggered as a
// line), its failure rate and durations, and its queue, running and waiting runs now. Every
// number and every bar leads to the runs list with the matching filter. Re-read every 2 s
// while the tab is visible; the charts are updated in place.

import { api, paths } from './api.js';
import { dataTable, drawChart, statusColor, updateChart } from './charts.js';
import { duration, fill, h } from './dom.js';
import { scopeNav } from './nav.js';
import { livePoll } from './poll.js';
import { overviewHref, runsHref } from './routes.js';

export const WINDOWS = [['15m', '15 min'], ['1h', '1 hour'], ['24h', '24 hours'], ['7d', '7 days']];
const OUTCOMES = ['succeeded', 'failed', 'cancelled', 'expired'];

export function overviewPage(root, route) {
  const { scope, params } = route;
  const window = WINDOWS.some(([w]) => w === params.get('window')) ? params.get('window') : '1h';
  const only = params.get('service') ?? '';

  const liveState = h('span', { id: 'live-state', class: 'live-state', dataset: { state: 'connecting' } }, 'Loading…');
  const errorSlot = h('div', { id: 'overview-error' });
  const cards = h('div', { id: 'overview-services', class: 'service-cards' });
  const serviceSelect = h('select', { id: 'overview-service', name: 'service', 'aria-label': 'service' },
    h('option', { value: '' }, 'All services'));
  serviceSelect.addEventListener('change', () => (location.hash = overviewHref(scope, window, serviceSelect.value)));

  fill(root,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Overview ', h('span', { class: 'scope-chip', title: 'scope' }, scope)),
      liveState),
    scopeNav(scope, 'overview'),
    h('div', { class: 'toolbar' },
      h('nav', { class: 'segmented', 'aria-label': 'window', id: 'overview-window' },
        WINDOWS.map(([w, label]) => h('a', {
          href: overviewHref(scope, w, only), dataset: { window: w },
          class: w === window ? 'current' : null, 'aria-current': w === window ? 'true' : null,
        }, label))),
      serviceSelect),
    errorSlot,
    cards);

  const charts = new Map(); // service -> {card, chart, ...}: kept across refreshes

  function show(overview) {
    const names = overview.services.map(s => s.service);
    fillServiceSelect(names);
    const shown = overview.services.filter(s => !only || s.service === only);
    for (const [name, entry] of charts) {
      if (!shown.some(s => s.service === name)) {
        entry.chart.destroy();
        entry.card.remove();
        charts.delete(name);
      }
    }
    if (!shown.length) {
      fill(cards, h('p', { class: 'empty muted', id: 'overview-empty' }, only
        ? `No service “${only}” in this scope.`
        : 'No services in this scope yet. Create one with PUT /v1/scopes/{scope}/services/{service}.'));
      return;
    }
    cards.querySelector('#overview-empty')?.remove();
    for (const service of shown) {
      let entry = charts.get(service.service);
      if (!entry) {
        entry = serviceCard(service.service);
        charts.set(service.service, entry);
      }
      cards.append(entry.card); // keeps the order of the answer (by name)
      entry.show(service, overview);
    }
  }

  function fillServiceSelect(names) {
    const have = [...serviceSelect.options].slice(1).map(o => o.value);
    if (have.join('\n') === names.join('\n') && serviceSelect.value === only) return;
    fill(serviceSelect, h('option', { value: '' }, 'All services'),
      names.map(n => h('option', { value: n }, n)));
    if (only && !names.includes(only)) serviceSelect.append(h('option', { value: only }, only));
    serviceSelect.value = only;
  }

  /** A service's card: its numbers, its chart and the chart's numbers as a table. */
  function serviceCard(name) {
    const stats = h('dl', { class: 'stats' });
    const holder = h('div', { class: 'chart-box' });
    const table = h('details', { class: 'chart-table' });
    const card = h('section', { class: 'card service-card', dataset: { service: name }, 'aria-label': name },
      h('h2', {}, h('a', { href: runsHref(scope, { service: name }) }, name)),
      stats, holder, table);
    let chart;
    let buckets = [];

    function show(service, overview) {
      buckets = service.buckets;
      fill(stats, statsOf(service));
      const labels = buckets.map(b => bucketLabel(b.start, overview.bucketSeconds));
      const datasets = [
        ...OUTCOMES.map(status => ({
          type: 'bar', label: status, stack: 'settled', data: buckets.map(b => b[status]),
          backgroundColor: statusColor(status), borderWidth: 0, order: 2,
        })),
        {
          type: 'line', label: 'triggered', data: buckets.map(b => b.triggered),
          borderColor: statusColor('running'), backgroundColor: statusColor('running'),
          pointRadius: 0, borderWidth: 2, tension: 0.2, order: 1,
        },
      ];
      if (!chart) {
        chart = drawChart(holder, `runs of ${name} per ${duration(overview.bucketSeconds * 1000)}`, {
          type: 'bar',
          data: { labels, datasets },
          options: {
            scales: {
              x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 }, grid: { display: false } },
              y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
            },
            plugins: { legend: { position: 'bottom' } },
            onClick: (event, elements) => {
              const hit = elements[0];
              if (!hit) return;
              const label = chart.data.datasets[hit.datasetIndex].label;
              location.hash = runsHref(scope, label === 'triggered' ? { service: name } : { service: name, status: label });
            },
            onHover: (event, elements) => {
              event.native.target.style.cursor = elements.length ? 'pointer' : 'default';
            },
          },
        });
        chart.canvas.dataset.service = name;
      } else {
        updateChart(chart, labels, datasets);
      }
      fill(table, h('summary', {}, 'Numbers per bucket'),
        dataTable(`Runs of ${name} per bucket`, ['From', 'Triggered', ...OUTCOMES.map(capital)],
          buckets.map((b, i) => [labels[i], b.triggered, ...OUTCOMES.map(s => b[s])])));
    }

    function statsOf(s) {
      const link = (filters, text, id) => h('a', { href: runsHref(scope, { service: name, ...filters }), dataset: { stat: id } }, text);
      const item = (label, value, detail) => h('div', {}, h('dt', {}, label),
        h('dd', {}, value, detail ? h('span', { class: 'muted small' }, ' ', detail) : null));
      return [
        item('Triggered', link({}, String(s.triggered), 'triggered')),
        item('Succeeded', link({ status: 'succeeded' }, String(s.succeeded), 'succeeded')),
        item('Failed', link({ status: 'failed' }, String(s.failed), 'failed'),
          s.failureRate == null ? null : `${(s.failureRate * 100).toFixed(s.failureRate < 0.1 ? 1 : 0)} %`),
        item('Duration p50 / p95', h('span', { dataset: { stat: 'durations' } },
          s.durationP50Ms == null ? '—' : `${duration(s.durationP50Ms)} / ${duration(s.durationP95Ms)}`)),
        item('Queued', link({ status: 'accepted' }, String(s.queued), 'queued'),
          s.queued > 0 ? `oldest ${duration(s.oldestQueuedAgeSeconds * 1000)}` : null),
        item('Running', link({ status: 'running' }, String(s.running), 'running')),
        item('Waiting', link({ status: 'waiting' }, String(s.waiting), 'waiting')),
      ];
    }

    return { card, show, get chart() { return chart; }, destroy: () => chart?.destroy() };
  }

  const poll = livePoll({
    scope, what: 'the overview', liveState, errorSlot,
    load: signal => api(paths.overview(scope), { signal, query: { window } }),
    show,
  });
  return () => {
    poll.stop();
    for (const entry of charts.values()) entry.destroy();
  };
}

function capital(text) {
  return text[0].toUpperCase() + text.slice(1);
}

/** A bucket's start as the axis shows it: the time of day, with the day for long buckets. */
function bucketLabel(ts, bucketSeconds) {
  const d = new Date(ts);
  const hm = d.toLocaleTimeString([], {
    hour: '2-digit', minute: '2-digit', second: bucketSeconds < 60 ? '2-digit' : undefined, hourCycle: 'h23',
  });
  return bucketSeconds >= 3600 ? `${d.toLocaleDateString([], { weekday: 'short' })} ${hm}` : hm;
}
