// The services of a scope as an operator sees them: each one's queue (how many runs wait,
// how long the oldest has waited), whether it is paused (with the button that changes it)
// and its schedules. Re-read every 2 s while the tab is visible, like the runs table.

import { ApiError, api, hasOperation, OPERATIONS, paths } from './api.js';
import { duration, errorBox, fill, h, time } from './dom.js';
import { scopeNav } from './nav.js';
import { livePoll } from './poll.js';
import { runHref, runsHref, signOut } from './routes.js';

const COLUMNS = ['Service', 'State', 'Queued', 'Oldest queued', 'Concurrency limit', 'Schedules', ''];

export function servicesPage(root, route) {
  const { scope } = route;
  const busy = new Set(); // services whose pause/resume is in flight

  const liveState = h('span', { id: 'live-state', class: 'live-state', dataset: { state: 'connecting' } }, 'Loading…');
  const errorSlot = h('div', { id: 'services-error' });
  const actionSlot = h('div', { id: 'services-action', 'aria-live': 'polite' });
  const body = h('tbody', { id: 'services-body' });

  fill(root,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Services ', h('span', { class: 'scope-chip', title: 'scope' }, scope)),
      liveState),
    scopeNav(scope, 'services'),
    errorSlot,
    actionSlot,
    h('div', { class: 'table-wrap' },
      h('table', { id: 'services-table', class: 'runs services' },
        h('thead', {}, h('tr', {}, COLUMNS.map(c => h('th', { scope: 'col' }, c)))),
        body)));

  async function load(signal) {
    const withSchedules = await hasOperation('get', OPERATIONS.schedules);
    return Promise.all([
      api(paths.services(scope), { signal }),
      api(paths.queues(scope), { signal }),
      withSchedules ? api(paths.schedules(scope), { signal }) : { items: [] },
    ]);
  }

  function show([services, queues, schedules]) {
    const queueOf = new Map(queues.items.map(q => [q.service, q]));
    const schedulesOf = new Map();
    for (const s of schedules.items) {
      if (!schedulesOf.has(s.service)) schedulesOf.set(s.service, []);
      schedulesOf.get(s.service).push(s);
    }
    fill(body, services.items.length
      ? services.items.map(s => row(s, queueOf.get(s.service), schedulesOf.get(s.service) ?? []))
      : h('tr', { class: 'empty' }, h('td', { colspan: COLUMNS.length },
        'No services in this scope yet. Create one with PUT /v1/scopes/{scope}/services/{service}.')));
  }

  function row(service, queue, schedules) {
    const name = service.service;
    const depth = queue?.depth ?? 0;
    const toggle = h('button', {
      type: 'button', class: service.paused ? '' : 'secondary', disabled: busy.has(name),
      dataset: { action: service.paused ? 'resume' : 'pause' },
    }, service.paused ? 'Resume' : 'Pause');
    toggle.addEventListener('click', () => setPaused(name, !service.paused));
    const cell = (label, ...content) => h('td', { dataset: { label } }, ...content);
    return h('tr', { dataset: { service: name, paused: String(service.paused) } },
      cell('Service', h('a', { href: runsHref(scope, { service: name }) }, name),
        service.description ? h('div', { class: 'muted small' }, service.description) : null),
      cell('State', h('span', { class: `badge ${service.paused ? 'status-waiting' : 'status-succeeded'}`,
        dataset: { state: service.paused ? 'paused' : 'active' } }, service.paused ? 'paused' : 'active')),
      cell('Queued', h('span', { class: 'queue-depth' }, String(depth)),
        depth > 0 ? h('a', { class: 'small', href: runsHref(scope, { service: name, status: 'accepted' }) }, ' view')
          : null),
      cell('Oldest queued', depth > 0
        ? h('span', { class: 'queue-age' }, duration((queue.oldestAgeSeconds ?? 0) * 1000))
        : h('span', { class: 'muted' }, '—')),
      cell('Concurrency limit', service.concurrencyLimit == null ? h('span', { class: 'muted' }, 'none')
        : String(service.concurrencyLimit)),
      cell('Schedules', schedules.length ? h('ul', { class: 'plain' }, schedules.map(scheduleItem))
        : h('span', { class: 'muted' }, '—')),
      cell('', toggle));
  }

  function scheduleItem(s) {
    const id = s.scheduleId;
    return h('li', { class: 'schedule', dataset: { schedule: id, enabled: String(s.enabled !== false) } },
      h('span', { class: 'mono' }, id), ' ',
      h('code', {}, s.cron), s.timezone && s.timezone !== 'UTC' ? ` ${s.timezone}` : '',
      s.enabled === false ? h('span', { class: 'muted' }, ' · disabled')
        : s.nextFireAt ? h('span', { class: 'muted' }, ' · next ', time(s.nextFireAt)) : null,
      s.lastRunId ? h('span', { class: 'muted' }, ' · last ',
        h('a', { class: 'mono', href: runHref(scope, s.lastRunId) }, s.lastRunId)) : null);
  }

  async function setPaused(service, paused) {
    busy.add(service);
    poll.refresh();
    try {
      await api(paused ? paths.servicePause(scope, service) : paths.serviceResume(scope, service), { method: 'POST' });
      fill(actionSlot, h('p', { class: 'alert info', id: 'services-result' },
        `Service ${service} ${paused ? 'paused: leases skip it until it is resumed' : 'resumed'}.`));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return signOut('Your key is no longer accepted; sign in again.');
      fill(actionSlot, h('div', { id: 'services-result' }, errorBox(e, `Could not ${paused ? 'pause' : 'resume'} ${service}`)));
    } finally {
      busy.delete(service);
      poll.refresh();
    }
  }

  const poll = livePoll({ scope, what: 'services', liveState, errorSlot, load, show });
  return () => poll.stop();
}
