// A run's ledger as JSONL, built in the browser from pages of GET .../events?after=&limit=.
// (The API's own export, GET .../events with Accept: application/x-ndjson, is not served yet;
// paging works with every server and gives the same lines.)

import { api, paths } from './api.js';

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

/** The ledger as JSONL text: one event object per line, each line ending in a newline. */
export async function ledgerJsonl(scope, runId, options) {
  const events = await ledgerEvents(scope, runId, options);
  return events.map(event => `${JSON.stringify(event)}\n`).join('');
}

/** Builds the JSONL file and hands it to the browser as a download named <runId>.jsonl. */
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
