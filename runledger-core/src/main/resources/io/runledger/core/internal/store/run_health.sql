-- The list of runs with a health filter: the filters of runsList plus the health rule, newest
-- first by (created_at, run_id) with the same keyset cursor. Each rule states the predicate of
-- a partial index (V12__run_health.sql, runs_lease_expiry, runs_due) literally, so the planner
-- can use it with any binding of the other filters.

-- name: runsListRetrying
-- Non-terminal runs past their first attempt (runs_health_retrying).
select * from runs
where scope_id = :scope
  and attempt > 1 and status in ('accepted', 'scheduled', 'running', 'waiting')
  and (cast(:service as text) is null or service = :service)
  and (cast(:status as text) is null or status = :status)
  and (cast(:concurrencyKey as text) is null or concurrency_key = :concurrencyKey)
  and (cast(:tag as text) is null or (tags <> '{}' and tags @> array[cast(:tag as text)]))
  and (cast(:parentRunId as text) is null or parent_run_id = :parentRunId)
  and (cast(:createdAfter as timestamptz) is null or created_at > cast(:createdAfter as timestamptz))
  and (cast(:createdBefore as timestamptz) is null or created_at < cast(:createdBefore as timestamptz))
  and (cast(:cursorCreatedAt as timestamptz) is null
       or (created_at, run_id) < (cast(:cursorCreatedAt as timestamptz), cast(:cursorRunId as text)))
order by created_at desc, run_id desc
limit :limit

-- name: runsListStuck
-- Three arms, each newest first and at most one page, merged:
-- running with an expired lease the sweeper has not recovered yet (runs_lease_expiry);
-- queued and leasable (no concurrency key, or holding it; service not paused) and both due
-- and untouched since before the threshold: every way into the queue (trigger, retry,
-- resume, promotion, a concurrency key handed over) writes the row, so updated_at is when it
-- last entered it (runs_health_active, a range below the threshold since created_at is
-- never later than updated_at);
-- scheduled and due since before the threshold, never promoted to the queue (runs_due).
select * from (
    (select r.* from runs r
     where r.scope_id = :scope and r.status = 'running' and r.lease_expires_at < now()
       and (cast(:service as text) is null or r.service = :service)
       and (cast(:status as text) is null or r.status = :status)
       and (cast(:concurrencyKey as text) is null or r.concurrency_key = :concurrencyKey)
       and (cast(:tag as text) is null or (r.tags <> '{}' and r.tags @> array[cast(:tag as text)]))
       and (cast(:parentRunId as text) is null or r.parent_run_id = :parentRunId)
       and (cast(:createdAfter as timestamptz) is null or r.created_at > cast(:createdAfter as timestamptz))
       and (cast(:createdBefore as timestamptz) is null or r.created_at < cast(:createdBefore as timestamptz))
       and (cast(:cursorCreatedAt as timestamptz) is null
            or (r.created_at, r.run_id) < (cast(:cursorCreatedAt as timestamptz), cast(:cursorRunId as text)))
     order by r.created_at desc, r.run_id desc
     limit :limit)
    union all
    (select r.* from runs r
     where r.scope_id = :scope and r.status = 'accepted'
       and r.created_at < now() - make_interval(secs => cast(:stuckAfterSeconds as bigint))
       and r.updated_at < now() - make_interval(secs => cast(:stuckAfterSeconds as bigint))
       and coalesce(r.run_at, r.created_at) < now() - make_interval(secs => cast(:stuckAfterSeconds as bigint))
       and (r.concurrency_key is null or r.holds_key)
       and not exists (select 1 from services s
                       where s.scope_id = r.scope_id and s.service = r.service and s.paused)
       and (cast(:service as text) is null or r.service = :service)
       and (cast(:status as text) is null or r.status = :status)
       and (cast(:concurrencyKey as text) is null or r.concurrency_key = :concurrencyKey)
       and (cast(:tag as text) is null or (r.tags <> '{}' and r.tags @> array[cast(:tag as text)]))
       and (cast(:parentRunId as text) is null or r.parent_run_id = :parentRunId)
       and (cast(:createdAfter as timestamptz) is null or r.created_at > cast(:createdAfter as timestamptz))
       and (cast(:createdBefore as timestamptz) is null or r.created_at < cast(:createdBefore as timestamptz))
       and (cast(:cursorCreatedAt as timestamptz) is null
            or (r.created_at, r.run_id) < (cast(:cursorCreatedAt as timestamptz), cast(:cursorRunId as text)))
     order by r.created_at desc, r.run_id desc
     limit :limit)
    union all
    (select r.* from runs r
     where r.scope_id = :scope and r.status = 'scheduled'
       and r.run_at < now() - make_interval(secs => cast(:stuckAfterSeconds as bigint))
       and (cast(:service as text) is null or r.service = :service)
       and (cast(:status as text) is null or r.status = :status)
       and (cast(:concurrencyKey as text) is null or r.concurrency_key = :concurrencyKey)
       and (cast(:tag as text) is null or (r.tags <> '{}' and r.tags @> array[cast(:tag as text)]))
       and (cast(:parentRunId as text) is null or r.parent_run_id = :parentRunId)
       and (cast(:createdAfter as timestamptz) is null or r.created_at > cast(:createdAfter as timestamptz))
       and (cast(:createdBefore as timestamptz) is null or r.created_at < cast(:createdBefore as timestamptz))
       and (cast(:cursorCreatedAt as timestamptz) is null
            or (r.created_at, r.run_id) < (cast(:cursorCreatedAt as timestamptz), cast(:cursorRunId as text)))
     order by r.created_at desc, r.run_id desc
     limit :limit)
) stuck
order by created_at desc, run_id desc
limit :limit

-- name: runsListSilent
-- Running runs whose latest event is older than the threshold (heartbeats write no event).
-- A walk of the scope's running runs newest first (runs_health_active): last_event_at is in
-- no index, so the appends that set it stay HOT-eligible.
select * from runs
where scope_id = :scope and status = 'running'
  and last_event_at < now() - make_interval(secs => cast(:silentForSeconds as bigint))
  and (cast(:service as text) is null or service = :service)
  and (cast(:status as text) is null or status = :status)
  and (cast(:concurrencyKey as text) is null or concurrency_key = :concurrencyKey)
  and (cast(:tag as text) is null or (tags <> '{}' and tags @> array[cast(:tag as text)]))
  and (cast(:parentRunId as text) is null or parent_run_id = :parentRunId)
  and (cast(:createdAfter as timestamptz) is null or created_at > cast(:createdAfter as timestamptz))
  and (cast(:createdBefore as timestamptz) is null or created_at < cast(:createdBefore as timestamptz))
  and (cast(:cursorCreatedAt as timestamptz) is null
       or (created_at, run_id) < (cast(:cursorCreatedAt as timestamptz), cast(:cursorRunId as text)))
order by created_at desc, run_id desc
limit :limit
