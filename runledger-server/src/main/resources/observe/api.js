// The API v1 as the UI uses it. The key lives in this tab's sessionStorage only (gone when
// the tab closes) and goes out as a bearer token; everything else is read from the server.

const KEY_ITEM = 'runledger.key';

export const session = {
  get key() { return sessionStorage.getItem(KEY_ITEM); },
  signIn(key) { sessionStorage.setItem(KEY_ITEM, key); },
  signOut() { sessionStorage.removeItem(KEY_ITEM); },
};

/** A failed request: the HTTP status and the problem document's code and detail. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

/** Reads an RFC 9457 problem from a failed response (or makes one up from the status). */
export async function problem(res) {
  try {
    const body = await res.json();
    return new ApiError(res.status, body.code, body.detail || body.title);
  } catch {
    return new ApiError(res.status, `http_${res.status}`, res.statusText);
  }
}

const enc = encodeURIComponent;

export const paths = {
  runs: scope => `/v1/scopes/${enc(scope)}/runs`,
  run: (scope, runId) => `/v1/scopes/${enc(scope)}/runs/${enc(runId)}`,
  events: (scope, runId) => `${paths.run(scope, runId)}/events`,
  stream: (scope, runId) => `${paths.run(scope, runId)}/stream`,
  accessTokens: (scope, runId) => `${paths.run(scope, runId)}/access-tokens`,
  cancel: (scope, runId) => `${paths.run(scope, runId)}/cancel`,
  signals: (scope, runId) => `${paths.run(scope, runId)}/signals`,
  steps: (scope, runId) => `${paths.run(scope, runId)}/steps`,
  replay: (scope, runId) => `${paths.run(scope, runId)}/replay`,
  waitpoints: scope => `/v1/scopes/${enc(scope)}/waitpoints`,
  services: scope => `/v1/scopes/${enc(scope)}/services`,
  servicePause: (scope, service) => `${paths.services(scope)}/${enc(service)}/pause`,
  serviceResume: (scope, service) => `${paths.services(scope)}/${enc(service)}/resume`,
  queues: scope => `/v1/scopes/${enc(scope)}/queues`,
  overview: scope => `/v1/scopes/${enc(scope)}/overview`,
  schedules: scope => `/v1/scopes/${enc(scope)}/schedules`,
  bulkActions: scope => `/v1/scopes/${enc(scope)}/bulk-actions`,
  bulkAction: (scope, id) => `${paths.bulkActions(scope)}/${enc(id)}`,
  waitpointComplete: (scope, waitpointId) => `${paths.waitpoints(scope)}/${enc(waitpointId)}/complete`,
  workers: scope => `/v1/scopes/${enc(scope)}/workers`,
  webhooks: scope => `/v1/scopes/${enc(scope)}/webhooks`,
  deliveries: (scope, webhookId) => `${paths.webhooks(scope)}/${enc(webhookId)}/deliveries`,
  redeliver: (scope, webhookId, deliveryId) => `${paths.deliveries(scope, webhookId)}/${enc(deliveryId)}/redeliver`,
};

/** The API's path patterns as /openapi.json names them, to ask hasOperation about. */
export const OPERATIONS = {
  signals: '/v1/scopes/{scope}/runs/{runId}/signals',
  steps: '/v1/scopes/{scope}/runs/{runId}/steps',
  replay: '/v1/scopes/{scope}/runs/{runId}/replay',
  waitpoints: '/v1/scopes/{scope}/waitpoints',
  schedules: '/v1/scopes/{scope}/schedules',
  bulkActions: '/v1/scopes/{scope}/bulk-actions',
  waitpointComplete: '/v1/scopes/{scope}/waitpoints/{waitpointId}/complete',
};

/** Headers of every API call: the bearer key, and any extra ones. */
export function authHeaders(extra = {}, key = session.key) {
  return { Authorization: `Bearer ${key}`, ...extra };
}

/**
 * Calls the API and returns the parsed JSON body; throws an ApiError for any non-2xx answer.
 * query: an object whose empty values are left out.
 */
export async function api(path, { method = 'GET', query, body, signal, key } = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value != null && value !== '') url.searchParams.set(name, value);
  }
  const headers = authHeaders({ Accept: 'application/json' }, key ?? session.key);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, {
    method, headers, signal, cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await problem(res);
  return res.json();
}

let openApi;

/**
 * Whether the server answers an operation, read from its /openapi.json (fetched once per
 * page load). Used to show controls only for endpoints this server has.
 */
export async function hasOperation(method, pathPattern) {
  openApi ??= fetch('/openapi.json', { cache: 'no-store' }).then(r => (r.ok ? r.json() : {})).catch(() => ({}));
  const doc = await openApi;
  return Boolean(doc.paths?.[pathPattern]?.[method.toLowerCase()]);
}
