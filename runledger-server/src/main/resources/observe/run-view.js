// The pieces of the run page that only render: the run's header, one timeline entry, the
// two-step cancel button and the signal form. Data goes in as text, never as HTML.

import { api, paths } from './api.js';
import {
  TERMINAL, badge, errorBox, fill, h, jsonBlock, jsonLine, runDuration, time,
} from './dom.js';
import { runHref } from './routes.js';

/** A two-step button: the first click asks to confirm, the second (within 5 s) acts. */
export function armCancel(button, act) {
  let armed = null;
  button.addEventListener('click', async () => {
    if (!armed) {
      fill(button, 'Confirm cancel');
      button.classList.add('armed');
      armed = setTimeout(() => {
        armed = null;
        fill(button, 'Cancel run');
        button.classList.remove('armed');
      }, 5000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    button.disabled = true;
    fill(button, 'Cancelling…');
    await act();
    button.disabled = false;
    button.classList.remove('armed');
    fill(button, 'Cancel run');
  });
}

export function runHeader(scope, run, seen) {
  const fact = (label, ...value) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, ...value));
  const dash = h('span', { class: 'muted' }, '—');
  const running = run.startedAt && !run.finishedAt;
  return [
    h('div', { class: 'run-title' },
      h('h1', { class: 'mono', id: 'run-id' }, run.runId),
      h('span', { id: 'run-status' }, badge(run.status))),
    h('dl', { class: 'facts' },
      fact('Service', run.service),
      fact('Attempt', `${run.attempt} / ${run.maxAttempts}`),
      fact('Worker', run.workerId ? h('span', { class: 'mono' }, run.workerId) : dash.cloneNode(true)),
      fact('Created', time(run.createdAt, { both: true })),
      run.runAt && run.runAt !== run.createdAt && fact('Run at', time(run.runAt, { both: true })),
      fact('Started', time(run.startedAt, { both: true })),
      fact('Finished', time(run.finishedAt, { both: true })),
      fact('Duration', running
        ? h('span', { dataset: { runningSince: run.startedAt } }, runDuration(run))
        : runDuration(run) || dash.cloneNode(true)),
      run.concurrencyKey && fact('Concurrency key', h('span', { class: 'mono' }, run.concurrencyKey)),
      run.tags?.length > 0 && fact('Tags', run.tags.map(t => h('span', { class: 'tag' }, t))),
      run.correlationId && fact('Correlation id', h('span', { class: 'mono' }, run.correlationId)),
      fact('Command id', h('span', { class: 'mono' }, run.commandId)),
      run.parentRunId && fact('Parent run', runLink(scope, run.parentRunId, 'parent-run')),
      run.rootRunId && run.rootRunId !== run.runId && run.rootRunId !== run.parentRunId
        && fact('Root run', runLink(scope, run.rootRunId, 'root-run')),
      run.replayOf && fact('Replay of', runLink(scope, run.replayOf, 'replay-of')),
      run.stopRequestedAt && fact('Stop requested', time(run.stopRequestedAt, { both: true })),
      run.leaseExpiresAt && !TERMINAL.has(run.status) && fact('Lease expires', time(run.leaseExpiresAt)),
      fact('Events', h('span', { id: 'event-count' }, String(Math.max(run.lastSeq, seen))))),
    run.error && h('div', { id: 'run-error', class: 'alert error' },
      h('strong', {}, run.error.code), ': ', run.error.message,
      run.error.detail != null && h('details', {}, h('summary', {}, 'Detail'), jsonBlock(run.error.detail))),
    run.output != null && h('div', { class: 'block' }, h('h2', {}, 'Output'), jsonBlock(run.output, { id: 'run-output' })),
    h('details', { class: 'block' }, h('summary', {}, 'Input'), jsonBlock(run.input)),
    !isEmpty(run.metadata) && h('details', { class: 'block' }, h('summary', {}, 'Metadata'), jsonBlock(run.metadata)),
  ];
}

function runLink(scope, runId, id) {
  return h('a', { id, class: 'mono', href: runHref(scope, runId) }, runId);
}

function isEmpty(value) {
  return value == null || (typeof value === 'object' && Object.keys(value).length === 0);
}

export function eventItem(event) {
  const kind = event.type.startsWith('run.') ? 'run' : event.type.split('.')[0];
  return h('li', { class: `event kind-${kind}`, dataset: { seq: String(event.seq), type: event.type } },
    h('span', { class: 'seq mono' }, `#${event.seq}`),
    h('span', { class: 'etype mono' }, event.type),
    h('code', { class: 'event-data' }, event.data == null ? '' : jsonLine(event.data, 400)),
    h('span', { class: 'event-time' },
      h('span', { class: 'mono' }, event.createdAt.slice(11, 23)), ' · ', time(event.createdAt)),
    h('details', { class: 'event-json' }, h('summary', {}, 'JSON'), jsonBlock(event)));
}

const SEVERITIES = ['debug', 'info', 'warning', 'error', 'critical'];

/** The signal form, shown only when the server has POST .../signals. */
export function signalForm(scope, runId, result) {
  const type = h('input', { name: 'type', required: true, placeholder: 'approve', autocomplete: 'off' });
  const data = h('textarea', { name: 'data', rows: 4, class: 'mono', spellcheck: 'false' }, '{}');
  const severity = h('select', { name: 'severity' },
    SEVERITIES.map(level => h('option', { value: level, selected: level === 'info' }, level)));
  const form = h('form', { id: 'signal-form', class: 'card inline-form' },
    h('label', {}, 'Type', type), h('label', {}, 'Data (JSON)', data), h('label', {}, 'Severity', severity),
    h('button', { type: 'submit' }, 'Send'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    let body;
    try {
      body = { type: type.value.trim(), data: JSON.parse(data.value || 'null'), severity: severity.value };
    } catch (e) {
      return fill(result, errorBox(e, 'The data is not JSON'));
    }
    try {
      const answer = await api(paths.signals(scope, runId), { method: 'POST', body });
      fill(result, h('div', { class: 'alert info', role: 'status' }, `Signal sent (message ${answer.messageId}).`));
    } catch (e) {
      fill(result, errorBox(e, 'Signal failed'));
    }
  });
  return form;
}
