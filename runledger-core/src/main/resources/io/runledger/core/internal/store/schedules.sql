-- name: scheduleGet
select *, false as inserted from schedules where scope_id = :scope and schedule_id = :scheduleId

-- name: scheduleLock
-- The schedule a PUT replaces, locked so that a concurrent PUT or firing pass waits: the PUT
-- decides from it whether next_fire_at is kept or computed again.
select *, false as inserted from schedules where scope_id = :scope and schedule_id = :scheduleId for update

-- name: schedulesList
select *, false as inserted from schedules where scope_id = :scope order by schedule_id

-- name: schedulesCount
select count(*) from schedules where scope_id = :scope

-- name: schedulesCreateLock
-- Creations of schedules in one scope take turns until their transaction ends, so two at once
-- cannot both pass the per-scope bound. An advisory lock, not a lock on the scope's row,
-- which every insert referencing the scope would wait for.
select 1 from pg_advisory_xact_lock(hashtextextended('runledger.schedules/' || :scope, 0))

-- name: scheduleUpsert
-- next_fire_at comes from the caller, computed on the transaction's clock. updated_at moves
-- only when something changed, so a repeated PUT is a no-op.
insert into schedules (scope_id, schedule_id, service, cron, timezone, input, enabled, overlap, catch_up,
                       next_fire_at)
values (:scope, :scheduleId, :service, :cron, :timezone, cast(:input as jsonb), :enabled, :overlap, :catchUp,
        :nextFireAt)
on conflict (scope_id, schedule_id) do update
    set service      = excluded.service,
        cron         = excluded.cron,
        timezone     = excluded.timezone,
        input        = excluded.input,
        enabled      = excluded.enabled,
        overlap      = excluded.overlap,
        catch_up     = excluded.catch_up,
        next_fire_at = excluded.next_fire_at,
        updated_at   = case
            when (schedules.service, schedules.cron, schedules.timezone, schedules.input, schedules.enabled,
                  schedules.overlap, schedules.catch_up, schedules.next_fire_at)
                 is not distinct from
                 (excluded.service, excluded.cron, excluded.timezone, excluded.input, excluded.enabled,
                  excluded.overlap, excluded.catch_up, excluded.next_fire_at)
            then schedules.updated_at else now() end
returning *, (xmax = 0) as inserted

-- name: scheduleDelete
delete from schedules where scope_id = :scope and schedule_id = :scheduleId

-- name: schedulesClaimDue
-- The due schedules of one firing pass, across scopes, oldest fire time first. SKIP LOCKED
-- keeps instances apart; the lock is held until the pass commits with next_fire_at moved on,
-- and a pass that reaches the row after that re-checks it (READ COMMITTED) and finds it no
-- longer due. The status of the previous fire's run decides overlap "skip"; the
-- transaction's now() is the clock every fire of the pass is decided by.
select s.*, false as inserted, now() as transaction_now,
       (select r.status from runs r where r.scope_id = s.scope_id and r.run_id = s.last_run_id) as last_run_status
from schedules s
where s.enabled and s.next_fire_at is not null and s.next_fire_at <= now()
order by s.next_fire_at
limit :batch
for update of s skip locked

-- name: schedulesAdvance
-- After a pass: each claimed schedule's next fire time, and the run and time of its last fire
-- when it fired (null keeps the previous ones). One statement for the whole pass.
update schedules s
set next_fire_at = a.next_fire_at,
    last_run_id  = coalesce(a.last_run_id, s.last_run_id),
    last_fire_at = coalesce(a.last_fire_at, s.last_fire_at)
from unnest(cast(:scopes as text[]), cast(:ids as text[]), cast(:nexts as timestamptz[]),
            cast(:runIds as text[]), cast(:fireAts as timestamptz[]))
         as a(scope_id, schedule_id, next_fire_at, last_run_id, last_fire_at)
where s.scope_id = a.scope_id and s.schedule_id = a.schedule_id
