-- Bulk actions: cancel or replay every run of a scope that matched a filter when the action
-- was created. The matched run ids are snapshotted into bulk_action_runs in the creating
-- transaction, numbered 1..matched in the listing's order (newest first), so what the action
-- covers is exactly what matched then. Any instance processes an action page by page: it
-- locks the action row (FOR UPDATE SKIP LOCKED), takes the next positions after done_through,
-- applies the action to each run, records each run's outcome and advances done_through and
-- the counters, all in one transaction: a page is done once or, after a crash, not at all.
create table bulk_actions (
    scope_id       text        not null references scopes (scope_id),
    bulk_action_id text        not null,
    action         text        not null check (action in ('cancel', 'replay')),
    filter         jsonb       not null,
    reason         text,
    idempotency_key text,
    status         text        not null check (status in ('running', 'completed', 'cancelled')),
    matched        integer     not null,
    done_through   integer     not null default 0,
    processed      integer     not null default 0,
    skipped        integer     not null default 0,
    failed         integer     not null default 0,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    finished_at    timestamptz,
    primary key (scope_id, bulk_action_id)
);

-- A create repeated with its idempotency key answers the first action.
create unique index bulk_actions_idempotency on bulk_actions (scope_id, idempotency_key)
    where idempotency_key is not null;

-- The listing, newest first, and the processors' search for work.
create index bulk_actions_list on bulk_actions (scope_id, created_at desc, bulk_action_id desc);
create index bulk_actions_running on bulk_actions (created_at, bulk_action_id) where status = 'running';

-- No foreign key to runs: a run may be deleted while its action runs (it then counts failed).
create table bulk_action_runs (
    scope_id       text    not null,
    bulk_action_id text    not null,
    position       integer not null,
    run_id         text    not null,
    outcome        text    check (outcome in ('processed', 'skipped', 'failed')),
    detail         text,
    primary key (scope_id, bulk_action_id, position),
    foreign key (scope_id, bulk_action_id) references bulk_actions (scope_id, bulk_action_id) on delete cascade
);
