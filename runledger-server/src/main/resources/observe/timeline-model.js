// The run timeline's model: a run's ledger (and its children) as the rows and bars of a
// Gantt chart. Pure, no DOM and no clock of its own (now is given), so the page computes it
// again from scratch on each new event and on each tick of a running run.
//
// Rows, in the order they first appear: the run; each attempt, with the steps it recorded
// and the waits it suspended on after it; the children last. An attempt's bar runs from its
// run.started to the event that ended that lease (a lease expiry, a retry, a suspension, the
// run's end); a resume leases the same attempt again, so an attempt can have several bars.
// A step's bar runs from its step.started, or where the attempt's previous step ended (the
// SDK records no start), to its step.completed; a wait's from run.waiting to its run.resumed.
// Every event is a mark on the row of the attempt lease it fell in, or on the run's row.

/** How each event that ends an attempt's lease colours its bar (a status of charts.js). */
const LEASE_ENDS = {
  'run.lease_expired': 'expired',
  'run.retrying': 'failed',
  'run.waiting': 'waiting',
  'run.succeeded': 'succeeded',
  'run.failed': 'failed',
  'run.cancelled': 'cancelled',
  'run.expired': 'expired',
};
const TERMINAL = {
  'run.succeeded': 'succeeded', 'run.failed': 'failed', 'run.cancelled': 'cancelled', 'run.expired': 'expired',
};

/**
 * The model of a run's timeline. events: the run's ledger in seq order; children: its child
 * runs as GET /runs lists them; now: epoch ms, where open bars end.
 *
 * Returns {origin, end, rows: [{id, label, kind}], bars, marks, open} with times in epoch ms:
 * origin is the first event's time, end the latest time drawn. A bar is {id, row, kind
 * ('run' | 'attempt' | 'step' | 'wait' | 'child'), label, start, end, open, status, endType
 * (the type of the event that ended it), seqs (the ledger events it covers), childRunId}.
 * A mark is {row, at, seq, type}. open: some bar is still growing.
 */
