// The UI's URLs. All state a page shows comes from the server; the URL says which scope,
// which filters, which page of runs and which run, so a reload or a new tab shows the same.
//   #/scopes/{scope}/runs?service=&status=&concurrencyKey=&tag=&health=&c=<cursor>&c=<cursor>...
//   #/scopes/{scope}/runs/{runId}
//   #/scopes/{scope}/services
//   #/scopes/{scope}/workers
//   #/scopes/{scope}/webhooks?webhook=<id>&delivery=<id>&status=<delivery status>
//   #/scopes/{scope}/overview?window=1h&service=   (also #/scopes/{scope}: a scope's landing page)
// The c parameters are the stack of list cursors that led to the page shown ("older" pushes
// the API's nextCursor, "newer" pops), since the API's keyset cursor only walks older.

import { session } from './api.js';

export const FILTERS = ['service', 'status', 'concurrencyKey', 'tag', 'health'];
export const SCOPE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * The route of a location hash: {page: 'home' | 'overview' | 'runs' | 'run' | 'services' | 'workers' | 'webhooks',
 * scope?, runId?, params}.
 */
export function parseRoute(hash) {
  const text = hash.replace(/^#/, '');
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  try {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'scopes' && parts[1] && (parts.length === 2 || (parts[2] === 'overview' && parts.length === 3))) {
      return { page: 'overview', scope: parts[1], params };
    }
    if (parts[0] === 'scopes' && parts[1] && parts[2] === 'services' && parts.length === 3) {
      return { page: 'services', scope: parts[1], params };
    }
    if (parts[0] === 'scopes' && parts[1] && ['workers', 'webhooks'].includes(parts[2]) && parts.length === 3) {
      return { page: parts[2], scope: parts[1], params };
    }
    if (parts[0] === 'scopes' && parts[1] && parts[2] === 'runs') {
      if (parts.length === 3) return { page: 'runs', scope: parts[1], params };
      if (parts.length === 4) return { page: 'run', scope: parts[1], runId: parts[3], params };
    }
  } catch {
    // a malformed %-escape: fall through to the home page
  }
  return { page: 'home', params };
}

const enc = encodeURIComponent;

/** The runs page of a scope, with filters {service, status, ...} and a cursor stack. */
export function runsHref(scope, filters = {}, cursors = []) {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
  for (const cursor of cursors) params.append('c', cursor);
  const query = params.toString();
  return `#/scopes/${enc(scope)}/runs${query ? `?${query}` : ''}`;
}

/** The overview of a scope for a window ('1h' when not given) and optionally one service. */
export function overviewHref(scope, window, service) {
  const params = new URLSearchParams();
  if (window && window !== '1h') params.set('window', window);
  if (service) params.set('service', service);
  const query = params.toString();
  return `#/scopes/${enc(scope)}/overview${query ? `?${query}` : ''}`;
}

export function servicesHref(scope) {
  return `#/scopes/${enc(scope)}/services`;
}

export function workersHref(scope) {
  return `#/scopes/${enc(scope)}/workers`;
}

/** The webhooks page, with the webhook and delivery chosen and the deliveries' status filter. */
export function webhooksHref(scope, { webhook, delivery, status } = {}) {
  const params = new URLSearchParams();
  if (webhook) params.set('webhook', webhook);
  if (webhook && delivery) params.set('delivery', delivery);
  if (webhook && status) params.set('status', status);
  const query = params.toString();
  return `#/scopes/${enc(scope)}/webhooks${query ? `?${query}` : ''}`;
}

export function runHref(scope, runId) {
  return `#/scopes/${enc(scope)}/runs/${enc(runId)}`;
}

/** The key stopped working (401): forget it and show the sign-in form with a message. */
export function signOut(message) {
  session.signOut();
  window.dispatchEvent(new CustomEvent('observe:signed-out', { detail: message }));
}
