-- Orchestration: retry policies, waitpoints, suspensions, durable steps, child runs and replays.

-- A retry after a backoff delay goes running -> scheduled (RunStatus has the same table).
create or replace function runs_check_transition() returns trigger language plpgsql as $$
begin
    if new.status = old.status or current_setting('runledger.repair', true) = 'on' then
        return new;
    end if;
    if (old.status = 'accepted' and new.status in ('running', 'cancelled', 'expired'))
        or (old.status = 'scheduled' and new.status in ('accepted', 'cancelled'))
        or (old.status = 'running' and new.status in ('succeeded', 'failed', 'cancelled', 'accepted', 'scheduled',
                                                      'waiting'))
        or (old.status = 'waiting' and new.status in ('accepted', 'cancelled', 'failed')) then
        return new;
    end if;
    raise exception 'illegal run status transition % -> % for run %', old.status, new.status, old.run_id
        using errcode = 'RL001';
end;
$$;

-- A service's retry policy (null: the defaults); a run keeps the policy it was triggered
-- with (its own, else its service's at that time), so a later service change does not
-- reach runs already registered.
alter table services add column retry jsonb;
alter table runs add column retry jsonb;
-- The first run of a tree of children (the run itself when it has no parent) and the run a
-- replay copies.
alter table runs add column root_run_id text;
alter table runs add column replay_of text;
-- How many steps and resumes the run has recorded: a lease loads them only when there are some.
alter table runs add column memos integer not null default 0;
create index runs_root on runs (scope_id, root_run_id) where root_run_id is not null;

create table waitpoints (
    scope_id        text        not null references scopes (scope_id),
    waitpoint_id    text        not null,
    kind            text        not null check (kind in ('duration', 'token', 'run', 'batch')),
    status          text        not null default 'pending' check (status in ('pending', 'completed', 'timed_out')),
    data            jsonb,
    -- the run that created it (by suspending, or a token made by createToken), if any
    run_id          text,
    target_run_id   text,
    target_batch_id text,
    resume_at       timestamptz,
    expires_at      timestamptz,
    -- a token's callback secret, hashed (SHA-256, hex): the secret itself is never stored
    callback_hash   text,
    idempotency_key text,
    tags            text[]      not null default '{}',
    created_at      timestamptz not null default now(),
    completed_at    timestamptz,
    primary key (scope_id, waitpoint_id),
    check ((kind = 'run') = (target_run_id is not null)),
    check ((kind = 'batch') = (target_batch_id is not null)),
    check (kind <> 'duration' or resume_at is not null)
);
create unique index waitpoints_idempotency on waitpoints (scope_id, idempotency_key) where idempotency_key is not null;
create unique index waitpoints_callback on waitpoints (callback_hash) where callback_hash is not null;
create index waitpoints_list on waitpoints (scope_id, created_at desc, waitpoint_id desc);
create index waitpoints_due on waitpoints (resume_at) where status = 'pending' and kind = 'duration';
create index waitpoints_expiry on waitpoints (expires_at) where status = 'pending' and expires_at is not null;
create index waitpoints_on_run on waitpoints (scope_id, target_run_id) where status = 'pending' and kind = 'run';
create index waitpoints_on_batch on waitpoints (scope_id, target_batch_id) where status = 'pending' and kind = 'batch';

-- A suspend: the run waits at a step on its waitpoints (run_waits) until all are done or the
-- timeout passes. results holds what run.resumed reported, which later leases carry.
create table suspensions (
    scope_id   text        not null,
    run_id     text        not null,
    step       text        not null,
    attempt    integer     not null,
    timeout_at timestamptz,
    on_timeout text        not null check (on_timeout in ('resume', 'fail')),
    created_at timestamptz not null default now(),
    resumed_at timestamptz,
    results    jsonb,
    primary key (scope_id, run_id, step),
    foreign key (scope_id, run_id) references runs (scope_id, run_id)
);
create index suspensions_timeout on suspensions (timeout_at) where resumed_at is null and timeout_at is not null;
create index suspensions_open on suspensions (created_at) where resumed_at is null;

create table run_waits (
    scope_id     text    not null,
    run_id       text    not null,
    step         text    not null,
    waitpoint_id text    not null,
    position     integer not null,
    primary key (scope_id, run_id, step, waitpoint_id),
    foreign key (scope_id, run_id, step) references suspensions (scope_id, run_id, step),
    foreign key (scope_id, waitpoint_id) references waitpoints (scope_id, waitpoint_id)
);
create index run_waits_waitpoint on run_waits (scope_id, waitpoint_id);

-- Durable steps: one output per (run, step), whatever the attempt.
create table run_steps (
    scope_id   text        not null,
    run_id     text        not null,
    step       text        not null,
    output     jsonb       not null,
    attempt    integer     not null,
    seq        bigint      not null,
    created_at timestamptz not null default now(),
    primary key (scope_id, run_id, step),
    foreign key (scope_id, run_id) references runs (scope_id, run_id)
);
create unique index run_steps_seq on run_steps (scope_id, run_id, seq);

-- When a run settles, the run waitpoints on it complete with its outcome, and a batch
-- waitpoint completes when the last run of its batch settles. Done here, in the statement
-- that settles, so no settling path (a completion, a failure, a sweep, a cancel, an expiry)
-- can forget it. The waiting runs are resumed by the engine, woken by the NOTIFY ("r|scope|run").
-- The batch check locks the waitpoint first: two transactions settling a batch's last two
-- runs queue on it, and the second one's next statement sees the first one's commit.
create function runs_settle_waitpoints() returns trigger language plpgsql as $$
declare
    w record;
begin
    for w in
        with done as (
            update waitpoints p
            set status = 'completed', completed_at = now(),
                data = jsonb_build_object('runId', new.run_id, 'status', new.status, 'output', new.output,
                                          'error', new.error)
            where p.scope_id = new.scope_id and p.kind = 'run' and p.target_run_id = new.run_id
              and p.status = 'pending'
            returning p.scope_id, p.waitpoint_id
        )
        select distinct rw.run_id from done d
        join run_waits rw on rw.scope_id = d.scope_id and rw.waitpoint_id = d.waitpoint_id
    loop
        perform pg_notify('runledger', 'r|' || new.scope_id || '|' || w.run_id);
    end loop;
    if new.batch_id is not null then
        for w in
            select p.waitpoint_id from waitpoints p
            where p.scope_id = new.scope_id and p.kind = 'batch' and p.target_batch_id = new.batch_id
              and p.status = 'pending'
            for update
        loop
            if not exists (select 1 from runs r
                           where r.scope_id = new.scope_id and r.batch_id = new.batch_id
                             and r.status in ('accepted', 'scheduled', 'running', 'waiting')) then
                update waitpoints p
                set status = 'completed', completed_at = now(),
                    data = (select jsonb_build_object('batchId', new.batch_id, 'runs',
                                       jsonb_agg(jsonb_build_object('runId', r.run_id, 'status', r.status,
                                                                    'output', r.output, 'error', r.error)
                                                 order by r.created_at, r.run_id))
                            from runs r where r.scope_id = new.scope_id and r.batch_id = new.batch_id)
                where p.scope_id = new.scope_id and p.waitpoint_id = w.waitpoint_id and p.status = 'pending';
                perform pg_notify('runledger', 'r|' || new.scope_id || '|' || rw.run_id)
                from run_waits rw where rw.scope_id = new.scope_id and rw.waitpoint_id = w.waitpoint_id;
            end if;
        end loop;
    end if;
    return null;
end;
$$;

create trigger runs_settled_waitpoints after update of status on runs
    for each row
    when (new.status in ('succeeded', 'failed', 'cancelled', 'expired')
          and old.status not in ('succeeded', 'failed', 'cancelled', 'expired'))
    execute function runs_settle_waitpoints();
