-- The overview of a scope: what its services did over a window, in buckets, and what they
-- hold now. Every statement walks one service at a time (a lateral join over the scope's
-- services) so that each reads one range of an index whose leading columns are
-- (scope_id, service): counts come from index-only scans, not from the runs' rows. Buckets
-- are computed with date_bin and durations with date_part (integer and double arithmetic):
-- extract() answers numeric, several times slower per row at a million rows.

-- name: overviewCreated
-- Runs created per service and bucket since :since; buckets start at :from plus a multiple
-- of their size (runs_scope_service_created).
select s.service,
       date_bin(make_interval(secs => :bucketSeconds), r.created_at, cast(:from as timestamptz)) as bucket,
       count(*) as runs
from services s
cross join lateral (
    select r.created_at from runs r
    where r.scope_id = s.scope_id and r.service = s.service and r.created_at >= cast(:since as timestamptz)
) r
where s.scope_id = :scope
group by 1, 2

-- name: overviewSettled
-- Runs settled per service, bucket and outcome since :since (runs_settled, which carries
-- status and started_at, so this and the durations below never read a run's row).
select s.service,
       date_bin(make_interval(secs => :bucketSeconds), r.finished_at, cast(:from as timestamptz)) as bucket,
       r.status,
       count(*) as runs
from services s
cross join lateral (
    select r.finished_at, r.status from runs r
    where r.scope_id = s.scope_id and r.service = s.service
      and r.status in ('succeeded', 'failed', 'cancelled', 'expired')
      and r.finished_at >= cast(:since as timestamptz)
) r
where s.scope_id = :scope
group by 1, 2, 3

-- name: overviewDurations
-- The runs that succeeded or failed since :since, per service, by their time from first
-- start to settlement on a log scale: bin i holds 1.1^i to 1.1^(i+1) milliseconds (the
-- same bins as run_stats.durations, so the two add up).
select s.service, d.bin, d.runs
from services s
cross join lateral (
    select floor(ln(greatest(date_part('epoch', r.finished_at - r.started_at) * 1000, 1)) / ln(1.1))::int as bin,
           count(*) as runs
    from runs r
    where r.scope_id = s.scope_id and r.service = s.service
      and r.status in ('succeeded', 'failed')
      and r.finished_at >= cast(:since as timestamptz)
      and r.started_at is not null
    group by 1
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
           coalesce(date_part('epoch', now() - min(r.created_at)), 0) as oldest_queued_age_seconds
    from runs r
    where r.scope_id = s.scope_id and r.service = s.service and r.status = 'accepted'
) q
where s.scope_id = :scope
order by s.service

-- name: statsRead
-- The folded half-hours of a scope from :from until :until.
select service, slot_start, triggered, succeeded, failed, cancelled, expired, durations::text as durations
from run_stats
where scope_id = :scope and slot_start >= cast(:from as timestamptz) and slot_start < cast(:until as timestamptz)

-- name: statsFoldedUntil
select folded_until from run_stats_folded

-- name: statsLock
-- The fold's lock: no row when another instance is folding now.
select folded_until from run_stats_folded for update skip locked

-- name: statsFold
-- One half-hour, every service of every scope that had runs in it: the same counts and
-- duration bins the overview's live statements compute, from the same indexes.
insert into run_stats (scope_id, service, slot_start, triggered, succeeded, failed, cancelled, expired, durations)
select s.scope_id, s.service, cast(:slot as timestamptz), c.triggered, t.succeeded, t.failed, t.cancelled,
       t.expired, coalesce(d.bins, '{}')
from services s
cross join lateral (
    select count(*) as triggered from runs r
    where r.scope_id = s.scope_id and r.service = s.service
      and r.created_at >= cast(:slot as timestamptz) and r.created_at < cast(:slotEnd as timestamptz)
) c
cross join lateral (
    select count(*) filter (where r.status = 'succeeded') as succeeded,
           count(*) filter (where r.status = 'failed') as failed,
           count(*) filter (where r.status = 'cancelled') as cancelled,
           count(*) filter (where r.status = 'expired') as expired
    from runs r
    where r.scope_id = s.scope_id and r.service = s.service
      and r.status in ('succeeded', 'failed', 'cancelled', 'expired')
      and r.finished_at >= cast(:slot as timestamptz) and r.finished_at < cast(:slotEnd as timestamptz)
) t
cross join lateral (
    select jsonb_object_agg(b.bin, b.runs) as bins
    from (select floor(ln(greatest(date_part('epoch', r.finished_at - r.started_at) * 1000, 1)) / ln(1.1))::int
                     as bin,
                 count(*) as runs
          from runs r
          where r.scope_id = s.scope_id and r.service = s.service
            and r.status in ('succeeded', 'failed')
            and r.finished_at >= cast(:slot as timestamptz) and r.finished_at < cast(:slotEnd as timestamptz)
            and r.started_at is not null
          group by 1) b
) d
where c.triggered + t.succeeded + t.failed + t.cancelled + t.expired > 0
on conflict (scope_id, service, slot_start) do update
    set triggered = excluded.triggered, succeeded = excluded.succeeded, failed = excluded.failed,
        cancelled = excluded.cancelled, expired = excluded.expired, durations = excluded.durations

-- name: statsFoldedSet
update run_stats_folded set folded_until = cast(:until as timestamptz)

-- name: statsPurge
-- Half-hours older than the widest window are read by nothing.
delete from run_stats where slot_start < cast(:before as timestamptz)
