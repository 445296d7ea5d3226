// Small DOM helpers. Every piece of data reaches the page as a text node or an attribute
// value, never as HTML, so nothing a run carries can become markup or script.

/** Builds an element: h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, ...). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child)); // a string becomes a text node
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'expired']);
export const STATUSES = ['accepted', 'scheduled', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'expired'];

/** A status badge, coloured per status (see style.css). */
export function badge(status) {
  return h('span', { class: `badge status-${status}`, dataset: { status } }, status);
}

/** "2026-11-22 00:12:03.123 UTC" from the API's RFC 3339 UTC timestamps. */
export function absolute(ts) {
  return ts ? `${ts.slice(0, 10)} ${ts.slice(11, 23)} UTC` : '';
}

/** "just now", "12 s ago", "in 3 min". */
export function relative(ts, now = Date.now()) {
  if (!ts) return '';
  const seconds = Math.round((now - Date.parse(ts)) / 1000);
  const size = Math.abs(seconds);
  if (size < 2) return 'just now';
  let text;
  if (size < 60) text = `${size} s`;
  else if (size < 3600) text = `${Math.floor(size / 60)} min`;
  else if (size < 86400) text = `${Math.floor(size / 3600)} h`;
  else text = `${Math.floor(size / 86400)} d`;
  return seconds >= 0 ? `${text} ago` : `in ${text}`;
}

/** "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function duration(ms) {
  if (ms == null || Number.isNaN(ms)) return '';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const pad = n => String(Math.floor(n)).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad((s % 3600) / 60)} min`;
}

/** A run's duration: start to finish, or start to now while it runs. */
export function runDuration(run, now = Date.now()) {
  if (!run.startedAt) return '';
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return duration(end - Date.parse(run.startedAt));
}

/**
 * A time element showing the relative time (kept fresh by the ticker below) with the
 * absolute time in its tooltip; with {both: true} the absolute time is shown as well.
 */
export function time(ts, { both = false } = {}) {
  if (!ts) return h('span', { class: 'muted' }, '—');
  const el = h('time', { datetime: ts, title: absolute(ts), dataset: { relative: ts } }, relative(ts));
  return both ? h('span', { class: 'when' }, absolute(ts), h('span', { class: 'muted small' }, el)) : el;
}

// One ticker for the whole page: relative times and running durations stay current.
setInterval(() => {
  const now = Date.now();
  for (const el of document.querySelectorAll('[data-relative]')) el.textContent = relative(el.dataset.relative, now);
  for (const el of document.querySelectorAll('[data-running-since]')) {
    el.textContent = duration(now - Date.parse(el.dataset.runningSince));
  }
}, 1000);

/** Pretty JSON in a monospace block. */
export function jsonBlock(value, attrs = {}) {
  return h('pre', { class: 'json', ...attrs }, JSON.stringify(value, null, 2));
}

/** One line of compact JSON, cut to a readable length. */
export function jsonLine(value, max = 160) {
  const text = value === undefined ? '' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** An alert box for a failed request (an ApiError or anything else). */
export function errorBox(error, prefix) {
  const code = error?.code ? h('code', {}, error.code) : null;
  return h('div', { class: 'alert error', role: 'alert' },
    prefix ? `${prefix}: ` : '', error?.message ?? String(error), code ? ' ' : '', code);
}
