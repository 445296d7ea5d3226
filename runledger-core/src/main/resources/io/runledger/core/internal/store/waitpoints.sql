-- name: waitpointInsert
-- A new waitpoint; with an idempotency key a repeat inserts nothing and returns no row (the
-- caller then reads the first one). A duration due already, or a run or batch settled
-- already, is inserted done.
insert into waitpoints (scope_id, waitpoint_id, kind, status, data, run_id, target_run_id, target_batch_id,
                        resume_at, expires_at, callback_hash, idempotency_key, tags, created_at, completed_at)
values (:scope, :waitpointId, :kind, :status, cast(:data as jsonb), :runId, :targetRunId, :targetBatchId,
        cast(:resumeAt as timestamptz), cast(:expiresAt as timestamptz), :callbackHash, :idempotencyKey,
        cast(:tags as text[]), now(), case when :status <> 'pending' then now() end)
on conflict (scope_id, idempotency_key) where idempotency_key is not null do nothing
returning *

-- name: waitpointGet
select * from waitpoints where scope_id = :scope and waitpoint_id = :waitpointId

-- name: waitpointByKey
select * from waitpoints where scope_id = :scope and idempotency_key = :key

-- name: waitpointLock
select * from waitpoints where scope_id = :scope and waitpoint_id = :waitpointId for update

-- name: waitpointsShare
-- The tokens a suspend waits on, locked against completion until the suspend commits: a
-- completion then queues behind it and, once it runs, finds the new waiter.
select * from waitpoints
where scope_id = :scope and waitpoint_id = any(cast(:waitpointIds as text[]))
order by waitpoint_id
for share

-- name: waitpointLockByCallback
select * from waitpoints where callback_hash = :hash for update

-- name: waitpointComplete
update waitpoints
set status = 'completed', data = cast(:data as jsonb), completed_at = now()
where scope_id = :scope and waitpoint_id = :waitpointId and status = 'pending'
returning *

-- name: waitpointsList
-- Newest first by (created_at, waitpoint_id); the cursor is the last row of the previous page.
select * from waitpoints p
where p.scope_id = :scope
  and (cast(:status as text) is null or p.status = :status)
  and (cast(:runId as text) is null
       or exists (select 1 from run_waits w
                  where w.scope_id = p.scope_id and w.waitpoint_id = p.waitpoint_id and w.run_id = :runId))
  and (cast(:cursorCreatedAt as timestamptz) is null
       or (p.created_at, p.waitpoint_id) < (cast(:cursorCreatedAt as timestamptz), cast(:cursorId as text)))
order by p.created_at desc, p.waitpoint_id desc
limit :limit

-- name: waitpointsFinishDue
-- Durations whose time came complete; tokens past their timeout time out. Returns the runs
-- waiting on them (a run may come twice; run_id is null for a waitpoint no run waits on),
-- which the caller resumes if nothing else is pending.
with due as (
    select scope_id, waitpoint_id, kind from waitpoints
    where status = 'pending' and kind = 'duration' and resume_at <= now()
    union all
    select scope_id, waitpoint_id, kind from waitpoints
    where status = 'pending' and expires_at <= now()
    limit :batch
), done as (
    update waitpoints p
    set status = case when d.kind = 'duration' then 'completed' else 'timed_out' end,
        data = case when d.kind = 'duration' then jsonb_build_object('resumeAt', p.resume_at) end,
        completed_at = now()
    from due d
    where p.scope_id = d.scope_id and p.waitpoint_id = d.waitpoint_id and p.status = 'pending'
    returning p.scope_id, p.waitpoint_id
)
select d.scope_id, d.waitpoint_id, w.run_id
from done d left join run_waits w on w.scope_id = d.scope_id and w.waitpoint_id = d.waitpoint_id

-- name: waitpointsSettleMissed
-- The safety pass for run and batch waitpoints: the settle trigger completes them in the
-- settling statement, but one created in a transaction that raced the settlement (a batch
-- waitpoint, which locks no run) is caught here.
with missed as (
    select p.scope_id, p.waitpoint_id, p.kind, p.target_run_id, p.target_batch_id from waitpoints p
    where p.status = 'pending' and (
        (p.kind = 'run' and exists (select 1 from runs r
                                     where r.scope_id = p.scope_id and r.run_id = p.target_run_id
                                       and r.status in ('succeeded', 'failed', 'cancelled', 'expired')))
        or (p.kind = 'batch' and not exists (select 1 from runs r
                                              where r.scope_id = p.scope_id and r.batch_id = p.target_batch_id
                                                and r.status in ('accepted', 'scheduled', 'running', 'waiting'))))
    limit :batch
    for update skip locked
), done as (
    update waitpoints p
    set status = 'completed', completed_at = now(),
        data = case when m.kind = 'run' then
                   (select jsonb_build_object('runId', r.run_id, 'status', r.status, 'output', r.output,
                                              'error', r.error)
                    from runs r where r.scope_id = m.scope_id and r.run_id = m.target_run_id)
               else
                   (select jsonb_build_object('batchId', m.target_batch_id, 'runs',
                               coalesce(jsonb_agg(jsonb_build_object('runId', r.run_id, 'status', r.status,
                                                                     'output', r.output, 'error', r.error)
                                                  order by r.created_at, r.run_id), '[]'))
                    from runs r where r.scope_id = m.scope_id and r.batch_id = m.target_batch_id)
               end
    from missed m
    where p.scope_id = m.scope_id and p.waitpoint_id = m.waitpoint_id
    returning p.scope_id, p.waitpoint_id
)
select d.scope_id, d.waitpoint_id, w.run_id
from done d left join run_waits w on w.scope_id = d.scope_id and w.waitpoint_id = d.waitpoint_id

