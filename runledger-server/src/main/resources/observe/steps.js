// A run's durable steps (GET /runs/{id}/steps): each recorded once across attempts and
// resumes, in the order recorded. Read page by page on load, then from the last step's seq
// on whenever the ledger shows a step.completed.

import { ApiError, api, paths } from './api.js';
import { errorBox, fill, h, jsonBlock, jsonLine, time } from './dom.js';
import { signOut } from './routes.js';

const PAGE = 200; // the steps endpoint's largest page

/** The steps section of a run page: {el, refresh()}; refresh reads only what is new. */
export function stepsSection(scope, runId, { signal }) {
  const list = h('ol', { id: 'steps', class: 'rows' });
  const errorSlot = h('div', { id: 'steps-error' });
  const el = h('section', { id: 'steps-section', class: 'card', hidden: true }, h('h2', {}, 'Steps'), errorSlot, list);
  let after = 0; // the seq of the last step shown
  let reading = null;
  let again = false;

  async function read() {
    for (;;) {
      const page = await api(paths.steps(scope, runId), { query: { after, limit: PAGE }, signal });
      for (const step of page.items) {
        if (step.seq <= after) continue;
        after = step.seq;
        list.append(item(step));
      }
      el.hidden = list.childElementCount === 0;
      if (page.items.length < PAGE) return;
    }
  }

  // One read at a time; a refresh asked for meanwhile runs once it is done.
  function refresh() {
    if (reading) {
      again = true;
      return reading;
    }
    reading = read()
      .then(() => fill(errorSlot))
      .catch(e => {
        if (e.name === 'AbortError') return;
        if (e instanceof ApiError && e.status === 401) return signOut('Your key is no longer accepted; sign in again.');
        el.hidden = false;
        fill(errorSlot, errorBox(e, 'Could not load the steps'));
      })
      .finally(() => {
        reading = null;
        if (again) {
          again = false;
          refresh();
        }
      });
    return reading;
  }

  return { el, refresh };
}

function item(step) {
  return h('li', { class: 'row step', dataset: { step: step.step, seq: String(step.seq) } },
    h('span', { class: 'mono step-name' }, step.step),
    h('span', { class: 'muted small' }, `attempt ${step.attempt}`),
    h('code', { class: 'preview', title: jsonLine(step.output, 2000) }, jsonLine(step.output)),
    h('span', { class: 'muted small' }, time(step.createdAt)),
    h('details', { class: 'step-json' }, h('summary', {}, 'Output'), jsonBlock(step.output)));
}
