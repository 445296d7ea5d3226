// What a run waits on: its waitpoints (GET /waitpoints?runId=), each with its kind, target
// and status, and for a pending token a form that completes it (a person's approval, say).
// Pending waitpoints, what holds the run now, come first; then those it waited on before.

import { ApiError, api, paths } from './api.js';
import { absolute, errorBox, fill, h, jsonLine, time } from './dom.js';
import { runHref, signOut } from './routes.js';

const PAGE = 200; // the list's largest page: a run waits on more only in a very wide fan-out
const POLL_MS = 3000;
const ON_TIMEOUT = { resume: 'resumes', fail: 'fails' }; // what a suspend does when it times out

/**
 * The waitpoints section of a run page: {el, refresh(), suspended(data)}. Call refresh on
 * load and when the ledger shows run.waiting or run.resumed (an answer overtaken by a newer
 * refresh is dropped); it stops when signal aborts. suspended, given a run.waiting event's
 * data, names the step and the suspend's timeout; given null (a resume, an end) clears them.
 */
export function waitsSection(scope, runId, { signal }) {
  const list = h('ul', { id: 'waitpoints', class: 'rows' });
  const result = h('div', { id: 'waitpoint-result' }); // what a completion answered
  const errorSlot = h('div', { id: 'waits-error' });
  const title = h('h2', {}, 'Waitpoints');
  const note = h('span', { id: 'suspension', class: 'muted small' });
  const more = h('p', { class: 'muted small', hidden: true }, `Showing the newest ${PAGE}.`);
  const el = h('section', { id: 'waits', class: 'card', hidden: true },
    h('div', { class: 'section-head' }, title, note), errorSlot, result, list, more);
  let generation = 0;
  let shown = ''; // the list as last drawn: it is drawn again only when it changed
  let holding = false; // whether the list last read had a pending waitpoint
  let timer;
  const sending = new Set(); // the tokens whose completion is in flight: their buttons stay disabled
  signal.addEventListener('abort', () => clearTimeout(timer));

  async function refresh() {
    clearTimeout(timer);
    const mine = ++generation;
    try {
      const page = await api(paths.waitpoints(scope), { query: { runId, limit: PAGE }, signal });
      if (mine !== generation) return;
      fill(errorSlot);
      const pending = page.items.filter(w => w.status === 'pending');
      const settled = page.items.filter(w => w.status !== 'pending');
      holding = pending.length > 0;
      fill(title, holding ? 'Waiting on' : 'Waited on');
      el.hidden = page.items.length === 0;
      el.classList.toggle('waiting', holding);
      more.hidden = !page.nextCursor;
      const drawn = JSON.stringify(page.items);
      if (drawn !== shown) {
        shown = drawn;
        draw([...pending, ...settled]);
      }
    } catch (e) {
      if (mine !== generation || e.name === 'AbortError') return;
      if (e instanceof ApiError && e.status === 401) return signOut('Your key is no longer accepted; sign in again.');
      el.hidden = false;
      fill(errorSlot, errorBox(e, 'Could not load the waitpoints'));
    }
    // A waitpoint can complete with no event in this run's ledger (a child run ends, a token
    // is completed elsewhere, one of several): while one is pending, read again now and then.
    if (holding && !signal.aborted) schedule();
  }

  function schedule() {
    timer = setTimeout(() => (document.hidden ? schedule() : refresh()), POLL_MS);
  }

  // What someone is typing into a token's form, and where, survives a redraw.
  function draw(items) {
    const typed = new Map([...list.querySelectorAll('form.token-form')]
      .map(form => [form.dataset.waitpointId, form.elements.data.value]));
    const active = document.activeElement;
    const focused = list.contains(active) && active.name === 'data'
      ? { id: active.form.dataset.waitpointId, start: active.selectionStart, end: active.selectionEnd } : null;
    const ctx = { scope, result, refresh, sending, list };
    fill(list, items.map(w => item(ctx, w)));
    for (const form of list.querySelectorAll('form.token-form')) {
      const id = form.dataset.waitpointId;
      if (typed.has(id)) form.elements.data.value = typed.get(id);
      if (focused?.id === id) {
        form.elements.data.focus();
        form.elements.data.setSelectionRange(focused.start, focused.end);
      }
    }
  }

  function suspended(data) {
    const then = Object.hasOwn(ON_TIMEOUT, data?.onTimeout ?? '') ? ON_TIMEOUT[data.onTimeout] : data?.onTimeout;
    fill(note, data ? [
      data.step != null && ['at step ', h('span', { class: 'mono' }, data.step)],
      data.timeoutAt && ['; times out ', time(data.timeoutAt), then ? `, then ${then}` : ''],
    ] : null);
  }

  return { el, refresh, suspended };
}

