-- name: idempotencyClaim
-- Claims the key for a new run. An expired key is taken over in place; a live key is
-- left alone and nothing is returned, so the caller reads the existing mapping. A
-- concurrent claim of the same key waits on the unique index until the first commits.
-- A live key that holds only a stop (no run yet) is taken over too, keeping its stop:
-- stopped tells the trigger to register its run cancelled, in this same statement.
insert into idempotency_keys (scope_id, service, idem_key, request_hash, run_id, expires_at)
values (:scope, :service, :key, :hash, :runId, now() + make_interval(secs => :ttlSeconds))
on conflict (scope_id, service, idem_key) do update
    set request_hash      = excluded.request_hash,
        run_id            = excluded.run_id,
        created_at        = now(),
        expires_at        = excluded.expires_at,
        stop_requested_at = case when idempotency_keys.expires_at > now() then idempotency_keys.stop_requested_at end,
        stop_reason       = case when idempotency_keys.expires_at > now() then idempotency_keys.stop_reason end
    where idempotency_keys.expires_at <= now() or idempotency_keys.run_id is null
returning run_id, stop_requested_at is not null as stopped, stop_reason

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
    set request_hash      = excluded.request_hash,
        run_id            = excluded.run_id,
        created_at        = now(),
        expires_at        = excluded.expires_at,
        stop_requested_at = case when idempotency_keys.expires_at > now() then idempotency_keys.stop_requested_at end,
        stop_reason       = case when idempotency_keys.expires_at > now() then idempotency_keys.stop_reason end
    where idempotency_keys.expires_at <= now() or idempotency_keys.run_id is null
returning run_id, stop_requested_at is not null as stopped, stop_reason

-- name: idempotencyGet
-- run_id is null while the key holds only a stop recorded before its run.
select request_hash, run_id, expires_at > now() as live, stop_requested_at from idempotency_keys
where scope_id = :scope and service = :service and idem_key = :key

-- name: idempotencyKeysPurge
-- Expired keys are dead weight; delete them in bounded batches.
delete from idempotency_keys
where ctid = any (array(select ctid from idempotency_keys where expires_at <= now() limit :batch))

-- name: idempotencyStop
-- Records a stop on a key that has no run: a new row, or an expired one taken over (its old
-- run is no longer the key's). A live row is left as it is but locked (ON CONFLICT locks the
-- row it conflicts with, whether or not it updates it), so a trigger claiming the key
-- concurrently is either committed before (the caller then cancels its run) or waits for
-- this transaction and finds the stop. Returns a row only when the stop was written here.
insert into idempotency_keys (scope_id, service, idem_key, request_hash, run_id, expires_at,
                              stop_requested_at, stop_reason)
values (:scope, :service, :key, null, null, now() + make_interval(secs => :ttlSeconds), now(), :reason)
on conflict (scope_id, service, idem_key) do update
    set request_hash      = null,
        run_id            = null,
        created_at        = now(),
        expires_at        = excluded.expires_at,
        stop_requested_at = excluded.stop_requested_at,
        stop_reason       = excluded.stop_reason
    where idempotency_keys.expires_at <= now()
returning stop_requested_at
