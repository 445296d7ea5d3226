// One webhook's recent deliveries on the webhooks page: a status filter, the deliveries newest
// first, and the chosen delivery's attempts with a Redeliver button for a dead or delivered
// one. A redelivery is the same delivery sent again (same webhook-id, same payload, signed
// with the current secret), so a receiver that already has it can drop it.

import { ApiError, api, paths } from './api.js';
import { badge, errorBox, fill, h, time } from './dom.js';
import { runHref, signOut, webhooksHref } from './routes.js';

const LIMIT = 50;
const STATUSES = ['pending', 'delivered', 'dead'];
const COLUMNS = ['Delivery', 'Status', 'Event', 'Run', 'Attempts', 'Last status', 'Created', 'Delivered'];
const ATTEMPT_COLUMNS = ['Attempt', 'Status code', 'Error', 'Duration', 'Time'];

/**
 * The section of webhook webhookId; params: the page's URL parameters (delivery, status).
 * refresh: re-reads the page now; isStopped: whether the page was left.
 */
export function deliveriesSection(scope, webhookId, params, { refresh, isStopped }) {
  const status = STATUSES.includes(params.get('status')) ? params.get('status') : '';
  const chosen = params.get('delivery') ?? '';
  const busy = new Set(); // deliveries whose redelivery is in flight

  const body = h('tbody', { id: 'deliveries-body' });
  const detail = h('section', { id: 'delivery-detail', class: 'delivery-detail', hidden: !chosen });
  const resultSlot = h('div', { id: 'redeliver-result', 'aria-live': 'polite' });
  const filter = h('select', { id: 'deliveries-status', name: 'status' },
    h('option', { value: '' }, 'any'),
    STATUSES.map(s => h('option', { value: s, selected: s === status }, s)));
  filter.addEventListener('change', () => {
    location.hash = webhooksHref(scope, { webhook: webhookId, delivery: chosen, status: filter.value });
  });

  const element = h('section', { id: 'deliveries', class: 'card deliveries', dataset: { webhook: webhookId } },
    h('div', { class: 'section-head' },
      h('h2', {}, 'Deliveries of ', h('span', { class: 'mono' }, webhookId)),
      h('a', { class: 'small', href: webhooksHref(scope) }, 'Close')),
    h('div', { class: 'filters' }, h('label', {}, 'Status', filter),
      h('p', { class: 'muted small' }, `The latest ${LIMIT}, newest first.`)),
    resultSlot,
    h('div', { class: 'table-wrap inner' },
      h('table', { id: 'deliveries-table', class: 'runs deliveries-table' },
        h('thead', {}, h('tr', {}, COLUMNS.map(c => h('th', { scope: 'col' }, c)))),
        body)),
    detail);

  /** The deliveries, or {missing: true} when the webhook does not exist (any more). */
  async function load(signal) {
    try {
      return await api(paths.deliveries(scope, webhookId), { query: { status, limit: LIMIT }, signal });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'webhook_not_found') return { missing: true, items: [] };
      throw e;
    }
  }

  function show(page, hook) {
    if (page.missing || !hook) {
      fill(body, h('tr', { class: 'empty' }, h('td', { colspan: COLUMNS.length },
        `Webhook ${webhookId} does not exist in this scope.`)));
      detail.hidden = true;
      return;
    }
    fill(body, page.items.length ? page.items.map(row)
      : h('tr', { class: 'empty' }, h('td', { colspan: COLUMNS.length },
        status ? `No ${status} deliveries among the latest.` : 'No deliveries yet: nothing it listens to happened.')));
    if (!chosen) return;
    const delivery = page.items.find(d => d.deliveryId === chosen);
    detail.hidden = false;
    fill(detail, delivery ? deliveryDetail(delivery)
      : h('p', { class: 'muted' }, `Delivery ${chosen} is not among the latest ${LIMIT}`,
        status ? ` ${status} deliveries` : ' deliveries', ' of this webhook.'));
  }

  function row(d) {
    const href = webhooksHref(scope, { webhook: webhookId, delivery: d.deliveryId, status });
    const cell = (label, ...content) => h('td', { dataset: { label } }, ...content);
    const tr = h('tr', {
      class: d.deliveryId === chosen ? 'selected' : null,
      'aria-selected': d.deliveryId === chosen ? 'true' : null,
      dataset: { deliveryId: d.deliveryId, status: d.status },
    },
    cell('Delivery', h('a', { class: 'mono delivery-link', href }, d.deliveryId)),
    cell('Status', badge(d.status)),
    cell('Event', d.eventType),
    cell('Run', runLink(d)),
    cell('Attempts', h('span', { class: 'attempts' }, String(d.attempts))),
    cell('Last status', lastStatus(d)),
    cell('Created', time(d.createdAt)),
    cell('Delivered', time(d.deliveredAt)));
    tr.addEventListener('click', event => {
      if (!event.target.closest('a, button') && !window.getSelection()?.toString()) location.hash = href;
    });
    return tr;
  }

  function runLink(d) {
    if (!d.runId) return h('span', { class: 'muted' }, 'alert');
    return h('span', { class: 'run-cell' }, h('a', { class: 'mono run-link', href: runHref(scope, d.runId) }, d.runId),
      d.seq ? h('span', { class: 'muted small' }, ` event ${d.seq}`) : null);
  }

  function deliveryDetail(d) {
    const settled = d.status === 'dead' || d.status === 'delivered';
    const button = h('button', {
      id: 'redeliver', type: 'button', class: d.status === 'dead' ? '' : 'secondary',
      disabled: !settled || busy.has(d.deliveryId),
      title: settled ? 'Send it again, as a new series of attempts' : 'A pending delivery is sent without asking',
    }, 'Redeliver');
    button.addEventListener('click', () => redeliver(d.deliveryId));
    const fact = (label, ...value) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, ...value));
    const attempts = d.attemptLog ?? [];
    return [
      h('div', { class: 'section-head' },
        h('h2', {}, 'Delivery ', h('span', { class: 'mono', id: 'delivery-id' }, d.deliveryId), ' ', badge(d.status)),
        h('div', { class: 'actions' }, button)),
      h('dl', { class: 'facts' },
        fact('Event', d.eventType),
        fact('Run', runLink(d)),
        fact('Attempts', String(d.attempts)),
        fact('webhook-id header', h('span', { class: 'mono' }, d.deliveryId)),
        fact('Created', time(d.createdAt, { both: true })),
        d.status === 'pending' ? fact('Next attempt', time(d.nextAttemptAt, { both: true }))
          : fact('Delivered', time(d.deliveredAt, { both: true })),
        d.lastError ? fact('Last error', d.lastError) : null),
      h('div', { class: 'table-wrap inner' },
        h('table', { id: 'attempts-table', class: 'runs attempts-table' },
          h('caption', { class: 'muted small' }, `${attempts.length} attempt${attempts.length === 1 ? '' : 's'}, oldest first`),
          h('thead', {}, h('tr', {}, ATTEMPT_COLUMNS.map(c => h('th', { scope: 'col' }, c)))),
          h('tbody', { id: 'attempts-body' }, attempts.length ? attempts.map(attemptRow)
            : h('tr', { class: 'empty' }, h('td', { colspan: ATTEMPT_COLUMNS.length }, 'Not tried yet.'))))),
    ];
  }

  function attemptRow(a) {
    const cell = (label, ...content) => h('td', { dataset: { label } }, ...content);
    const ok = a.error == null;
    return h('tr', { dataset: { attempt: String(a.attempt), outcome: ok ? 'ok' : 'failed' } },
      cell('Attempt', String(a.attempt)),
      cell('Status code', a.statusCode == null ? h('span', { class: 'muted' }, 'no answer')
        : h('span', { class: `code ${ok ? 'ok' : 'failed'}` }, String(a.statusCode))),
      cell('Error', a.error ? h('span', { class: 'attempt-error' }, a.error) : h('span', { class: 'muted' }, '—')),
      cell('Duration', `${a.durationMs} ms`),
      cell('Time', time(a.attemptedAt, { both: true })));
  }

  async function redeliver(deliveryId) {
    busy.add(deliveryId);
    refresh();
    try {
      const d = await api(paths.redeliver(scope, webhookId, deliveryId), { method: 'POST' });
      if (isStopped()) return;
      fill(resultSlot, h('p', { class: 'alert info', id: 'redeliver-outcome', dataset: { status: d.status } },
        `Delivery ${d.deliveryId} is ${d.status} again and due now: it goes out with the same webhook-id, `
          + 'signed with the webhook\'s current secret, and gets a fresh series of attempts.'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return signOut('Your key is no longer accepted; sign in again.');
      if (isStopped()) return;
      fill(resultSlot, h('div', { id: 'redeliver-outcome', dataset: { code: e.code ?? '' } },
        errorBox(e, `Could not redeliver ${deliveryId}`)));
    } finally {
      busy.delete(deliveryId);
      refresh();
    }
  }

  return { element, load, show };
}

function lastStatus(d) {
  if (d.lastStatusCode != null) return String(d.lastStatusCode);
  if (d.lastError) return h('span', { class: 'muted', title: d.lastError }, 'no answer');
  return h('span', { class: 'muted' }, '—');
}
