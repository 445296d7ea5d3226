-- name: threadInsert
-- A new thread, or nothing when the id is taken (the caller then reads the one that exists).
insert into threads (scope_id, thread_id, concurrency_key, metadata)
values (:scope, :threadId, :concurrencyKey, cast(:metadata as jsonb))
on conflict (scope_id, thread_id) do nothing
returning thread_id

-- name: threadsPage
-- A page of threads sorted by a stored column (created_at or thread_id), then the state of
-- each derived from its runs: derived for the page only, however many threads match.
-- The run holding the thread's key is the active one; it is interrupted when its open suspend
-- waits on a pending token. Waiters (enqueued runs, not holding the key) keep the thread busy.
-- The latest run and the latest succeeded one (the thread's values) skip runs removed from
-- the thread; every lookup is a probe of runs_by_key or of the key indexes of V1.
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
       greatest(t.updated_at, l.updated_at) as updated_at,
       h.run_id as active_run_id, l.run_id as last_run_id, v.run_id as values_run_id, v.output as thread_values,
       case when h.interrupted then 'interrupted'
            when h.run_id is not null or w.queued then 'busy'
            when l.status in ('failed', 'expired') then 'error'
            else 'idle' end as thread_status
from page t
left join lateral (
    select r.run_id,
           r.status = 'waiting' and exists (
               select 1 from suspensions s
               join run_waits rw on rw.scope_id = s.scope_id and rw.run_id = s.run_id and rw.step = s.step
               join waitpoints p on p.scope_id = rw.scope_id and p.waitpoint_id = rw.waitpoint_id
               where s.scope_id = r.scope_id and s.run_id = r.run_id and s.resumed_at is null
                 and p.kind = 'token' and p.status = 'pending') as interrupted
    from runs r
    where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key and r.holds_key
) h on true
left join lateral (
    select exists (select 1 from runs r
                   where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key and not r.holds_key
                     and r.status in ('accepted', 'scheduled', 'running', 'waiting')) as queued
) w on true
left join lateral (
    select r.run_id, r.status, r.updated_at from runs r
    where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key
      and not exists (select 1 from thread_removed_runs x where x.scope_id = r.scope_id and x.run_id = r.run_id)
    order by r.created_at desc, r.run_id desc
    limit 1
) l on true
left join lateral (
    select r.run_id, r.output from runs r
    where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key and r.status = 'succeeded'
      and not exists (select 1 from thread_removed_runs x where x.scope_id = r.scope_id and x.run_id = r.run_id)
    order by r.created_at desc, r.run_id desc
    limit 1
) v on true
order by case when :sortBy = 'thread_id' and :ascending then t.thread_id end asc,
         case when :sortBy = 'thread_id' and not :ascending then t.thread_id end desc,
         case when :sortBy = 'created_at' and :ascending then t.created_at end asc,
         case when :sortBy = 'created_at' and not :ascending then t.created_at end desc,
         t.thread_id desc

-- name: threadsPageByState
-- A page of threads filtered or sorted by what their runs say (status, updated_at): the state
-- of every matching thread is derived first (as in threadsPage), then filtered and sorted.
-- Costs a few index probes per matching thread; narrow it with metadata or ids.
with derived as (
    select t.scope_id, t.thread_id, t.concurrency_key, t.metadata, t.created_at,
           greatest(t.updated_at, l.updated_at) as updated_at,
           h.run_id as active_run_id, l.run_id as last_run_id, v.run_id as values_run_id,
           v.output as thread_values,
           case when h.interrupted then 'interrupted'
                when h.run_id is not null or w.queued then 'busy'
                when l.status in ('failed', 'expired') then 'error'
                else 'idle' end as thread_status
    from threads t
    left join lateral (
        select r.run_id,
               r.status = 'waiting' and exists (
                   select 1 from suspensions s
                   join run_waits rw on rw.scope_id = s.scope_id and rw.run_id = s.run_id and rw.step = s.step
                   join waitpoints p on p.scope_id = rw.scope_id and p.waitpoint_id = rw.waitpoint_id
                   where s.scope_id = r.scope_id and s.run_id = r.run_id and s.resumed_at is null
                     and p.kind = 'token' and p.status = 'pending') as interrupted
        from runs r
        where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key and r.holds_key
    ) h on true
    left join lateral (
        select exists (select 1 from runs r
                       where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key and not r.holds_key
                         and r.status in ('accepted', 'scheduled', 'running', 'waiting')) as queued
    ) w on true
    left join lateral (
        select r.run_id, r.status, r.updated_at from runs r
        where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key
          and not exists (select 1 from thread_removed_runs x where x.scope_id = r.scope_id and x.run_id = r.run_id)
        order by r.created_at desc, r.run_id desc
        limit 1
    ) l on true
    left join lateral (
        select r.run_id, r.output from runs r
        where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key and r.status = 'succeeded'
          and not exists (select 1 from thread_removed_runs x where x.scope_id = r.scope_id and x.run_id = r.run_id)
        order by r.created_at desc, r.run_id desc
        limit 1
    ) v on true
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
-- How many threads match; with a status, each matching thread's status is derived as in
-- threadsPage (only the two lookups the status needs).
select count(*) from threads t
where t.scope_id = :scope
  and (cast(:metadata as jsonb) is null or t.metadata @> cast(:metadata as jsonb))
  and (cast(:ids as text[]) is null or t.thread_id = any(cast(:ids as text[])))
  and (cast(:status as text) is null or :status = (
      select case when h.interrupted then 'interrupted'
                  when h.run_id is not null or w.queued then 'busy'
                  when l.status in ('failed', 'expired') then 'error'
                  else 'idle' end
      from (select 1) one
      left join lateral (
          select r.run_id,
                 r.status = 'waiting' and exists (
                     select 1 from suspensions s
                     join run_waits rw on rw.scope_id = s.scope_id and rw.run_id = s.run_id and rw.step = s.step
                     join waitpoints p on p.scope_id = rw.scope_id and p.waitpoint_id = rw.waitpoint_id
                     where s.scope_id = r.scope_id and s.run_id = r.run_id and s.resumed_at is null
                       and p.kind = 'token' and p.status = 'pending') as interrupted
          from runs r
          where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key and r.holds_key
      ) h on true
      left join lateral (
          select exists (select 1 from runs r
                         where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key
                           and not r.holds_key and r.status in ('accepted', 'scheduled', 'running', 'waiting'))
                 as queued
      ) w on true
      left join lateral (
          select r.status from runs r
          where r.scope_id = t.scope_id and r.concurrency_key = t.concurrency_key
            and not exists (select 1 from thread_removed_runs x
                            where x.scope_id = r.scope_id and x.run_id = r.run_id)
          order by r.created_at desc, r.run_id desc
          limit 1
      ) l on true))

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
select r.*,
       r.status = 'waiting' and exists (
           select 1 from suspensions s
           join run_waits rw on rw.scope_id = s.scope_id and rw.run_id = s.run_id and rw.step = s.step
           join waitpoints p on p.scope_id = rw.scope_id and p.waitpoint_id = rw.waitpoint_id
           where s.scope_id = r.scope_id and s.run_id = r.run_id and s.resumed_at is null
             and p.kind = 'token' and p.status = 'pending') as interrupted
from runs r
where r.scope_id = :scope and r.concurrency_key = :concurrencyKey
  and not exists (select 1 from thread_removed_runs x where x.scope_id = r.scope_id and x.run_id = r.run_id)
  and (cast(:statuses as text[]) is null or r.status = any(cast(:statuses as text[])))
order by r.created_at desc, r.run_id desc
limit :limit offset :offset

-- name: threadRun
-- One run with its interrupted flag; with a key, only if it is in that thread (and was not
-- removed from it).
select r.*,
       r.status = 'waiting' and exists (
           select 1 from suspensions s
           join run_waits rw on rw.scope_id = s.scope_id and rw.run_id = s.run_id and rw.step = s.step
           join waitpoints p on p.scope_id = rw.scope_id and p.waitpoint_id = rw.waitpoint_id
           where s.scope_id = r.scope_id and s.run_id = r.run_id and s.resumed_at is null
             and p.kind = 'token' and p.status = 'pending') as interrupted
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
