-- name: idempotencyClaim
-- Claims the key for a new run. An expired key is taken over in place; a live key is
-- left alone and nothing is returned, so the caller reads the existing mapping. A
-- concurrent claim of the same key waits on the unique index until the first commits.
insert into idempotency_keys (scope_id, service, idem_key, request_hash, run_id, expires_at)
values (:scope, :service, :key, :hash, :runId, now() + make_interval(secs => :ttlSeconds))
on conflict (scope_id, service, idem_key) do update
    set request_hash = excluded.request_hash,
        run_id       = excluded.run_id,
        created_at   = now(),
        expires_at   = excluded.expires_at
    where idempotency_keys.expires_at <= now()
returning run_id

-- name: idempotencyClaimAll
-- The claims of many triggers at once (a group commit), each as idempotencyClaim does it;
-- returns the run ids of the claims that took their key. The keys are distinct and in a
-- fixed order (the caller sorts them), so two groups never wait on each other in a cycle.
insert into idempotency_keys (scope_id, service, idem_key, request_hash, run_id, expires_at)
select scope_id, service, idem_key, request_hash, run_id, now() + make_interval(secs => :ttlSeconds)
from unnest(cast(:scopes as text[]), cast(:services as text[]), cast(:keys as text[]),
            cast(:hashes as text[]), cast(:runIds as text[]))
    as t(scope_id, service, idem_key, request_hash, run_id)
on conflict (scope_id, service, idem_key) do update
    set request_hash = excluded.request_hash,
        run_id       = excluded.run_id,
        created_at   = now(),
        expires_at   = excluded.expires_at
    where idempotency_keys.expires_at <= now()
returning run_id

-- name: idempotencyGet
select request_hash, run_id, expires_at > now() as live from idempotency_keys
where scope_id = :scope and service = :service and idem_key = :key

-- name: idempotencyKeysPurge
-- Expired keys are dead weight; delete them in bounded batches.
delete from idempotency_keys
where ctid = any (array(select ctid from idempotency_keys where expires_at <= now() limit :batch))
