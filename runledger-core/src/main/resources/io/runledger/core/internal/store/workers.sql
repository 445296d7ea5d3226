-- name: workerSeen
insert into workers (scope_id, worker_id, services, version, capabilities)
values (:scope, :workerId, :services, :version, cast(:capabilities as jsonb))
on conflict (scope_id, worker_id) do update
    set services     = excluded.services,
        version      = coalesce(excluded.version, workers.version),
        capabilities = excluded.capabilities,
        last_seen_at = now()

-- name: workersTouch
-- A heartbeat proves the worker is alive; one statement for all workers of a batch.
update workers set last_seen_at = now()
where scope_id = :scope and worker_id = any(cast(:workerIds as text[]))

-- name: workersList
select w.*,
       (select count(*) from runs r
        where r.scope_id = w.scope_id and r.worker_id = w.worker_id and r.status = 'running') as runs_held
from workers w
where w.scope_id = :scope
order by w.last_seen_at desc, w.worker_id
