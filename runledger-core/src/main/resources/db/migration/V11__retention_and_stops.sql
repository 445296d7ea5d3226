-- Stops recorded before their run exists, and retention of terminal runs.

-- A stop pressed before the trigger that makes its run: the key's row holds the stop and no
-- run yet (run_id and request_hash null). The trigger that later claims the key takes the
-- row over in its claim statement, learns of the stop there, and registers its run cancelled.
alter table idempotency_keys
    alter column run_id drop not null,
    alter column request_hash drop not null,
    add column stop_requested_at timestamptz,
    add column stop_reason       text,
    add check ((run_id is null) = (request_hash is null)),
    add check (run_id is not null or stop_requested_at is not null);

-- Retention: terminal runs of a service are deleted once they finished this many days ago
-- (0 keeps them forever).
alter table services add column retention_days integer not null default 30
    check (retention_days between 0 and 3650);

-- The retention pass finds a service's oldest terminal runs with this index alone.
create index runs_retention on runs (scope_id, service, finished_at)
    where status in ('succeeded', 'failed', 'cancelled', 'expired');

-- What a deleted run leaves in other tables, found by the run: webhook deliveries reporting
-- its events, waitpoints it created and waitpoints on it.
create index webhook_deliveries_by_run on webhook_deliveries (scope_id, run_id);
create index waitpoints_by_owner on waitpoints (scope_id, run_id) where run_id is not null;
create index waitpoints_by_target on waitpoints (scope_id, target_run_id) where target_run_id is not null;
-- Delivered and dead deliveries are deleted after 7 days, oldest first.
create index webhook_deliveries_settled on webhook_deliveries (created_at) where status <> 'pending';

-- The ledger stays append-only: no event is ever updated, and events are deleted only by
-- the retention pass, which deletes a terminal run's whole ledger with the run itself. It
-- says so with a transaction-local setting; any other DELETE is refused. The check is per
-- statement, so a retention transaction deleting 50,000 events pays for it once.
drop trigger run_events_no_update on run_events;

create trigger run_events_no_update before update on run_events
    for each row execute function run_events_append_only();

create function run_events_delete_guard() returns trigger language plpgsql as $$
begin
    if current_setting('runledger.retention', true) is distinct from 'on' then
        raise exception 'run_events is append-only' using errcode = 'RL002';
    end if;
    return null;
end;
$$;

create trigger run_events_no_delete before delete on run_events
    for each statement execute function run_events_delete_guard();
