// The webhook endpoints of a scope as an operator sees them: where each one posts, what it
// receives, its success rate and its last failure (the server counts the last 24 h), and a
// chart of the day's deliveries per endpoint. Choosing an endpoint lists its recent
// deliveries and choosing a delivery shows its attempts (deliveries.js); both choices live in
// the URL, so a reload shows the same. Re-read every 2 s while the tab is visible.

import { api, paths } from './api.js';
import { dataTable, drawChart, statusColor, updateChart } from './charts.js';
import { fill, h, time } from './dom.js';
import { deliveriesSection } from './deliveries.js';
import { scopeNav } from './nav.js';
import { livePoll } from './poll.js';
import { webhooksHref } from './routes.js';

const COLUMNS = ['Webhook', 'URL', 'Kind', 'Enabled', 'Events', 'Success rate', 'Last failure'];
/** Delivery statuses in the chart, each drawn in the colour of the run status it resembles. */
const SERIES = [['delivered', 'succeeded'], ['dead', 'failed'], ['pending', 'waiting']];

export function webhooksPage(root, route) {
  const { scope, params } = route;
  const webhook = params.get('webhook') ?? '';

  const liveState = h('span', { id: 'live-state', class: 'live-state', dataset: { state: 'connecting' } }, 'Loading…');
  const errorSlot = h('div', { id: 'webhooks-error' });
  const body = h('tbody', { id: 'webhooks-body' });
  const chartHolder = h('div', { class: 'chart-holder', id: 'webhooks-chart' });
  const chartNumbers = h('div', { id: 'webhooks-chart-data' });
  const chartCard = h('section', { class: 'card chart-card', id: 'webhooks-chart-card', hidden: true },
    h('h2', {}, 'Deliveries of the last 24 h by endpoint'), chartHolder, chartNumbers);
  let chart;
  let stopped = false;
  const deliveries = webhook
    ? deliveriesSection(scope, webhook, params, { refresh: () => poll.refresh(), isStopped: () => stopped })
    : null;

  fill(root,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Webhooks ', h('span', { class: 'scope-chip', title: 'scope' }, scope)),
      liveState),
    scopeNav(scope, 'webhooks'),
    errorSlot,
    h('div', { class: 'table-wrap' },
      h('table', { id: 'webhooks-table', class: 'runs webhooks' },
        h('thead', {}, h('tr', {}, COLUMNS.map(c => h('th', { scope: 'col' }, c)))),
        body)),
    deliveries?.element ?? h('p', { class: 'muted small', id: 'webhooks-hint' },
      'Choose a webhook to see its recent deliveries and their attempts.'),
    chartCard);

  async function load(signal) {
    return Promise.all([
      api(paths.webhooks(scope), { signal }),
      deliveries ? deliveries.load(signal) : null,
    ]);
  }

  function show([hooks, recent]) {
    fill(body, hooks.items.length ? hooks.items.map(row)
      : h('tr', { class: 'empty' }, h('td', { colspan: COLUMNS.length },
        'No webhooks in this scope yet. Create one with PUT /v1/scopes/{scope}/webhooks/{id}.')));
    showChart(hooks.items);
    if (deliveries) deliveries.show(recent, hooks.items.find(w => w.webhookId === webhook));
  }

  function row(hook) {
    const href = webhooksHref(scope, { webhook: hook.webhookId });
    const cell = (label, ...content) => h('td', { dataset: { label } }, ...content);
    const stats = hook.stats ?? {};
    const tr = h('tr', {
      class: hook.webhookId === webhook ? 'selected' : null,
      'aria-selected': hook.webhookId === webhook ? 'true' : null,
      dataset: { webhook: hook.webhookId, enabled: String(hook.enabled) },
    },
    cell('Webhook', h('a', { class: 'mono webhook-link', href }, hook.webhookId)),
    cell('URL', h('span', { class: 'mono url', title: hook.url }, hook.url)),
    cell('Kind', hook.kind === 'alert' ? `alert · ${hook.windowSeconds} s` : hook.kind),
    cell('Enabled', h('span', { class: `badge ${hook.enabled ? 'status-succeeded' : 'status-cancelled'}` },
      hook.enabled ? 'enabled' : 'disabled')),
    cell('Events', hook.events.map(e => h('span', { class: 'tag' }, e))),
    cell('Success rate', successRate(stats)),
    cell('Last failure', lastFailure(stats)));
    tr.addEventListener('click', event => {
      if (!event.target.closest('a') && !window.getSelection()?.toString()) location.hash = href;
    });
    return tr;
  }

  function showChart(hooks) {
    chartCard.hidden = hooks.length === 0;
    if (!hooks.length || !window.Chart) return;
    const labels = hooks.map(w => w.webhookId);
    const datasets = SERIES.map(([status, colour]) => ({
      label: status, data: hooks.map(w => w.stats?.[status] ?? 0), backgroundColor: statusColor(colour),
    }));
    fill(chartNumbers, dataTable('Deliveries created in the last 24 h, by status now',
      ['Webhook', ...SERIES.map(([s]) => s), 'Attempts', 'Failed attempts'],
      hooks.map(w => [w.webhookId, ...SERIES.map(([s]) => String(w.stats?.[s] ?? 0)),
        String(w.stats?.attempts ?? 0), String(w.stats?.failedAttempts ?? 0)])));
    if (chart) {
      updateChart(chart, labels, datasets);
      return;
    }
    chartHolder.style.height = `${Math.max(140, 46 * hooks.length + 70)}px`;
    chart = drawChart(chartHolder, 'Deliveries of the last 24 hours per webhook, by status', {
      type: 'bar',
      data: { labels, datasets },
      options: {
        indexAxis: 'y',
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
      },
    });
  }

  const poll = livePoll({ scope, what: 'webhooks', liveState, errorSlot, load, show });
  return () => {
    stopped = true;
    poll.stop();
    chart?.destroy();
  };
}

/** "96.0 %" with the attempts it counts, or a dash when the endpoint had no attempt in the window. */
function successRate(stats) {
  if (stats.successRate == null) {
    return h('span', { class: 'muted success-rate', dataset: { rate: '' }, title: 'no attempt in the last 24 h' },
      '—');
  }
  const percent = (stats.successRate * 100).toFixed(1);
  const level = stats.successRate >= 0.99 ? 'good' : stats.successRate >= 0.9 ? 'fair' : 'poor';
  return h('span', { class: `success-rate ${level}`, dataset: { rate: String(stats.successRate) } },
    `${percent} %`,
    h('span', { class: 'muted small' }, ` of ${stats.attempts} attempt${stats.attempts === 1 ? '' : 's'} (24 h)`));
}

function lastFailure(stats) {
  if (!stats.lastFailureAt) return h('span', { class: 'muted last-failure' }, 'none');
  const what = [stats.lastFailureStatusCode, stats.lastFailureError].filter(v => v != null && v !== '')
    .filter((v, i, all) => i === 0 || String(v) !== `HTTP ${all[0]}`).join(' · ');
  return h('span', { class: 'last-failure', dataset: { statusCode: stats.lastFailureStatusCode ?? '' } },
    time(stats.lastFailureAt), ' ', h('span', { class: 'muted small failure-text', title: stats.lastFailureError ?? '' },
      what));
}
