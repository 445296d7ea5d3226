// A run's ledger: pages of GET .../events for the timeline, and the server's JSONL export
// (GET .../events with Accept: application/x-ndjson, streamed by the server) for downloads.

import { api, authHeaders, paths, problem } from './api.js';

const PAGE = 1000; // the events endpoint's largest page

/** Every event of the run, in seq order, one page after another. */
export async function ledgerEvents(scope, runId, { signal } = {}) {
  const events = [];
  let after = 0;
  for (;;) {
    const page = await api(paths.events(scope, runId), { query: { after, limit: PAGE }, signal });
    events.push(...page.items);
    if (page.items.length < PAGE) return events; // a short page is the last one
    after = page.nextAfter;
  }
}

/** The ledger as JSONL, one event object per line, from the server's export. */
export async function ledgerJsonl(scope, runId, { signal } = {}) {
  const res = await fetch(new URL(paths.events(scope, runId), location.origin), {
    headers: authHeaders({ Accept: 'application/x-ndjson' }), signal, cache: 'no-store',
  });
  if (!res.ok) throw await problem(res);
  return res.text();
}

/** Fetches the JSONL export and hands it to the browser as a download named <runId>.jsonl. */
export async function downloadLedger(scope, runId) {
  const text = await ledgerJsonl(scope, runId);
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${runId}.jsonl`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return text;
}
