-- Operations: the webhook outbox, signals to workers (run messages) and batches.

create table webhooks (
    scope_id   text        not null references scopes (scope_id),
    webhook_id text        not null,
    url        text        not null,
    -- event type filters: exact types ('run.succeeded') or prefixes ending in '*' ('run.*')
    events     text[]      not null,
    secret     text        not null,
    enabled    boolean     not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (scope_id, webhook_id)
);

create table webhook_deliveries (
    scope_id        text        not null,
    delivery_id     text        not null,
    webhook_id      text        not null,
    run_id          text        not null,
    seq             bigint      not null,
    event_type      text        not null,
    -- pending -> delivered | dead; 'pending' rows are due at next_attempt_at
    status          text        not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    -- a dispatcher claims a delivery by pushing next_attempt_at past its request timeout,
    -- so a dispatcher that dies mid-request only delays the delivery
    last_status_code integer,
    last_error      text,
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz,
    primary key (scope_id, delivery_id),
    unique (scope_id, webhook_id, run_id, seq)
);

create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_by_hook on webhook_deliveries (scope_id, webhook_id, created_at desc);

create table webhook_attempts (
    scope_id     text        not null,
    delivery_id  text        not null,
    attempt      integer     not null,
    status_code  integer,
    error        text,
    duration_ms  integer     not null,
    attempted_at timestamptz not null default now(),
    primary key (scope_id, delivery_id, attempt)
);

-- The outbox row is written by the same statement, so in the same transaction, as the
-- event it reports: whichever code path appends events, no matching event is missed.
create function run_events_outbox() returns trigger language plpgsql as $$
begin
    insert into webhook_deliveries (scope_id, delivery_id, webhook_id, run_id, seq, event_type)
    select e.scope_id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), w.webhook_id, e.run_id, e.seq, e.type
    from new_events e
    join webhooks w on w.scope_id = e.scope_id and w.enabled
    where exists (select 1 from unnest(w.events) p
                  where p = e.type
                     or (right(p, 1) = '*' and starts_with(e.type, left(p, -1))));
    return null;
end;
$$;

create trigger run_events_outbox after insert on run_events
    referencing new table as new_events
    for each statement execute function run_events_outbox();

-- Messages to a running run's worker (signals): pending -> delivered (on a heartbeat) -> acked.
create table run_messages (
    scope_id     text        not null,
    message_id   text        not null,
    run_id       text        not null,
    seq          bigint      not null,
    type         text        not null,
    severity     text        not null default 'info',
    data         jsonb       not null default '{}',
    status       text        not null default 'pending' check (status in ('pending', 'delivered', 'acked')),
    created_at   timestamptz not null default now(),
    delivered_at timestamptz,
    acked_at     timestamptz,
    primary key (scope_id, message_id),
    foreign key (scope_id, run_id) references runs (scope_id, run_id)
);

create index run_messages_by_run on run_messages (scope_id, run_id, created_at);

create table batches (
    scope_id   text        not null references scopes (scope_id),
    batch_id   text        not null,
    service    text        not null,
    size       integer     not null,
    created_at timestamptz not null default now(),
    primary key (scope_id, batch_id)
);

alter table runs add column batch_id text;
create index runs_batch on runs (scope_id, batch_id) where batch_id is not null;
