-- name: serviceUpsert
insert into services (scope_id, service, max_attempts, lease_ttl_seconds, input_schema,
                      concurrency_limit, description, retry, retention_days)
values (:scope, :service, :maxAttempts, :leaseTtlSeconds, cast(:inputSchema as jsonb),
        :concurrencyLimit, :description, cast(:retry as jsonb), :retentionDays)
on conflict (scope_id, service) do update
    set max_attempts      = excluded.max_attempts,
        lease_ttl_seconds = excluded.lease_ttl_seconds,
        input_schema      = excluded.input_schema,
        concurrency_limit = excluded.concurrency_limit,
        description       = excluded.description,
        retry             = excluded.retry,
        retention_days    = excluded.retention_days,
        updated_at        = now()
returning *

-- name: serviceGet
select * from services where scope_id = :scope and service = :service

-- name: serviceAt
-- The service a trigger registers against, with the transaction's now(): the trigger
-- decides its run's run_at and status on the database's clock, the one every later
-- statement of the transaction sees (now() is fixed at the transaction's start).
select s.*, now() as transaction_now from services s where scope_id = :scope and service = :service

-- name: servicePausedSet
-- Pauses or resumes a service. updated_at moves only when the flag changes, so a repeated
-- pause or resume is a no-op that still answers the service.
update services
set paused     = :paused,
    updated_at = case when paused = :paused then updated_at else now() end
where scope_id = :scope and service = :service
returning *

-- name: servicesPausedCount
-- The runledger_services_paused gauge, read at scrape time (services are few).
select count(*) from services where paused

-- name: servicesList
select * from services where scope_id = :scope order by service

-- name: servicesFound
-- The requested services that exist, whole, in one read: a lease poll checks its services
-- and learns which are capped without a query per service, and the service cache keeps
-- them, so the next polls and completions of a drain need not read them again.
select * from services
where scope_id = :scope and service = any(:services)

-- name: servicesWithLimit
-- Which of the requested services cap their running runs; those are leased one service
-- at a time under an advisory lock so the cap holds across instances.
select service, concurrency_limit from services
where scope_id = :scope and service = any(:services) and concurrency_limit is not null

-- name: queuesOfScope
-- Each service of a scope with its queue (accepted runs, oldest first by created_at), for
-- operators; services with an empty queue show depth 0.
select s.scope_id, s.service, count(r.run_id) as depth,
       coalesce(extract(epoch from now() - min(r.created_at)), 0) as oldest_age_seconds
from services s
left join runs r on r.scope_id = s.scope_id and r.service = s.service and r.status = 'accepted'
where s.scope_id = :scope
group by s.scope_id, s.service
order by s.service