-- name: runsWaitingOn
select distinct run_id from run_waits where scope_id = :scope and waitpoint_id = :waitpointId

-- name: runOutcome
-- A run's outcome as a run waitpoint reports it, marking the run awaited (its settlement then
-- completes the waitpoint: the settle trigger fires only for awaited runs). The UPDATE locks
-- the row, so a settlement racing this suspend waits for its commit and then sees both.
update runs set awaited = true
where scope_id = :scope and run_id = :runId
returning jsonb_build_object('runId', run_id, 'status', status, 'output', output, 'error', error) as data,
          status in ('succeeded', 'failed', 'cancelled', 'expired') as settled

-- name: batchAwaited
-- The runs of a batch a waitpoint waits on are marked awaited, as runOutcome marks a run.
update runs set awaited = true
where scope_id = :scope and batch_id = :batchId and not awaited

-- name: batchOutcome
-- A batch's outcome (its runs in trigger order) and whether all of them settled.
select b.batch_id,
       jsonb_build_object('batchId', b.batch_id, 'runs',
           coalesce((select jsonb_agg(jsonb_build_object('runId', r.run_id, 'status', r.status,
                                                         'output', r.output, 'error', r.error)
                                      order by r.created_at, r.run_id)
                     from runs r where r.scope_id = b.scope_id and r.batch_id = b.batch_id), '[]')) as data,
       not exists (select 1 from runs r where r.scope_id = b.scope_id and r.batch_id = b.batch_id
                     and r.status in ('accepted', 'scheduled', 'running', 'waiting')) as settled
from batches b where b.scope_id = :scope and b.batch_id = :batchId

-- name: suspensionInsert
insert into suspensions (scope_id, run_id, step, attempt, timeout_at, on_timeout, resumed_at, results)
values (:scope, :runId, :step, :attempt, cast(:timeoutAt as timestamptz), :onTimeout,
        case when :resumed then now() end, cast(:results as jsonb))

-- name: suspensionGet
select * from suspensions where scope_id = :scope and run_id = :runId and step = :step

-- name: runWaitsInsert
insert into run_waits (scope_id, run_id, step, waitpoint_id, position)
select :scope, :runId, :step, w.id, w.pos
from unnest(cast(:waitpointIds as text[])) with ordinality as w(id, pos)

-- name: suspensionsOpen
-- The open suspension of each given run, with its waitpoints in suspend order and whether its
-- timeout passed; the runs are locked by the caller.
select s.scope_id, s.run_id, s.step, s.on_timeout, coalesce(s.timeout_at <= now(), false) as timed_out,
       (select jsonb_agg(jsonb_build_object('waitpointId', p.waitpoint_id, 'kind', p.kind, 'status', p.status,
                                            'data', p.data) order by w.position)
        from run_waits w join waitpoints p on p.scope_id = w.scope_id and p.waitpoint_id = w.waitpoint_id
        where w.scope_id = s.scope_id and w.run_id = s.run_id and w.step = s.step) as waits
from suspensions s
where s.scope_id = :scope and s.run_id = any(cast(:runIds as text[])) and s.resumed_at is null

-- name: suspensionResumed
update suspensions set resumed_at = now(), results = cast(:results as jsonb)
where scope_id = :scope and run_id = :runId and step = :step and resumed_at is null

-- name: suspensionsReady
-- Waiting runs that may go on: their open suspension timed out or has no pending waitpoint
-- (the timeout pass, and the safety net for a wake-up lost between instances).
select s.scope_id, s.run_id from suspensions s
join runs r on r.scope_id = s.scope_id and r.run_id = s.run_id and r.status = 'waiting'
where s.resumed_at is null
  and (s.timeout_at <= now()
       or not exists (select 1 from run_waits w join waitpoints p
                          on p.scope_id = w.scope_id and p.waitpoint_id = w.waitpoint_id
                      where w.scope_id = s.scope_id and w.run_id = s.run_id and w.step = s.step
                        and p.status = 'pending'))
order by s.created_at
limit :batch

-- name: suspensionsClose
-- A waiting run cancelled: its suspension is over without results (resumed_at marks it closed),
-- so the passes over open suspensions no longer visit it.
update suspensions set resumed_at = now()
where scope_id = :scope and run_id = :runId and resumed_at is null
