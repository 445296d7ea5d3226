// The tabs of a scope's pages: its overview, its runs, its services, its workers and its webhooks.

import { h } from './dom.js';
import { overviewHref, runsHref, servicesHref, webhooksHref, workersHref } from './routes.js';

/** Links to the scope's pages, the current one marked for screen readers and styles. */
export function scopeNav(scope, current) {
  const tab = (page, label, href) => h('a', {
    class: `tab${page === current ? ' current' : ''}`, href, id: `nav-${page}`,
    'aria-current': page === current ? 'page' : null,
  }, label);
  return h('nav', { class: 'tabs', 'aria-label': 'scope pages' },
    tab('overview', 'Overview', overviewHref(scope)), tab('runs', 'Runs', runsHref(scope)),
    tab('services', 'Services', servicesHref(scope)), tab('workers', 'Workers', workersHref(scope)),
    tab('webhooks', 'Webhooks', webhooksHref(scope)));
}
