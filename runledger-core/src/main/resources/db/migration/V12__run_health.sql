-- Run health: each run's lastEventAt, and the indexes that keep the list's health filters
-- (retrying, stuck, silent) a short index scan however many runs a scope has.

-- The created_at of the run's latest event. Every statement that appends events already
-- updates the run row for last_seq; it sets this column in the same row write, so it costs
-- no statement and no trigger. Adding a nullable column without a default does not rewrite
-- the table.
alter table runs add column last_event_at timestamptz;

-- The backfill is bounded by the runs in progress, not by the table: only non-terminal runs
-- (the ones the health filters look at) are written, each with the created_at of its event
-- at last_seq (its latest, read by primary key) in one join. Terminal runs are left as they
-- are, since rewriting every row of a big table (measured: 36 s for 1,000,000 runs, with row
-- locks on all of them for the whole migration) is what this avoids: a run settled before
-- this version has no last_event_at, and its latest event is its terminal one, written in
-- the transaction that set its finished_at, so the run answers finished_at as its
-- lastEventAt (RunMapper). Only the status UPDATE trigger exists on runs and this statement
-- does not set status, so no trigger runs per row.
update runs r
set last_event_at = e.created_at
from run_events e
where e.scope_id = r.scope_id and e.run_id = r.run_id and e.seq = r.last_seq
  and r.status in ('accepted', 'scheduled', 'running', 'waiting');

-- health=retrying: non-terminal runs past their first attempt, newest first. First attempts
-- (nearly every run) are not in the index, so triggers do not pay for it.
create index runs_health_retrying on runs (scope_id, created_at desc, run_id desc)
    where attempt > 1 and status in ('accepted', 'scheduled', 'running', 'waiting');

-- health=stuck (queued arm) and health=silent: the queued and the running runs of a scope,
-- newest first. A stuck queued run is old (its created_at is before the threshold), so its
-- arm is a range scan from the threshold backwards; the silent filter walks the running
-- runs, whose number is bounded by the workers' capacity. last_event_at is deliberately in
-- no index: an append that changes only unindexed columns can stay a HOT update, and every
-- worker event is such an append. (The stuck arm for expired leases uses runs_lease_expiry.)
create index runs_health_active on runs (scope_id, status, created_at desc, run_id desc)
    where status in ('accepted', 'running');