function item(ctx, w) {
  const { scope } = ctx;
  return h('li', { class: 'row waitpoint', dataset: { waitpointId: w.waitpointId, kind: w.kind, status: w.status } },
    h('span', { class: 'kind' }, w.kind),
    h('span', { class: 'mono small' }, w.waitpointId),
    h('span', { class: 'target' }, target(scope, w)),
    h('span', { class: `badge status-${w.status}`, dataset: { status: w.status } }, w.status.replace('_', ' ')),
    w.completedAt && h('span', { class: 'muted small' }, 'completed ', time(w.completedAt)),
    w.data != null && h('code', { class: 'preview', title: jsonLine(w.data, 2000) }, jsonLine(w.data)),
    w.kind === 'token' && w.status === 'pending' && tokenForm(ctx, w));
}

/** What the waitpoint waits for: a run, a batch, a time, or a call before a deadline. */
function target(scope, w) {
  switch (w.kind) {
    case 'run':
      return w.targetRunId
        ? ['run ', h('a', { class: 'mono', href: runHref(scope, w.targetRunId) }, w.targetRunId)] : 'a run';
    case 'batch':
      return w.targetBatchId ? ['batch ', h('span', { class: 'mono' }, w.targetBatchId)] : 'a batch';
    case 'duration':
      return w.resumeAt
        ? ['a timer, due ', time(w.resumeAt), h('span', { class: 'muted small' }, ` · ${absolute(w.resumeAt)}`)]
        : 'a timer';
    case 'token':
      if (w.status !== 'pending') return 'a call';
      return w.expiresAt ? ['a call; expires ', time(w.expiresAt)] : 'a call; no expiry';
    default:
      return '';
  }
}

/** Completes a pending token with the JSON typed in: POST /waitpoints/{id}/complete {data}. */
function tokenForm({ scope, result, refresh, sending, list }, w) {
  const id = w.waitpointId;
  const data = h('textarea', {
    name: 'data', rows: 3, class: 'mono', spellcheck: 'false', 'aria-label': `Data for ${w.waitpointId}`,
  }, '{}');
  const button = h('button', { type: 'submit', disabled: sending.has(id) }, 'Complete');
  const form = h('form', { class: 'token-form', dataset: { waitpointId: id } },
    h('label', {}, 'Data (JSON)', data), button);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    let body;
    try {
      body = { data: JSON.parse(data.value || 'null') };
    } catch (e) {
      return fill(result, errorBox(e, 'The data is not JSON'));
    }
    sending.add(id);
    button.disabled = true;
    try {
      const answer = await api(paths.waitpointComplete(scope, id), { method: 'POST', body });
      fill(result, h('div', { class: 'alert info', role: 'status' },
        `Waitpoint ${answer.waitpointId} ${answer.status}.`));
      refresh();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return signOut('Your key is no longer accepted; sign in again.');
      fill(result, errorBox(e, 'Complete failed'));
      if (e instanceof ApiError && e.status === 409) refresh(); // completed by someone else: show it so
    } finally {
      sending.delete(id);
      // The list may have been drawn again meanwhile: enable the button shown now.
      const shown = [...list.querySelectorAll('form.token-form')].find(f => f.dataset.waitpointId === id);
      if (shown) shown.querySelector('button').disabled = false;
    }
  });
  return form;
}
