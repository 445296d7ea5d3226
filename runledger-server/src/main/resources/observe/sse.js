// A run's live event stream through the browser's own EventSource. EventSource cannot send
// an Authorization header, so the stream is read with a run access token in its URL: a
// token that can only read this one run, issued with the signed-in key and renewed when the
// server refuses it. With eventNames=false every event arrives as a plain message (its type
// is in the data); after the run's terminal event the page closes the stream, and a
// reconnect the browser makes after it gets 204, which ends EventSource for good.

import { ApiError, api, paths, session } from './api.js';

/** Terminal event types: the server ends the stream after one of them. */
export const TERMINAL_EVENTS = new Set(['run.succeeded', 'run.failed', 'run.cancelled', 'run.expired']);

/** How long a token is asked for; a refused or expired one is replaced. */
export const TOKEN_TTL_SECONDS = 600;

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

// One token per run for this page, reused while the server accepts it (a run page opened
// again, a paused stream resumed), so that following runs does not pile up tokens; and
// only under the key that issued it.
const tokens = new Map();

async function runToken(scope, runId) {
  const id = `${scope}/${runId}`;
  let entry = tokens.get(id);
  if (!entry || entry.key !== session.key) {
    const token = api(paths.accessTokens(scope, runId), { method: 'POST', body: { ttlSeconds: TOKEN_TTL_SECONDS } });
    entry = { key: session.key, token };
    tokens.set(id, entry);
    token.catch(() => tokens.get(id) === entry && tokens.delete(id));
  }
  return (await entry.token).token;
}

/** Drops the token if the server no longer takes it (expired, its key revoked, its run gone). */
async function checkToken(scope, runId, token) {
  const res = await fetch(paths.run(scope, runId), {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, cache: 'no-store',
  });
  if (res.status === 401) tokens.delete(`${scope}/${runId}`);
}

/**
 * Follows one run's stream from a seq on, delivering each event exactly once and in order:
 * EventSource resumes with Last-Event-ID after a dropped connection, a new stream starts
 * after the last delivered seq, and anything at or below that seq is skipped.
 *
 * onEvent(event) gets each event; onState(state, error) gets 'connecting', 'live',
 * 'reconnecting', 'paused', 'ended' or 'failed'. When the server closes the stream for good
 * without a terminal event (a refused token, a 204), isSettled() is asked whether the run is
 * over (it answers true when the run is terminal and every event up to its lastSeq was
 * delivered); if not, a new stream is opened with a token the server takes.
 */
export class RunStream {
  constructor({ scope, runId, lastSeq = 0, onEvent, onState = () => {}, isSettled = async () => false }) {
    this.scope = scope;
    this.runId = runId;
    this.lastSeq = lastSeq;
    this.onEvent = onEvent;
    this.onState = onState;
    this.isSettled = isSettled;
    this.running = false;
    this.source = null;
    this.retry = FIRST_RETRY_MS;
    this.timer = null;
    this.generation = 0; // callbacks of a stream whose generation is not current are ignored
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.retry = FIRST_RETRY_MS;
    this.#open(++this.generation);
  }

  /** Stops following; start() later resumes right after the last delivered event. */
  stop(state = 'paused') {
    if (!this.running) return;
    this.#close();
    this.onState(state);
  }

  #close() {
    this.running = false;
    this.generation++;
    clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
  }

  async #open(generation) {
    const active = () => this.running && this.generation === generation;
    this.onState('connecting');
    let token;
    try {
      token = await runToken(this.scope, this.runId);
    } catch (error) {
      if (!active()) return;
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 409) {
        this.#close(); // the key, the scope or the run is wrong: retrying cannot help
        this.onState('failed', error);
        return;
      }
      this.onState('reconnecting', error); // too many tokens for now, or the server is away
      this.#later(generation);
      return;
    }
    if (!active()) return;
    const url = new URL(paths.stream(this.scope, this.runId), location.origin);
    url.searchParams.set('access_token', token);
    url.searchParams.set('eventNames', 'false');
    url.searchParams.set('after', String(this.lastSeq));
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => {
      if (!active()) return;
      this.retry = FIRST_RETRY_MS;
      this.onState('live');
    };
    source.onmessage = message => {
      if (!active()) return;
      const seq = Number(message.lastEventId);
      if (!(seq > this.lastSeq)) return; // already delivered before a reconnect
      const event = JSON.parse(message.data);
      this.lastSeq = seq;
      this.onEvent(event);
      if (TERMINAL_EVENTS.has(event.type)) {
        this.#close();
        this.onState('ended');
      }
    };
    source.onerror = () => {
      if (!active()) return;
      if (source.readyState === EventSource.CONNECTING) {
        this.onState('reconnecting'); // a dropped connection: the browser resumes it itself
        return;
      }
      source.close(); // the server refused the stream (or answered 204): find out why
      this.#recover(generation, token);
    };
  }

  async #recover(generation, token) {
    const active = () => this.running && this.generation === generation;
    this.onState('reconnecting');
    try {
      await checkToken(this.scope, this.runId, token);
      if (!active()) return;
      if (await this.isSettled(this.lastSeq)) {
        if (!active()) return;
        this.#close();
        this.onState('ended');
        return;
      }
    } catch {
      // the server is away: try again later
    }
    if (active()) this.#later(generation);
  }

  #later(generation) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.running && this.generation === generation) this.#open(generation);
    }, this.retry);
    this.retry = Math.min(this.retry * 2, MAX_RETRY_MS);
  }
}
