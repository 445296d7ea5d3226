-- name: threadInsert
-- A new thread, or nothing when the id is taken (the caller then reads the one that exists).
insert into threads (scope_id, thread_id, concurrency_key, metadata)
values (:scope, :threadId, :concurrencyKey, cast(:metadata as jsonb))
on conflict (scope_id, thread_id) do nothing
returning thread_id

-- name: threadsPage
-- A page of threads sorted by a stored column (created_at or thread_id), then the state of
-- each derived from its runs (thread_state, V15): derived for the page only, however many
-- threads match.
with page as (
    select t.* from threads t
    where t.scope_id = :scope
      and (cast(:metadata as jsonb) is null or t.metadata @> cast(:metadata as jsonb))
      and (cast(:ids as text[]) is null or t.thread_id = any(cast(:ids as text[])))
    order by case when :sortBy = 'thread_id' and :ascending then t.thread_id end asc,
             case when :sortBy = 'thread_id' and not :ascending then t.thread_id end desc,
             case when :sortBy = 'created_at' and :ascending then t.created_at end asc,
             case when :sortBy = 'created_at' and not :ascending then t.created_at end desc,
             t.thread_id desc
    limit :limit offset :offset
)
select t.scope_id, t.thread_id, t.concurrency_key, t.metadata, t.created_at,
       greatest(t.updated_at, s.last_updated_at) as updated_at,
       s.active_run_id, s.last_run_id, s.values_run_id, s.thread_values, s.thread_status
from page t
cross join lateral thread_state(t.scope_id, t.concurrency_key) s
order by case when :sortBy = 'thread_id' and :ascending then t.thread_id end asc,
         case when :sortBy = 'thread_id' and not :ascending then t.thread_id end desc,
         case when :sortBy = 'created_at' and :ascending then t.created_at end asc,
         case when :sortBy = 'created_at' and not :ascending then t.created_at end desc,
         t.thread_id desc

-- name: threadsPageByState
-- A page of threads filtered or sorted by what their runs say (status, updated_at): the state
-- of every matching thread is derived first (thread_state, V15), then filtered and sorted.
-- Costs a few index probes per matching thread; narrow it with metadata or ids.
with derived as (
    select t.scope_id, t.thread_id, t.concurrency_key, t.metadata, t.created_at,
           greatest(t.updated_at, s.last_updated_at) as updated_at,
           s.active_run_id, s.last_run_id, s.values_run_id, s.thread_values, s.thread_status
    from threads t
    cross join lateral thread_state(t.scope_id, t.concurrency_key) s
    where t.scope_id = :scope
      and (cast(:metadata as jsonb) is null or t.metadata @> cast(:metadata as jsonb))
      and (cast(:ids as text[]) is null or t.thread_id = any(cast(:ids as text[])))
)
select * from derived d
where cast(:status as text) is null or d.thread_status = :status
order by case when :sortBy = 'thread_id' and :ascending then d.thread_id end asc,
         case when :sortBy = 'thread_id' and not :ascending then d.thread_id end desc,
         case when :sortBy = 'status' and :ascending then d.thread_status end asc,
         case when :sortBy = 'status' and not :ascending then d.thread_status end desc,
         case when :sortBy = 'created_at' and :ascending then d.created_at end asc,
         case when :sortBy = 'created_at' and not :ascending then d.created_at end desc,
         case when :sortBy = 'updated_at' and :ascending then d.updated_at end asc,
         case when :sortBy = 'updated_at' and not :ascending then d.updated_at end desc,
         d.thread_id desc
limit :limit offset :offset

-- name: threadsCount
-- How many threads match; with a status, each matching thread's status is derived
-- (thread_state, V15).
select count(*) from threads t
where t.scope_id = :scope
  and (cast(:metadata as jsonb) is null or t.metadata @> cast(:metadata as jsonb))
  and (cast(:ids as text[]) is null or t.thread_id = any(cast(:ids as text[])))
  and (cast(:status as text) is null
       or :status = (select s.thread_status from thread_state(t.scope_id, t.concurrency_key) s))

-- name: threadMetadataMerge
-- Merges keys into the metadata, unless the result would pass :maxBytes (then nothing
-- changes and too_large says so).
update threads set metadata = metadata || cast(:metadata as jsonb), updated_at = now()
where scope_id = :scope and thread_id = :threadId
  and octet_length((metadata || cast(:metadata as jsonb))::text) <= :maxBytes
returning thread_id

-- name: threadKey
select concurrency_key from threads where scope_id = :scope and thread_id = :threadId

-- name: threadDelete
delete from threads where scope_id = :scope and thread_id = :threadId returning thread_id

-- name: threadRuns
-- A thread's runs newest first (runs_by_key), without those removed from it; each says
-- whether it is interrupted: waiting on a pending token of its open suspend.
select r.*, r.status = 'waiting' and run_interrupted(r.scope_id, r.run_id) as interrupted
from runs r
where r.scope_id = :scope and r.concurrency_key = :concurrencyKey
  and not exists (select 1 from thread_removed_runs x where x.scope_id = r.scope_id and x.run_id = r.run_id)
  and (cast(:statuses as text[]) is null or r.status = any(cast(:statuses as text[])))
order by r.created_at desc, r.run_id desc
limit :limit offset :offset

-- name: threadRun
-- One run with its interrupted flag; with a key, only if it is in that thread (and was not
-- removed from it).
select r.*, r.status = 'waiting' and run_interrupted(r.scope_id, r.run_id) as interrupted
from runs r
where r.scope_id = :scope and r.run_id = :runId
  and (cast(:concurrencyKey as text) is null
       or (r.concurrency_key = :concurrencyKey
           and not exists (select 1 from thread_removed_runs x
                           where x.scope_id = r.scope_id and x.run_id = r.run_id)))

-- name: threadRunRemove
-- Takes a run of the thread out of it; the run itself is not touched.
insert into thread_removed_runs (scope_id, run_id)
select r.scope_id, r.run_id from runs r
where r.scope_id = :scope and r.run_id = :runId and r.concurrency_key = :concurrencyKey
on conflict do nothing

-- name: threadScopeExists
select exists (select 1 from scopes where scope_id = :scope)
