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

-- name: notify
-- A wake-up only: listeners re-read the tables, so a lost notification costs latency.
select pg_notify('runledger', p) from unnest(cast(:payloads as text[])) as p
