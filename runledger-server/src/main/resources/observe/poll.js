// A page's table re-read from the server every 2 s while the tab is visible: one read in
// flight at a time, a live / offline indicator, a failed read shown in place (and retried),
// a key no longer accepted signs out. A hidden tab does not poll; it reads again when shown.

import { ApiError } from './api.js';
import { errorBox, fill, time } from './dom.js';
import { signOut } from './routes.js';

const POLL_MS = 2000;

/**
 * Starts polling: load(signal) reads from the server, show(data) renders what it read (not
 * called once stopped). what names the data in an error ("runs"). Returns {refresh, stop}.
 */
export function livePoll({ scope, what, liveState, errorSlot, load, show }) {
  let stopped = false;
  let timer;
  let controller;

  async function refresh() {
    if (stopped) return;
    clearTimeout(timer);
    controller?.abort(); // at most one read in flight
    controller = new AbortController();
    try {
      const data = await load(controller.signal);
      if (stopped) return;
      show(data);
      fill(errorSlot);
      liveState.dataset.state = 'live';
      fill(liveState, 'Live · updated ', time(new Date().toISOString()));
    } catch (e) {
      if (stopped || e.name === 'AbortError') return;
      if (e instanceof ApiError && e.status === 401) return signOut('Your key is no longer accepted; sign in again.');
      fill(errorSlot, errorBox(e, e instanceof ApiError && e.status === 404
        ? `Scope “${scope}” was not found, or this key belongs to another scope` : `Could not load ${what}`));
      liveState.dataset.state = 'offline';
      fill(liveState, 'Offline · retrying');
    }
    clearTimeout(timer);
    if (!stopped && !document.hidden) timer = setTimeout(refresh, POLL_MS);
  }

  const onVisibility = () => (document.hidden ? clearTimeout(timer) : refresh());
  document.addEventListener('visibilitychange', onVisibility);
  refresh();

  return {
    refresh,
    stop() {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
