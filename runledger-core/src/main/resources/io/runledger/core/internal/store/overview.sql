-- The overview of a scope: what its services did over a window, in buckets, and what they
-- hold now. Every statement walks one service at a time (a lateral join over the scope's
-- services) so that each reads one range of an index whose leading columns are
-- (scope_id, service): counts come from index-only scans, not from the runs' rows.

-- name: overviewCreated
-- Runs created per service and bucket since :from (runs_scope_service_created).
select s.service,
       floor(extract(epoch from r.created_at - cast(:from as timestamptz)) / :bucketSeconds)::int as bucket,
       count(*) as runs
from services s
cross join lateral (
    select r.created_at from runs r
    where r.scope_id = s.scope_id and r.service = s.service and r.created_at >= cast(:from as timestamptz)
) r
where s.scope_id = :scope
group by 1, 2

-- name: overviewSettled
-- Runs settled per service, bucket and outcome since :from (runs_settled, which carries
-- status and started_at, so this and the durations below never read a run's row).
select s.service,
       floor(extract(epoch from r.finished_at - cast(:from as timestamptz)) / :bucketSeconds)::int as bucket,
       r.status,
       count(*) as runs
from services s
cross join lateral (
    select r.finished_at, r.status from runs r
    where r.scope_id = s.scope_id and r.service = s.service
      and r.status in ('succeeded', 'failed', 'cancelled', 'expired')
      and r.finished_at >= cast(:from as timestamptz)
) r
where s.scope_id = :scope
group by 1, 2, 3

-- name: overviewDurations
-- The median and 95th percentile of first start to settlement, in milliseconds, of the
-- runs that succeeded or failed since :from; null where there were none.
select s.service, d.p[1] as p50_ms, d.p[2] as p95_ms
from services s
cross join lateral (
    select percentile_cont(array[0.5, 0.95]) within group (
               order by extract(epoch from r.finished_at - r.started_at) * 1000) as p
    from runs r
    where r.scope_id = s.scope_id and r.service = s.service
      and r.status in ('succeeded', 'failed')
      and r.finished_at >= cast(:from as timestamptz)
      and r.started_at is not null
) d
where s.scope_id = :scope

-- name: overviewNow
-- Each service's runs now: queued (runs_leasable), running (runs_health_active: bounded by
-- the workers' capacity) and waiting (runs_waiting).
select s.service,
       q.queued, q.oldest_queued_age_seconds,
       (select count(*) from runs r
        where r.scope_id = s.scope_id and r.status = 'running' and r.service = s.service) as running,
       (select count(*) from runs r
        where r.scope_id = s.scope_id and r.service = s.service and r.status = 'waiting') as waiting
from services s
cross join lateral (
    select count(*) as queued,
           coalesce(extract(epoch from now() - min(r.created_at)), 0) as oldest_queued_age_seconds
    from runs r
    where r.scope_id = s.scope_id and r.service = s.service and r.status = 'accepted'
) q
where s.scope_id = :scope
order by s.service
