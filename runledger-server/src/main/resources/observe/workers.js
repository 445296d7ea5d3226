// The workers seen in a scope: what each announced on its last lease (services, version,
// capabilities), when it was last seen and how many runs it holds now. A worker not seen for
// STALE_AFTER_MS is marked stale: a live worker is seen at every lease poll and heartbeat,
// and a lease poll waits at most 60 s, so only a stopped (or cut off) worker stays unseen
// longer than that with a margin. Re-read every 2 s while the tab is visible.

import { api, paths } from './api.js';
import { absolute, fill, h, jsonLine, time } from './dom.js';
import { scopeNav } from './nav.js';
import { livePoll } from './poll.js';
import { runsHref } from './routes.js';

/** Not seen for this long: stale (the longest lease poll, 60 s, plus 30 s). */
export const STALE_AFTER_MS = 90_000;

const COLUMNS = ['Worker', 'State', 'Services', 'Version', 'Capabilities', 'Last seen', 'Runs held'];

export function workersPage(root, route) {
  const { scope } = route;
  const liveState = h('span', { id: 'live-state', class: 'live-state', dataset: { state: 'connecting' } }, 'Loading…');
  const errorSlot = h('div', { id: 'workers-error' });
  const summary = h('p', { id: 'workers-summary', class: 'muted small' });
  const body = h('tbody', { id: 'workers-body' });

  fill(root,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Workers ', h('span', { class: 'scope-chip', title: 'scope' }, scope)),
      liveState),
    scopeNav(scope, 'workers'),
    errorSlot,
    summary,
    h('div', { class: 'table-wrap' },
      h('table', { id: 'workers-table', class: 'runs workers' },
        h('thead', {}, h('tr', {}, COLUMNS.map(c => h('th', { scope: 'col' }, c)))),
        body)));

  function show(workers) {
    const now = Date.now();
    const stale = workers.items.filter(w => isStale(w, now)).length;
    const held = workers.items.reduce((n, w) => n + w.runsHeld, 0);
    fill(summary, `${workers.items.length} worker${workers.items.length === 1 ? '' : 's'} seen, ${stale} stale `
      + `(not seen for ${STALE_AFTER_MS / 1000} s), ${held} run${held === 1 ? '' : 's'} held now.`);
    fill(body, workers.items.length ? workers.items.map(w => row(w, now))
      : h('tr', { class: 'empty' }, h('td', { colspan: COLUMNS.length },
        'No worker has leased in this scope yet. Start one with `runledger worker` or the Java SDK\'s Worker.')));
  }

  function row(worker, now) {
    const stale = isStale(worker, now);
    const cell = (label, ...content) => h('td', { dataset: { label } }, ...content);
    const single = worker.services.length === 1 ? worker.services[0] : '';
    return h('tr', { dataset: { workerId: worker.workerId, stale: String(stale) } },
      cell('Worker', h('span', { class: 'mono' }, worker.workerId)),
      cell('State', h('span', {
        class: `badge ${stale ? 'status-stale' : 'status-live'}`, dataset: { state: stale ? 'stale' : 'live' },
        title: stale ? `not seen for ${STALE_AFTER_MS / 1000} s or more` : 'seen recently',
      }, stale ? 'stale' : 'live')),
      cell('Services', worker.services.length
        ? worker.services.map(s => h('a', { class: 'tag service', href: runsHref(scope, { service: s }) }, s))
        : dash()),
      cell('Version', worker.version ? h('span', { class: 'mono version' }, worker.version) : dash()),
      cell('Capabilities', unannounced(worker.capabilities) ? dash()
        : h('code', { class: 'capabilities', title: JSON.stringify(worker.capabilities) }, jsonLine(worker.capabilities, 80))),
      cell('Last seen', h('span', { class: 'when last-seen' }, time(worker.lastSeenAt),
        h('span', { class: 'muted small' }, absolute(worker.lastSeenAt)))),
      // The runs list filters by service and status, not by worker: the link shows the
      // running runs of the worker's service when it has one, else every running run.
      cell('Runs held', h('a', {
        class: 'runs-held', href: runsHref(scope, { status: 'running', service: single }),
        title: single ? `running runs of ${single}` : 'running runs of the scope',
      }, String(worker.runsHeld))));
  }

  const poll = livePoll({
    scope, what: 'workers', liveState, errorSlot,
    load: signal => api(paths.workers(scope), { signal }),
    show,
  });
  return () => poll.stop();
}

function isStale(worker, now) {
  return now - Date.parse(worker.lastSeenAt) >= STALE_AFTER_MS;
}

/** Whether a worker announced no capabilities (none, or an empty object). */
function unannounced(capabilities) {
  return capabilities == null
    || (typeof capabilities === 'object' && !Array.isArray(capabilities) && Object.keys(capabilities).length === 0);
}

function dash() {
  return h('span', { class: 'muted' }, '—');
}
