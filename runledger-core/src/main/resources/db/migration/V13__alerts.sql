-- Alerts: a webhook of kind 'alert' receives one alert.runs_failed per service per window
-- instead of the run events themselves.
alter table webhooks
    add column kind text not null default 'events' check (kind in ('events', 'alert')),
    add column window_seconds integer check (window_seconds between 1 and 86400),
    add constraint webhooks_alert_window check ((kind = 'alert') = (window_seconds is not null));

-- An alert delivery reports a window, not one event: it has no run and carries its payload.
alter table webhook_deliveries
    alter column run_id drop not null,
    alter column seq drop not null,
    add column payload jsonb;

-- Failed runs noted per alert webhook, service and window. A row per failure (not a counter
-- per window) so that concurrent failures never wait on each other's row lock; the window
-- is aggregated into one delivery, and its rows deleted, once it has closed.
create table alert_failures (
    scope_id     text        not null,
    webhook_id   text        not null,
    service      text        not null,
    window_start timestamptz not null,
    run_id       text        not null,
    failed_at    timestamptz not null default now(),
    primary key (scope_id, webhook_id, service, window_start, run_id)
);

create index alert_failures_by_window on alert_failures (window_start);

-- The outbox trigger of V3, now keeping run events to event webhooks and noting failures
-- for alert webhooks, in the same statement as the event it reports.
create or replace function run_events_outbox() returns trigger language plpgsql as $$
begin
    insert into webhook_deliveries (scope_id, delivery_id, webhook_id, run_id, seq, event_type)
    select e.scope_id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), w.webhook_id, e.run_id, e.seq, e.type
    from new_events e
    join webhooks w on w.scope_id = e.scope_id and w.enabled and w.kind = 'events'
    where exists (select 1 from unnest(w.events) p
                  where p = e.type
                     or (right(p, 1) = '*' and starts_with(e.type, left(p, -1))));
    if exists (select 1 from new_events where type = 'run.failed') then
        -- Windows are aligned to the epoch, so every instance and transaction agrees on the
        -- window a failure falls in without reading any other row.
        insert into alert_failures (scope_id, webhook_id, service, window_start, run_id)
        select e.scope_id, w.webhook_id, r.service,
               to_timestamp(floor(extract(epoch from now()) / w.window_seconds) * w.window_seconds),
               e.run_id
        from new_events e
        join webhooks w on w.scope_id = e.scope_id and w.enabled and w.kind = 'alert'
        join runs r on r.scope_id = e.scope_id and r.run_id = e.run_id
        where e.type = 'run.failed'
        on conflict do nothing;
    end if;
    return null;
end;
$$;
