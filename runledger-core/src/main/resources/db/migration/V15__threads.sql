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

-- Whether a waiting run is interrupted: its open suspend waits on a pending token.
create function run_interrupted(p_scope text, p_run_id text) returns boolean
language sql stable as $$
    select exists (
        select 1 from suspensions s
        join run_waits rw on rw.scope_id = s.scope_id and rw.run_id = s.run_id and rw.step = s.step
        join waitpoints p on p.scope_id = rw.scope_id and p.waitpoint_id = rw.waitpoint_id
        where s.scope_id = p_scope and s.run_id = p_run_id and s.resumed_at is null
          and p.kind = 'token' and p.status = 'pending')
$$;

-- What a thread's runs say of it, read through its key (runs_by_key and V1's key indexes):
-- the run holding the key is the active one, interrupted when it waits on a pending token;
-- runs waiting for the key (enqueued) keep the thread busy; the latest run, and the latest
-- succeeded one (whose output is the thread's values), skip runs removed from the thread.
create function thread_state(p_scope text, p_key text)
returns table (thread_status text, active_run_id text, last_run_id text, last_updated_at timestamptz,
               values_run_id text, thread_values jsonb)
language sql stable as $$
    select case when h.interrupted then 'interrupted'
                when h.run_id is not null or w.queued then 'busy'
                when l.status in ('failed', 'expired') then 'error'
                else 'idle' end,
           h.run_id, l.run_id, l.updated_at, v.run_id, v.output
    from (select 1) as one
    left join lateral (
        select r.run_id, r.status = 'waiting' and run_interrupted(r.scope_id, r.run_id) as interrupted
        from runs r
        where r.scope_id = p_scope and r.concurrency_key = p_key and r.holds_key
    ) h on true
    left join lateral (
        select exists (select 1 from runs r
                       where r.scope_id = p_scope and r.concurrency_key = p_key and not r.holds_key
                         and r.status in ('accepted', 'scheduled', 'running', 'waiting')) as queued
    ) w on true
    left join lateral (
        select r.run_id, r.status, r.updated_at from runs r
        where r.scope_id = p_scope and r.concurrency_key = p_key
          and not exists (select 1 from thread_removed_runs x where x.scope_id = r.scope_id and x.run_id = r.run_id)
        order by r.created_at desc, r.run_id desc
        limit 1
    ) l on true
    left join lateral (
        select r.run_id, r.output from runs r
        where r.scope_id = p_scope and r.concurrency_key = p_key and r.status = 'succeeded'
          and not exists (select 1 from thread_removed_runs x where x.scope_id = r.scope_id and x.run_id = r.run_id)
        order by r.created_at desc, r.run_id desc
        limit 1
    ) v on true
$$;
