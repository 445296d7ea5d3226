-- Webhook redelivery and the endpoint stats an operator reads.

-- A redelivery gives a dead or delivered delivery a fresh series of attempts without
-- renumbering the ones it had: attempts keeps counting (webhook_attempts is keyed by it, so
-- the attempt log shows every attempt), and the attempts made before the last redelivery are
-- remembered here, so a delivery is dead once attempts - attempts_before reaches the maximum.
alter table webhook_deliveries
    add column attempts_before integer not null default 0,
    add constraint webhook_deliveries_attempts_before check (attempts_before between 0 and attempts);

-- An attempt names its webhook, so an endpoint's attempts of the last hours and its latest
-- failure are found by index, without walking its deliveries first. Nullable: an instance of
-- the previous version, still running during a rolling upgrade, inserts attempts without it
-- (those are left out of the stats, nothing else reads the column).
alter table webhook_attempts add column webhook_id text;

-- Attempts whose delivery is gone are unreachable (a deleted webhook's pending deliveries
-- were dropped without their attempts); the others learn their webhook.
delete from webhook_attempts a
where not exists (select 1 from webhook_deliveries d
                  where d.scope_id = a.scope_id and d.delivery_id = a.delivery_id);
update webhook_attempts a set webhook_id = d.webhook_id
from webhook_deliveries d
where d.scope_id = a.scope_id and d.delivery_id = a.delivery_id;

-- Attempts of an endpoint in a window (counted from the index alone), and its failed ones:
-- counted in the window too, and the latest one read first.
create index webhook_attempts_by_hook on webhook_attempts (scope_id, webhook_id, attempted_at)
    where webhook_id is not null;
create index webhook_attempts_failed on webhook_attempts (scope_id, webhook_id, attempted_at)
    where webhook_id is not null and error is not null;

-- An endpoint's deliveries by status in a window: the listing index (newest first) now also
-- carries the status, so the counts need no row of the table.
drop index webhook_deliveries_by_hook;
create index webhook_deliveries_by_hook on webhook_deliveries (scope_id, webhook_id, created_at desc)
    include (status);

-- A delivery's attempts as the API shows them, in attempt order: one definition for every
-- statement that answers with a delivery.
create function webhook_attempt_log(p_scope text, p_delivery text) returns json
    language sql stable as $$
    select coalesce(json_agg(json_build_object(
               'attempt', a.attempt, 'statusCode', a.status_code, 'error', a.error,
               'durationMs', a.duration_ms,
               'attemptedAt', to_char(a.attempted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
               order by a.attempt), '[]')
    from webhook_attempts a
    where a.scope_id = p_scope and a.delivery_id = p_delivery
$$;
