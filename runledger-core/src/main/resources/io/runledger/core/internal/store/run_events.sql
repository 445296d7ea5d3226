-- name: eventsInsert
-- Appends events whose seqs were reserved by bumping runs.last_seq in the same
-- transaction; seq = first + ordinal - 1, so a batch keeps its order without gaps.
insert into run_events (scope_id, run_id, seq, type, data, created_at)
select :scope, :runId, :firstSeq + e.ord - 1, e.type, cast(e.data as jsonb), now()
from unnest(cast(:types as text[]), cast(:datas as text[])) with ordinality as e(type, data, ord)

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
