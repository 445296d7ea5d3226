// A run's children (GET /runs?parentRunId=), newest first, each linked to its own page. A
// child's status changes without an event in the parent's ledger, so while any child shown
// is not terminal the list is read again every few seconds (not while the tab is hidden).

import { ApiError, api, paths } from './api.js';
import { TERMINAL, badge, errorBox, fill, h, time } from './dom.js';
import { runHref, signOut } from './routes.js';

const PAGE = 50;
const POLL_MS = 3000;

/**
 * The children section of a run page: {el, refresh()}; it stops when signal aborts.
 * onItems(children) is given each list read (the timeline chart draws them too).
 */
export function childrenSection(scope, runId, { signal, onItems = () => {} }) {
  const list = h('ul', { id: 'children', class: 'rows' });
  const errorSlot = h('div', { id: 'children-error' });
  const count = h('span', { class: 'muted small' });
  const more = h('p', { class: 'muted small', hidden: true }, `Showing the newest ${PAGE}.`);
  const el = h('section', { id: 'children-section', class: 'card', hidden: true },
    h('div', { class: 'section-head' }, h('h2', {}, 'Children'), count), errorSlot, list, more);
  let generation = 0;
  let timer;
  signal.addEventListener('abort', () => clearTimeout(timer));

  async function refresh() {
    clearTimeout(timer);
    const mine = ++generation;
    let settled = true;
    try {
      const page = await api(paths.runs(scope), { query: { parentRunId: runId, limit: PAGE }, signal });
      if (mine !== generation) return;
      fill(errorSlot);
      el.hidden = page.items.length === 0;
      more.hidden = !page.nextCursor;
      fill(count, page.nextCursor ? `${PAGE}+` : String(page.items.length));
      fill(list, page.items.map(child => item(scope, child)));
      onItems(page.items);
      settled = page.items.every(child => TERMINAL.has(child.status));
    } catch (e) {
      if (mine !== generation || e.name === 'AbortError') return;
      if (e instanceof ApiError && e.status === 401) return signOut('Your key is no longer accepted; sign in again.');
      el.hidden = false;
      fill(errorSlot, errorBox(e, 'Could not load the children'));
      settled = false; // try again
    }
    if (!settled && !signal.aborted) schedule();
  }

  function schedule() {
    timer = setTimeout(() => (document.hidden ? schedule() : refresh()), POLL_MS);
  }

  return { el, refresh };
}

function item(scope, child) {
  return h('li', { class: 'row child', dataset: { runId: child.runId, status: child.status } },
    h('a', { class: 'mono', href: runHref(scope, child.runId) }, child.runId),
    h('span', {}, child.service),
    badge(child.status),
    h('span', { class: 'muted small' }, 'created ', time(child.createdAt)));
}
