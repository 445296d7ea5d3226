-- RunLedger schema v1: scopes, services, runs (the projection), run_events (the ledger),
-- idempotency keys and the worker registry. Every run table leads its primary key with
-- scope_id so the schema can later be distributed by scope.

create table scopes (
    scope_id   text        not null primary key,
    created_at timestamptz not null default now()
);

create table services (
    scope_id          text        not null references scopes (scope_id),
    service           text        not null,
    max_attempts      integer     not null check (max_attempts between 1 and 100),
    lease_ttl_seconds integer     not null check (lease_ttl_seconds between 1 and 86400),
    input_schema      jsonb,
    concurrency_limit integer     check (concurrency_limit >= 1),
    description       text,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    primary key (scope_id, service)
);

create table runs (
    scope_id          text        not null,
    run_id            text        not null,
    service           text        not null,
    status            text        not null check (status in ('accepted', 'scheduled', 'running', 'waiting',
                                                             'succeeded', 'failed', 'cancelled', 'expired')),
    attempt           integer     not null default 1,
    max_attempts      integer     not null,
    lease_ttl_seconds integer     not null,
    input             jsonb       not null default 'null',
    output            jsonb,
    error             jsonb,
    command_id        text        not null,
    correlation_id    text,
    concurrency_key   text,
    -- true while this run owns its concurrency key; waiters (onConflict enqueue/interrupt)
    -- keep it false until the holder settles and hands the key over.
    holds_key         boolean     not null default false,
    parent_run_id     text,
    tags              text[]      not null default '{}',
    metadata          jsonb       not null default '{}',
    worker_id         text,
    lease_token       text,
    lease_expires_at  timestamptz,
    run_at            timestamptz,
    expires_at        timestamptz,
    created_at        timestamptz not null,
    started_at        timestamptz,
    finished_at       timestamptz,
    stop_requested_at timestamptz,
    stop_reason       text,
    updated_at        timestamptz not null,
    last_seq          bigint      not null default 0,
    primary key (scope_id, run_id),
    foreign key (scope_id, service) references services (scope_id, service),
    check (concurrency_key is not null or not holds_key)
);

-- Invariant 4: at most one run holds a concurrency key. The database refuses a second
-- holder even if an application check is bypassed or races.
create unique index runs_concurrency_holder
    on runs (scope_id, concurrency_key) where holds_key;

-- Listing newest first with a keyset cursor.
create index runs_scope_created on runs (scope_id, created_at desc, run_id desc);
create index runs_scope_service_created on runs (scope_id, service, created_at desc, run_id desc);
-- The lease query: oldest leasable run of a service.
create index runs_leasable on runs (scope_id, service, created_at, run_id) where status = 'accepted';
-- Sweeper: running runs by lease expiry.
create index runs_lease_expiry on runs (lease_expires_at) where status = 'running';
-- Scheduler: scheduled runs by due time, queued runs by TTL.
create index runs_due on runs (run_at) where status = 'scheduled';
create index runs_ttl on runs (expires_at) where status = 'accepted' and expires_at is not null;
-- Waiters for a concurrency key, in trigger order.
create index runs_key_waiters on runs (scope_id, concurrency_key, created_at, run_id)
    where concurrency_key is not null and not holds_key
      and status in ('accepted', 'scheduled', 'running', 'waiting');
create index runs_parent on runs (scope_id, parent_run_id) where parent_run_id is not null;
create index runs_tags on runs using gin (tags);

-- The statuses and their transitions are defined once in Java (RunStatus); this trigger
-- repeats that table so that no SQL, ours or an operator's, can write an illegal one.
create function runs_check_transition() returns trigger language plpgsql as $$
begin
    -- The projection rebuild may repair a corrupted status to what the ledger says.
    if new.status = old.status or current_setting('runledger.repair', true) = 'on' then
        return new;
    end if;
    if (old.status = 'accepted' and new.status in ('running', 'cancelled', 'expired'))
        or (old.status = 'scheduled' and new.status in ('accepted', 'cancelled'))
        or (old.status = 'running' and new.status in ('succeeded', 'failed', 'cancelled', 'accepted', 'waiting'))
        or (old.status = 'waiting' and new.status in ('accepted', 'cancelled', 'failed')) then
        return new;
    end if;
    raise exception 'illegal run status transition % -> % for run %', old.status, new.status, old.run_id
        using errcode = 'RL001';
end;
$$;

create trigger runs_transition before update of status on runs
    for each row execute function runs_check_transition();

create table run_events (
    scope_id       text        not null,
    run_id         text        not null,
    seq            bigint      not null check (seq >= 1),
    type           text        not null,
    schema_version integer     not null default 1,
    data           jsonb       not null default '{}',
    created_at     timestamptz not null,
    primary key (scope_id, run_id, seq),
    foreign key (scope_id, run_id) references runs (scope_id, run_id)
);

-- The ledger is append-only: no update or delete, ever.
create function run_events_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'run_events is append-only' using errcode = 'RL002';
end;
$$;

create trigger run_events_no_update before update or delete on run_events
    for each row execute function run_events_append_only();

create table idempotency_keys (
    scope_id     text        not null,
    service      text        not null,
    idem_key     text        not null,
    request_hash text        not null,
    run_id       text        not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    primary key (scope_id, service, idem_key)
);

create index idempotency_keys_expiry on idempotency_keys (expires_at);

create table workers (
    scope_id     text        not null references scopes (scope_id),
    worker_id    text        not null,
    services     text[]      not null default '{}',
    version      text,
    capabilities jsonb       not null default '{}',
    first_seen_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    primary key (scope_id, worker_id)
);
