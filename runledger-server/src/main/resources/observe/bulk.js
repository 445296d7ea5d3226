// Bulk cancel and replay of every run matching the runs page's filters. Nothing is done on
// the first click: the server counts the matching runs (a dry run that writes nothing), the
// page asks to confirm that number, and only then creates the bulk action, whose progress
// it follows until the server reports it finished.

import { ApiError, api, paths } from './api.js';
import { errorBox, fill, h } from './dom.js';
import { signOut } from './routes.js';

const PROGRESS_MS = 1000;
const VERBS = { cancel: ['Cancel', 'cancelled'], replay: ['Replay', 'replayed'] };

/** The bulk bar for a filter ({service, status, ...}; empty values are left out). */
export function bulkBar(scope, filters) {
  const filter = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  const panel = h('div', { id: 'bulk-panel', class: 'bulk-panel' });
  const buttons = Object.entries(VERBS).map(([action, [label]]) => {
    const b = h('button', { type: 'button', class: action === 'cancel' ? 'danger' : 'secondary', id: `bulk-${action}` },
      `${label} matching…`);
    b.addEventListener('click', () => preview(action));
    return b;
  });
  let timer;
  let stopped = false;

  async function preview(action) {
    clearTimeout(timer);
    fill(panel, h('p', { class: 'muted' }, 'Counting matching runs…'));
    try {
      const counted = await api(paths.bulkActions(scope), { method: 'POST', body: { action, filter, dryRun: true } });
      if (stopped) return;
      confirmPanel(action, counted.matched);
    } catch (e) {
      failed(e, 'Could not count the matching runs');
    }
  }

  function confirmPanel(action, matched) {
    const [label, done] = VERBS[action];
    if (matched === 0) {
      fill(panel, h('p', { class: 'alert info', id: 'bulk-confirm' }, 'No run matches these filters; nothing to do.'));
      return;
    }
    const go = h('button', { type: 'button', class: action === 'cancel' ? 'danger armed' : '', id: 'bulk-go' },
      `${label} ${matched} run${matched === 1 ? '' : 's'}`);
    const back = h('button', { type: 'button', class: 'secondary', id: 'bulk-back' }, 'Keep them');
    back.addEventListener('click', () => fill(panel));
    go.addEventListener('click', () => start(action, go, back));
    const shown = Object.entries(filter).map(([k, v]) => `${k} = ${v}`).join(', ') || 'every run in this scope';
    fill(panel, h('div', { class: 'alert info bulk-confirm', id: 'bulk-confirm', role: 'alertdialog' },
      h('p', {}, h('strong', { id: 'bulk-matched', dataset: { matched: String(matched) } }, String(matched)),
        ` run${matched === 1 ? '' : 's'} match (${shown}). `,
        action === 'cancel' ? 'Queued and waiting runs are cancelled at once, running ones are asked to stop; '
          + 'settled runs are skipped.' : `Each is ${done} as a new run of its service with the same input.`),
      h('div', { class: 'filter-actions' }, go, back)));
  }

  async function start(action, ...controls) {
    controls.forEach(c => (c.disabled = true));
    try {
      const created = await api(paths.bulkActions(scope), { method: 'POST', body: { action, filter } });
      follow(created.bulkActionId);
    } catch (e) {
      failed(e, `Could not start the bulk ${action}`);
    }
  }

  async function follow(id) {
    clearTimeout(timer);
    try {
      const a = await api(paths.bulkAction(scope, id));
      if (stopped) return;
      const [, done] = VERBS[a.action] ?? ['', a.action];
      fill(panel, h('p', { class: 'alert info', id: 'bulk-progress', dataset: { status: a.status, processed: String(a.processed) } },
        a.status === 'running' ? `Bulk ${a.action} ${id}: ${a.processed} of ${a.matched} done…`
          : `Bulk ${a.action} ${id} ${a.status}: ${a.processed} of ${a.matched} ${done}, ${a.skipped} skipped, `
            + `${a.failed} failed.`));
      if (a.status === 'running') timer = setTimeout(() => follow(id), PROGRESS_MS);
    } catch (e) {
      failed(e, 'Could not read the bulk action');
    }
  }

  function failed(e, prefix) {
    if (stopped) return;
    if (e instanceof ApiError && e.status === 401) {
      signOut('Your key is no longer accepted; sign in again.');
      return;
    }
    fill(panel, h('div', { id: 'bulk-confirm' }, errorBox(e, prefix)));
  }

  const element = h('section', { class: 'bulk', 'aria-label': 'bulk actions' },
    h('div', { class: 'filter-actions' }, buttons), panel);
  return { element, stop: () => { stopped = true; clearTimeout(timer); } };
}
