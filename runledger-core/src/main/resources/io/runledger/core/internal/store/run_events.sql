-- name: eventsAppend
-- The one statement that takes seqs for events: each run's last_seq grows by the number
-- of its events and the events get the seqs in between, in order, in the same statement,
-- so a run's last_seq and its ledger cannot disagree. Status UPDATEs leave last_seq alone.
-- Wherever last_seq is bumped, last_event_at is set to now(), the created_at of the events
-- written (now() is the transaction's time), in the same row write.
-- (A trigger's runInsert writes its first events with the row, seqs 1..n and last_seq n, in
-- one statement; the claims runsLease, runsPromoteDue and runsExpire each write their one
-- event with the +1 they take inside that same statement; runRepair sets last_seq from the
-- ledger. In each, one statement takes the seqs and writes the events.)
-- With :token only a run still running under that lease takes the events (a worker's
-- append); without, the caller has just written or locked the runs. Returns the runs as
-- they now are. "limit :n" (n = the number of events) removes nothing: it keeps the
-- statement's generic plan in use, as runs.sql's note at its top says.
with drafts as (
    select d.scope_id, d.run_id, d.type, d.data,
           row_number() over (partition by d.scope_id, d.run_id order by d.ord) as k,
           count(*) over (partition by d.scope_id, d.run_id) as n
    from (select * from unnest(cast(:scopes as text[]), cast(:runIds as text[]), cast(:types as text[]),
                               cast(:datas as text[])) with ordinality limit :n) as d(scope_id, run_id, type, data, ord)
), bumped as (
    update runs r
    set last_seq = r.last_seq + c.n, last_event_at = now(), updated_at = now()
    from (select distinct scope_id, run_id, n from drafts) c
    where r.scope_id = c.scope_id and r.run_id = c.run_id
      and (cast(:token as text) is null or (r.status = 'running' and r.lease_token = cast(:token as text)))
    returning r.*, c.n as appended
), inserted as (
    insert into run_events (scope_id, run_id, seq, type, data, created_at)
    select d.scope_id, d.run_id, b.last_seq - b.appended + d.k, d.type, cast(d.data as jsonb), now()
    from drafts d join bumped b on b.scope_id = d.scope_id and b.run_id = d.run_id
)
select * from bumped

-- name: eventsList
select * from run_events
where scope_id = :scope and run_id = :runId and seq > :after
order by seq
limit :limit

-- name: eventsAll
select * from run_events where scope_id = :scope and run_id = :runId order by seq

-- name: eventsFoldedUpTo
-- The events a projection folds, up to one seq: the run as it was when that event was
-- written (a webhook reports it so). The types are the fold's own list, passed in, so the
-- rule lives in one place; the other events (steps, progress, logs) are skipped unread.
select * from run_events
where scope_id = :scope and run_id = :runId and seq <= :seq and type = any(cast(:types as text[]))
order by seq

-- name: notify
-- A wake-up only: listeners re-read the tables, so a lost notification costs latency.
select pg_notify('runledger', p) from unnest(cast(:payloads as text[])) as p