export function timelineModel({ events, children = [], now }) {
  const rows = [];
  const rowsById = new Map();
  const labels = new Set();
  const bars = [];
  const marks = [];
  const at = e => Date.parse(e.createdAt);

  function row(id, label, kind) {
    let r = rowsById.get(id);
    if (!r) {
      let unique = label;
      for (let n = 2; labels.has(unique); n++) unique = `${label} #${n}`;
      labels.add(unique);
      r = { id, label: unique, kind };
      rowsById.set(id, r);
      rows.push(r);
    }
    return r;
  }

  function open(fields) {
    const bar = { end: null, open: true, endType: null, seqs: [], ...fields };
    bars.push(bar);
    return bar;
  }

  function close(bar, event, status) {
    bar.end = at(event);
    bar.open = false;
    bar.status = status;
    bar.endType = event.type;
  }

  if (events.length === 0) return { origin: now, end: now, rows, bars, marks, open: false };
  const origin = at(events[0]);
  const run = open({ id: 'run', row: row('run', 'Run', 'run').id, kind: 'run', label: 'Run', start: origin,
    status: 'accepted' });
  const leases = new Map(); // attempt -> how many leases it had
  let attempt = 1;
  let lease = null; // the attempt's lease the run is in
  let boundary = null; // {index, event}: where the lease's next step began at the latest
  let started = new Map(); // step name -> {index, event} of its step.started in this lease
  const recorded = new Set(); // completed steps: a step is recorded once per run
  let wait = null;
  let waits = 0;

  // A step the lease announced but did not complete ends with it, its id naming the lease
  // (a later attempt does the step again); in the lease still running it stays open.
  function endLease(event, index, status) {
    if (event) close(lease, event, status);
    for (const [name, begin] of started) {
      if (!event) stepBar(name, `step-${name}`, begin, events.length - 1);
      else close(stepBar(name, `step-${name}@${lease.id}`, begin, index), event, status);
    }
    started = new Map();
    lease = null;
  }

  function stepBar(name, id, from, lastIndex) {
    return open({
      id, row: row(`step-${name}`, `Step ${name}`, 'step').id, kind: 'step', label: `Step ${name}`,
      start: at(from.event), status: 'running', seqs: events.slice(from.index, lastIndex + 1).map(e => e.seq),
    });
  }

  events.forEach((e, index) => {
    const t = at(e);
    const d = e.data ?? {};
    if (e.type === 'run.started') {
      if (lease) endLease(e, index - 1, 'failed'); // never so in the server's ledgers
      if (Number.isInteger(d.attempt)) attempt = d.attempt;
      const n = (leases.get(attempt) ?? 0) + 1;
      leases.set(attempt, n);
      const id = n === 1 ? `attempt-${attempt}` : `attempt-${attempt}-${n}`;
      lease = open({ id, row: row(`attempt-${attempt}`, `Attempt ${attempt}`, 'attempt').id, kind: 'attempt',
        label: n === 1 ? `Attempt ${attempt}` : `Attempt ${attempt} (lease ${n})`, start: t, status: 'running', attempt });
      boundary = { index, event: e };
      run.status = 'running';
    }
    (lease ?? run).seqs.push(e.seq);
    marks.push({ row: lease ? lease.row : run.row, at: t, seq: e.seq, type: e.type });
    if (wait) wait.seqs.push(e.seq);

    if (e.type === 'step.started' && lease && typeof d.step === 'string' && !recorded.has(d.step)) {
      started.set(d.step, { index, event: e });
    } else if (e.type === 'step.completed' && typeof d.step === 'string' && !recorded.has(d.step)) {
      const begin = started.get(d.step);
      started.delete(d.step);
      // without a step.started the step began after the lease's previous step (or its start)
      const from = begin ?? (lease ? { index: boundary.index + 1, event: boundary.event } : { index, event: e });
      recorded.add(d.step);
      close(stepBar(d.step, `step-${d.step}`, from, index), e, 'succeeded');
      if (lease) boundary = { index, event: e };
    } else if (e.type === 'run.waiting') {
      if (lease) endLease(e, index, 'waiting');
      run.status = 'waiting';
      waits++;
      const step = typeof d.step === 'string' ? d.step : String(waits);
      wait = open({ id: `wait-${waits}`, row: row(`wait-${waits}`, `Wait ${step}`, 'wait').id, kind: 'wait',
        label: `Wait ${step}`, start: t, status: 'waiting', seqs: [e.seq] });
    } else if (e.type === 'run.resumed') {
      run.status = 'accepted';
      // a scheduled run coming due is resumed too ({reason: run_at_reached}), but ends no wait
      if (wait && d.reason == null) {
        const timedOut = Array.isArray(d.results) && d.results.some(r => r?.status === 'timed_out');
        close(wait, e, timedOut ? 'expired' : 'succeeded');
        wait = null;
      }
    } else if (e.type === 'run.scheduled') {
      run.status = 'scheduled';
    } else if (e.type === 'run.retrying') {
      if (lease) endLease(e, index, LEASE_ENDS[e.type]);
      run.status = d.runAt ? 'scheduled' : 'accepted';
    } else if (e.type === 'run.lease_expired') {
      if (lease) endLease(e, index, LEASE_ENDS[e.type]);
    } else if (TERMINAL[e.type]) {
      if (lease) endLease(e, index, LEASE_ENDS[e.type]);
      if (wait) close(wait, e, TERMINAL[e.type]);
      wait = null;
      close(run, e, TERMINAL[e.type]);
    }
  });
  if (lease) endLease(null);

  const sorted = [...children].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.runId.localeCompare(b.runId));
  for (const child of sorted) {
    const label = `Child ${child.service} …${child.runId.slice(-6)}`;
    const bar = open({ id: `child-${child.runId}`, row: row(`child-${child.runId}`, label, 'child').id, kind: 'child',
      label, start: Date.parse(child.createdAt), status: child.status, childRunId: child.runId });
    if (child.finishedAt) {
      bar.end = Date.parse(child.finishedAt);
      bar.open = false;
      bar.endType = `run.${child.status}`;
    }
  }

  // Open bars end now; never before they start (a browser clock behind the server's).
  let end = at(events[events.length - 1]);
  for (const bar of bars) {
    if (bar.open) bar.end = Math.max(bar.start, now);
    end = Math.max(end, bar.end);
  }
  return { origin, end, rows, bars, marks, open: bars.some(b => b.open) };
}

/** The bar whose events include seq: its attempt's lease, or else the run's own bar. */
export function barOfSeq(model, seq) {
  return model.bars.find(b => b.kind === 'attempt' && b.seqs.includes(seq))
    ?? model.bars.find(b => b.kind === 'run');
}
