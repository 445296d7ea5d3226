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
