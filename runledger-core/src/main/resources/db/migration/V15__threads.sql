-- Threads: conversations whose runs share one concurrency key, so a thread runs one run at a
-- time and a trigger's onConflict decides what happens to the next (the Agent Protocol's
-- multitask strategies). A thread stores only what no run says: its metadata and its key.
-- Its status, values and interrupts are derived from its runs when it is read.
create table threads (
    scope_id        text        not null references scopes (scope_id),
    thread_id       text        not null,
    -- 'thread:<thread_id>:<random>': a thread deleted and created again under the same id gets
    -- a key of its own, so the runs of the deleted one (kept until retention) stay out of it.
    concurrency_key text        not null,
    metadata        jsonb       not null default '{}',
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    primary key (scope_id, thread_id),
    unique (scope_id, concurrency_key)
);

-- Thread search filters by metadata containment (metadata @> {...}).
create index threads_metadata on threads using gin (metadata jsonb_path_ops);
create index threads_created on threads (scope_id, created_at desc, thread_id desc);

-- A thread's runs, newest first, and its latest ones (status, values): by concurrency key.
-- Only keyed runs are in the index, so unkeyed triggers do not pay for it.
create index runs_by_key on runs (scope_id, concurrency_key, created_at desc, run_id desc)
    where concurrency_key is not null;

-- Runs taken out of their thread (a deleted run, a run rolled back by the next one). The
-- ledger is append-only, so the run itself stays, readable through the runs API, until its
-- service's retention deletes it, and this row with it.
create table thread_removed_runs (
    scope_id   text        not null,
    run_id     text        not null,
    removed_at timestamptz not null default now(),
    primary key (scope_id, run_id),
    foreign key (scope_id, run_id) references runs (scope_id, run_id) on delete cascade
);

-- A run's one-off completion webhook (the Agent Protocol's `webhook`): its terminal event goes
-- to url through the outbox every webhook uses, as the delivery of a webhook '~<run_id>' (a
-- name no webhook can have), signed with this row's secret. Deleted with its run.
create table run_webhooks (
    scope_id   text        not null,
    run_id     text        not null,
    url        text        not null,
    secret     text        not null,
    created_at timestamptz not null default now(),
    primary key (scope_id, run_id),
    foreign key (scope_id, run_id) references runs (scope_id, run_id) on delete cascade
);

-- The outbox trigger of V13, now also keeping the terminal event of a run that has a
-- completion webhook, in the same statement as the event.
create or replace function run_events_outbox() returns trigger language plpgsql as $$
begin
    insert into webhook_deliveries (scope_id, delivery_id, webhook_id, run_id, seq, event_type)
    select e.scope_id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), w.webhook_id, e.run_id, e.seq, e.type
    from new_events e
    join webhooks w on w.scope_id = e.scope_id and w.enabled and w.kind = 'events'
    where exists (select 1 from unnest(w.events) p
                  where p = e.type
                     or (right(p, 1) = '*' and starts_with(e.type, left(p, -1))));
    if exists (select 1 from new_events
               where type in ('run.succeeded', 'run.failed', 'run.cancelled', 'run.expired')) then
        insert into webhook_deliveries (scope_id, delivery_id, webhook_id, run_id, seq, event_type)
        select e.scope_id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), '~' || e.run_id, e.run_id, e.seq,
               e.type
        from new_events e
        join run_webhooks rw on rw.scope_id = e.scope_id and rw.run_id = e.run_id
        where e.type in ('run.succeeded', 'run.failed', 'run.cancelled', 'run.expired')
        on conflict do nothing;
    end if;
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
