// One run: its state, what it waits on, its steps and children, its ledger as a chart of
// attempts, steps and waits and as a timeline of events, both following the run live, the
// text it streams, and the actions on it. On load the ledger is read page by page, then
// followed from its last seq over SSE; each event is shown once, in seq order, however often
// the stream reconnects.

import { ApiError, OPERATIONS, api, hasOperation, paths } from './api.js';
import { childrenSection } from './children.js';
import { TERMINAL, errorBox, fill, h } from './dom.js';
import { downloadLedger, ledgerEvents } from './ledger.js';
import { runHref, runsHref, signOut } from './routes.js';
import { armCancel, eventItem, runHeader, signalForm } from './run-view.js';
import { RunStream } from './sse.js';
import { stepsSection } from './steps.js';
import { runTimeline } from './timeline-chart.js';
import { waitsSection } from './waits.js';

// What a run waits on changes when it suspends, resumes or ends.
const WAIT_EVENTS = new Set(['run.waiting', 'run.resumed', 'run.succeeded', 'run.failed', 'run.cancelled',
  'run.expired']);
const STREAM_STATES = {
  connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', paused: 'Paused',
  ended: 'Complete', failed: 'Stream failed',
};

export function runPage(root, route) {
  const { scope, runId } = route;
  const controller = new AbortController();
  let run = null;
  let lastSeq = 0;
  let left = false;
  let signalsServed = false; // whether this server answers POST .../signals (read from /openapi.json)
  let loaded = false; // the ledger was read and the sections below were filled once

  const header = h('section', { id: 'run-header', class: 'card' }, h('p', { class: 'muted' }, 'Loading…'));
  const errorSlot = h('div', { id: 'run-page-error' });
  const actionResult = h('div', { id: 'action-result' });
  const cancelButton = h('button', { id: 'cancel-run', type: 'button', class: 'danger', hidden: true }, 'Cancel run');
  const signalButton = h('button', { id: 'signal-run', type: 'button', class: 'secondary', hidden: true },
    'Send signal');
  const downloadButton = h('button', { id: 'download-ledger', type: 'button', class: 'secondary' },
    'Download ledger (JSONL)');
  const followButton = h('button', { id: 'follow-toggle', type: 'button', class: 'secondary', hidden: true },
    'Pause live');
  const replayButton = h('button', { id: 'replay-run', type: 'button', class: 'secondary', hidden: true }, 'Replay');
  const signalSlot = h('div', { id: 'signal-slot' });
  // Shown once they have something; waits and steps only on servers that have those endpoints.
  const waits = waitsSection(scope, runId, { signal: controller.signal });
  // The chosen bar of the chart is kept in the URL (?bar=) without a hashchange, which would
  // draw the page again.
  const chart = runTimeline({
    scope,
    signal: controller.signal,
    selected: route.params.get('bar'),
    onSelect: id => history.replaceState(history.state, '', `${runHref(scope, runId)}?${new URLSearchParams({ bar: id })}`),
  });
  const children = childrenSection(scope, runId, { signal: controller.signal, onItems: items => chart.setChildren(items) });
  const steps = stepsSection(scope, runId, { signal: controller.signal });
  const served = { waits: false, steps: false };
  const outputText = h('pre', { id: 'output-text', class: 'output-text' });
  const outputSection = h('section', { id: 'output-stream', class: 'card', hidden: true },
    h('h2', {}, 'Output stream'), outputText);
  const streamState = h('span', { id: 'stream-state', class: 'live-state', dataset: { state: 'connecting' } });
  const timeline = h('ol', { id: 'timeline', class: 'timeline' });

  fill(root,
    h('nav', { class: 'crumbs' }, h('a', { href: runsHref(scope) }, `← Runs in ${scope}`)),
    errorSlot,
    header,
    h('div', { class: 'actions' }, cancelButton, signalButton, replayButton, downloadButton, followButton),
    actionResult,
    signalSlot,
    waits.el,
    chart.el,
    outputSection,
    steps.el,
    children.el,
    h('section', { class: 'card' },
      h('div', { class: 'section-head' }, h('h2', {}, 'Timeline'), streamState),
      timeline));

  const stream = new RunStream({
    scope,
    runId,
    onEvent: addEvent,
    onState: (state, error) => {
      streamState.dataset.state = state;
      fill(streamState, STREAM_STATES[state] ?? state, error && state === 'failed' ? `: ${error.message}` : '');
      followButton.hidden = state === 'ended' || state === 'failed';
      fill(followButton, state === 'paused' ? 'Resume live' : 'Pause live');
      if (error instanceof ApiError && error.status === 401) signOut('Your key is no longer accepted; sign in again.');
    },
    // The stream closed without a terminal event: over only if the run is terminal and
    // every event up to its last seq has been shown.
    isSettled: async seq => {
      await loadRun();
      return run != null && TERMINAL.has(run.status) && seq >= run.lastSeq;
    },
  });

  function addEvent(event) {
    if (event.seq <= lastSeq) return; // shown already
    lastSeq = event.seq;
    timeline.append(eventItem(event));
    chart.addEvent(event);
    const count = header.querySelector('#event-count');
    if (count && Number(count.textContent) < lastSeq) count.textContent = String(lastSeq);
    if (event.type === 'output.delta' && typeof event.data?.text === 'string') {
      const atEnd = outputText.scrollTop + outputText.clientHeight >= outputText.scrollHeight - 4;
      outputSection.hidden = false;
      outputText.append(event.data.text);
      if (atEnd) outputText.scrollTop = outputText.scrollHeight;
    }
    if (event.type.startsWith('run.')) refreshRun(); // the run's state changed
    if (event.type === 'run.waiting') waits.suspended(event.data);
    else if (WAIT_EVENTS.has(event.type)) waits.suspended(null);
    if (loaded) follow(event);
  }

  // The sections that read more than the ledger follow the events that change them.
  function follow(event) {
    if (served.waits && WAIT_EVENTS.has(event.type)) waits.refresh();
    if (served.steps && event.type === 'step.completed') steps.refresh();
    if (event.type.startsWith('run.')) children.refresh();
  }

  async function loadRun() {
    try {
      const fresh = await api(paths.run(scope, runId), { signal: controller.signal });
      if (run && fresh.lastSeq < run.lastSeq) return; // an older answer overtaken by a newer one
      run = fresh;
      if (left) return;
      fill(errorSlot);
      renderHeader();
    } catch (e) {
      failed(e);
    }
  }

  // Coalesces refreshes: a burst of run.* events costs at most two reads.
  let refreshing = null;
  let again = false;
  function refreshRun() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = loadRun().finally(() => {
      refreshing = null;
      if (again) {
        again = false;
        refreshRun();
      }
    });
  }

  function renderHeader() {
    // Keep the sections the user opened (input, metadata, detail) open across updates.
    const opened = new Set([...header.querySelectorAll('details[open] > summary')].map(el => el.textContent));
    fill(header, runHeader(scope, run, lastSeq));
    for (const el of header.querySelectorAll('details')) el.open = opened.has(el.querySelector('summary').textContent);
    cancelButton.hidden = TERMINAL.has(run.status);
    signalButton.hidden = !signalsServed || TERMINAL.has(run.status);
    if (signalButton.hidden) fill(signalSlot);
  }

  function failed(e) {
    if (left || e.name === 'AbortError') return;
    if (e instanceof ApiError && e.status === 401) {
      signOut('Your key is no longer accepted; sign in again.');
    } else if (e instanceof ApiError && e.status === 404) {
      fill(errorSlot, errorBox(e, `Run ${runId} was not found in scope “${scope}”`));
    } else {
      fill(errorSlot, errorBox(e, 'Could not load the run'));
    }
  }

  async function load() {
    await loadRun();
    if (!run || left) return;
    try {
      const events = await ledgerEvents(scope, runId, { signal: controller.signal });
      if (left) return;
      events.forEach(addEvent);
    } catch (e) {
      return failed(e);
    }
    stream.lastSeq = lastSeq; // follow on from the last event read
    loaded = true;
    children.refresh();
    if (TERMINAL.has(run.status) && lastSeq >= run.lastSeq) {
      stream.onState('ended');
    } else {
      stream.start();
    }
    // Signals, waitpoints, steps and replay are offered only by servers that have the
    // endpoints (older ones do not).
    const [signals, waitpoints, stepList, replay] = await Promise.all([
      hasOperation('post', OPERATIONS.signals),
      hasOperation('get', OPERATIONS.waitpoints),
      hasOperation('get', OPERATIONS.steps),
      hasOperation('post', OPERATIONS.replay),
    ]);
    if (left) return;
    signalsServed = signals;
    served.waits = waitpoints;
    served.steps = stepList;
    replayButton.hidden = !replay;
    renderHeader();
    if (served.waits) waits.refresh();
    if (served.steps) steps.refresh();
  }

  armCancel(cancelButton, async () => {
    try {
      const answer = await api(paths.cancel(scope, runId), { method: 'POST', body: { reason: 'cancelled from Observe' } });
      run = answer;
      renderHeader();
      fill(actionResult, h('div', { class: 'alert info', role: 'status' }, TERMINAL.has(answer.status)
        ? `Run ${answer.status}.`
        : 'Stop requested: the worker settles the run as cancelled on its next heartbeat.'));
    } catch (e) {
      fill(actionResult, errorBox(e, 'Cancel failed'));
    }
  });
  signalButton.addEventListener('click', () => {
    fill(signalSlot, signalSlot.childElementCount ? null : signalForm(scope, runId, actionResult));
  });
  // A new run of the same service with this run's input; its page is shown next.
  replayButton.addEventListener('click', async () => {
    replayButton.disabled = true;
    try {
      const receipt = await api(paths.replay(scope, runId), { method: 'POST', body: {} });
      if (!left) location.hash = runHref(scope, receipt.runId);
    } catch (e) {
      fill(actionResult, errorBox(e, 'Replay failed'));
    } finally {
      replayButton.disabled = false;
    }
  });
  downloadButton.addEventListener('click', async () => {
    downloadButton.disabled = true;
    try {
      await downloadLedger(scope, runId);
    } catch (e) {
      fill(actionResult, errorBox(e, 'Download failed'));
    } finally {
      downloadButton.disabled = false;
    }
  });
  followButton.addEventListener('click', () => (stream.running ? stream.stop('paused') : stream.start()));

  load();
  return () => {
    left = true;
    controller.abort();
    stream.stop('paused');
    chart.stop();
  };
}
