// A run's live event stream over fetch(). EventSource cannot send an Authorization header,
// so this reads text/event-stream from a ReadableStream itself and does what EventSource
// would: resume from the last id after a dropped connection, with Last-Event-ID.

import { authHeaders, problem } from './api.js';

/** Terminal event types: the server ends the stream after one of them. */
export const TERMINAL_EVENTS = new Set(['run.succeeded', 'run.failed', 'run.cancelled', 'run.expired']);

/**
 * Parses a text/event-stream body into messages {id, event, data} and comments {comment}
 * (the server's keep-alives), as the SSE specification's line rules say.
 */
export async function* sseMessages(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let message = { id: null, event: null, data: null };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        let line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (line === '') {
          if (message.data !== null) yield message;
          message = { id: null, event: null, data: null };
        } else if (line.startsWith(':')) {
          yield { comment: line.slice(1).trim() };
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let value = colon < 0 ? '' : line.slice(colon + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'data') message.data = message.data === null ? value : `${message.data}\n${value}`;
          else if (field === 'id') message.id = value;
          else if (field === 'event') message.event = value;
        }
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;
// The server sends a keep-alive comment every 15 s; a connection silent for longer than
// this is half-open (a sleeping laptop, a proxy that dropped it) and is replaced.
const SILENCE_MS = 45_000;

/**
 * Follows one run's stream from a seq on, delivering each event exactly once and in order:
 * the stream is resumed from the last delivered seq after any drop, and anything at or
 * below that seq is skipped, so a replay can never duplicate an event.
 *
 * onEvent(event) gets each event; onState(state, error) gets 'connecting', 'live',
 * 'reconnecting', 'paused', 'ended' or 'failed'. When a stream ends without a terminal
 * event, isSettled() is asked whether the run is over (it answers true when the run is
 * terminal and every event up to its lastSeq was delivered); if not, it reconnects.
 */
export class RunStream {
  constructor({ url, lastSeq = 0, onEvent, onState = () => {}, isSettled = async () => false }) {
    this.url = url;
    this.lastSeq = lastSeq;
    this.onEvent = onEvent;
    this.onState = onState;
    this.isSettled = isSettled;
    this.running = false;
    this.controller = null;
    this.generation = 0; // a loop whose generation is not current has been stopped
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.#loop(++this.generation);
  }

  /** Stops following; start() later resumes right after the last delivered event. */
  stop(state = 'paused') {
    if (!this.running) return;
    this.running = false;
    this.controller?.abort();
    this.onState(state);
  }

  async #loop(generation) {
    const active = () => this.running && this.generation === generation;
    let retry = FIRST_RETRY_MS;
    while (active()) {
      const controller = new AbortController();
      this.controller = controller;
      let silence;
      const watch = () => {
        clearTimeout(silence);
        silence = setTimeout(() => controller.abort(), SILENCE_MS);
      };
      try {
        this.onState('connecting');
        watch();
        const res = await fetch(this.url, {
          headers: authHeaders({ Accept: 'text/event-stream', 'Last-Event-ID': String(this.lastSeq) }),
          signal: controller.signal,
          cache: 'no-store',
        });
        if (!active()) return;
        if (!res.ok) {
          const error = await problem(res);
          if (res.status >= 400 && res.status < 500 && res.status !== 429) {
            this.running = false; // the key, the scope or the run is wrong: retrying cannot help
            this.onState('failed', error);
            return;
          }
          throw error;
        }
        this.onState('live');
        let terminal = false;
        for await (const message of sseMessages(res.body)) {
          if (!active()) return;
          watch();
          retry = FIRST_RETRY_MS; // the connection works: the next drop retries quickly again
          if (message.comment !== undefined) continue;
          const seq = Number(message.id);
          if (!(seq > this.lastSeq)) continue; // already delivered before a reconnect
          const event = JSON.parse(message.data);
          this.lastSeq = seq;
          this.onEvent(event);
          terminal ||= TERMINAL_EVENTS.has(event.type);
        }
        if (!active()) return;
        const settled = terminal || (await this.isSettled(this.lastSeq));
        if (!active()) return;
        if (settled) {
          this.running = false;
          this.onState('ended');
          return;
        }
        // The server closed the stream early (a restart, a drain): resume from lastSeq.
        this.onState('reconnecting');
      } catch (error) {
        if (!active()) return;
        this.onState('reconnecting', error);
      } finally {
        clearTimeout(silence);
      }
      await new Promise(resolve => setTimeout(resolve, retry));
      retry = Math.min(retry * 2, MAX_RETRY_MS);
    }
  }
}
