// The runs of a scope, newest first, with filters and keyset pages. The table re-reads its
// page every 2 s while the tab is visible: the API has a stream per run but none for the
// list, and one small indexed keyset query per viewer every 2 s is cheap.

import { OPERATIONS, api, hasOperation, paths } from './api.js';
import { bulkBar } from './bulk.js';
import { STATUSES, badge, fill, h, runDuration, time } from './dom.js';
import { scopeNav } from './nav.js';
import { livePoll } from './poll.js';
import { FILTERS, runHref, runsHref } from './routes.js';

const PAGE_SIZE = 25;
const HEALTH = [
  ['retrying', 'retrying (attempt > 1)'],
  ['stuck', 'stuck (lease expired, or queued > 5 min)'],
  ['silent', 'silent (running, no event for 5 min)'],
];

export function runsPage(root, route) {
  const { scope, params } = route;
  const filters = Object.fromEntries(FILTERS.map(name => [name, params.get(name) ?? '']));
  const cursors = params.getAll('c');
  let nextCursor = null;
  let stopped = false;

  const liveState = h('span', { id: 'live-state', class: 'live-state', dataset: { state: 'connecting' } }, 'Loading…');
  const errorSlot = h('div', { id: 'runs-error' });
  const body = h('tbody', { id: 'runs-body' });
  const newer = h('button', { id: 'newer', type: 'button', class: 'secondary', disabled: cursors.length === 0 },
    '← Newer');
  const older = h('button', { id: 'older', type: 'button', class: 'secondary', disabled: true }, 'Older →');
  newer.addEventListener('click', () => (location.hash = runsHref(scope, filters, cursors.slice(0, -1))));
  older.addEventListener('click', () => {
    if (nextCursor) location.hash = runsHref(scope, filters, [...cursors, nextCursor]);
  });

  const bulkSlot = h('div', { id: 'bulk-slot' });
  let bulk;
  hasOperation('post', OPERATIONS.bulkActions).then(present => {
    if (!present || stopped) return;
    bulk = bulkBar(scope, filters);
    fill(bulkSlot, bulk.element);
  });

  fill(root,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Runs ', h('span', { class: 'scope-chip', title: 'scope' }, scope)),
      liveState),
    scopeNav(scope, 'runs'),
    filterForm(scope, filters),
    bulkSlot,
    errorSlot,
    h('div', { class: 'table-wrap' },
      h('table', { id: 'runs-table', class: 'runs' },
        h('thead', {}, h('tr', {}, COLUMNS.map(c => h('th', { scope: 'col' }, c)))),
        body)),
    h('nav', { class: 'pager', 'aria-label': 'pages' },
      newer, h('span', { class: 'muted' }, `page ${cursors.length + 1}`), older));

  const poll = livePoll({
    scope, what: 'runs', liveState, errorSlot,
    load: signal => api(paths.runs(scope), {
      query: { ...filters, limit: PAGE_SIZE, cursor: cursors.at(-1) },
      signal,
    }),
    show: page => {
      nextCursor = page.nextCursor;
      older.disabled = !nextCursor;
      fill(body, page.items.length ? page.items.map(run => row(scope, run)) : emptyRow(filters, cursors));
    },
  });

  return () => {
    stopped = true;
    bulk?.stop();
    poll.stop();
  };
}

const COLUMNS = ['Run', 'Service', 'Status', 'Attempt', 'Concurrency key', 'Tags', 'Created', 'Started', 'Finished',
  'Duration'];

function filterForm(scope, filters) {
  const text = (name, label, placeholder) => h('label', {}, label,
    h('input', { name, value: filters[name], placeholder, autocomplete: 'off', spellcheck: 'false' }));
  const status = h('select', { name: 'status' },
    h('option', { value: '' }, 'any'),
    STATUSES.map(s => h('option', { value: s, selected: filters.status === s }, s)));
  const health = h('select', { name: 'health' },
    h('option', { value: '' }, 'any'),
    HEALTH.map(([value, label]) => h('option', { value, selected: filters.health === value }, label)));
  const form = h('form', { id: 'filters', class: 'filters' },
    text('service', 'Service', 'any'),
    h('label', {}, 'Status', status),
    h('label', {}, 'Health', health),
    text('concurrencyKey', 'Concurrency key', 'any'),
    text('tag', 'Tag', 'any'),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit' }, 'Apply'),
      h('a', { class: 'button secondary', href: runsHref(scope) }, 'Clear')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const data = new FormData(form);
    const chosen = Object.fromEntries(FILTERS.map(name => [name, String(data.get(name) ?? '').trim()]));
    location.hash = runsHref(scope, chosen); // new filters start again at the newest page
  });
  return form;
}

function row(scope, run) {
  const href = runHref(scope, run.runId);
  const cell = (label, ...content) => h('td', { dataset: { label } }, ...content);
  const tr = h('tr', { dataset: { runId: run.runId, status: run.status } },
    cell('Run', h('a', { class: 'run-link mono', href }, run.runId)),
    cell('Service', run.service),
    cell('Status', badge(run.status)),
    cell('Attempt', `${run.attempt} / ${run.maxAttempts}`),
    cell('Concurrency key', run.concurrencyKey ? h('span', { class: 'mono' }, run.concurrencyKey) : dash()),
    cell('Tags', run.tags?.length ? run.tags.map(t => h('span', { class: 'tag' }, t)) : dash()),
    cell('Created', time(run.createdAt)),
    cell('Started', time(run.startedAt)),
    cell('Finished', time(run.finishedAt)),
    cell('Duration', run.startedAt && !run.finishedAt
      ? h('span', { dataset: { runningSince: run.startedAt } }, runDuration(run))
      : runDuration(run) || dash()));
  // The whole row opens the run; the link stays for keyboards, middle clicks and new tabs.
  tr.addEventListener('click', event => {
    if (!event.target.closest('a') && !window.getSelection()?.toString()) location.hash = href;
  });
  return tr;
}

function emptyRow(filters, cursors) {
  const filtered = FILTERS.some(name => filters[name]) || cursors.length > 0;
  return h('tr', { class: 'empty' }, h('td', { colspan: COLUMNS.length },
    filtered ? 'No runs match these filters on this page.' : 'No runs in this scope yet. Trigger one with POST '
      + '/v1/scopes/{scope}/services/{service}/runs or `runledger trigger`.'));
}

function dash() {
  return h('span', { class: 'muted' }, '—');
}
