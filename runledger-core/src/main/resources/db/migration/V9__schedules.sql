-- Cron schedules: control-plane rows, one per (scope, schedule id). Any instance fires a due
-- schedule: in one transaction it locks the row (FOR UPDATE SKIP LOCKED), triggers the run
-- through the normal trigger path with the idempotency key schedule/{id}/{fireAt}, and moves
-- next_fire_at on, so a fire time is taken by one instance and, even if two raced past the
-- lock, registers one run.
create table schedules (
    scope_id     text        not null references scopes (scope_id),
    schedule_id  text        not null,
    service      text        not null,
    -- five fields (minute .. day of week) or six (seconds first), read in timezone
    cron         text        not null check (length(cron) <= 200),
    timezone     text        not null,
    input        jsonb       not null default 'null',
    enabled      boolean     not null default true,
    overlap      text        not null check (overlap in ('allow', 'skip')),
    catch_up     text        not null check (catch_up in ('latest', 'none')),
    -- the next time to fire; null while disabled (or when the expression has no future time)
    next_fire_at timestamptz,
    last_run_id  text,
    last_fire_at timestamptz,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    primary key (scope_id, schedule_id),
    foreign key (scope_id, service) references services (scope_id, service)
);

-- The firing pass looks only for enabled schedules that are due, across scopes.
create index schedules_due on schedules (next_fire_at) where enabled and next_fire_at is not null;
