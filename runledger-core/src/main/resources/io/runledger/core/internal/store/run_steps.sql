-- name: stepGet
select * from run_steps where scope_id = :scope and run_id = :runId and step = :step

-- name: stepRecord
-- A step's first record, for a run the caller locked running under its lease: the
-- step.completed event takes the next seq with the +1 on last_seq, the step row keeps that
-- seq, and memos counts it, all in one statement.
with run as (
    update runs
    set last_seq = last_seq + 1, last_event_at = now(), memos = memos + 1, updated_at = now()
    where scope_id = :scope and run_id = :runId and coalesce(status, '') = 'running' and lease_token = :token
    returning *
), event as (
    insert into run_events (scope_id, run_id, seq, type, data, created_at)
    select scope_id, run_id, last_seq, 'step.completed',
           jsonb_build_object('step', cast(:step as text), 'output', cast(:output as jsonb)), now()
    from run
), step as (
    insert into run_steps (scope_id, run_id, step, output, attempt, seq, created_at)
    select scope_id, run_id, :step, cast(:output as jsonb), attempt, last_seq, now()
    from run
    returning *
)
select * from step

-- name: stepsList
select * from run_steps where scope_id = :scope and run_id = :runId and seq > :after order by seq limit :limit

-- name: stepsOfRuns
-- What leases carry: each run's steps in record order while their outputs add up to :budget
-- bytes, and how many steps it has in all (more than returned: the lease says incomplete).
select scope_id, run_id, step, output, total from (
    select s.scope_id, s.run_id, s.step, s.output,
           sum(octet_length(s.output::text)) over (partition by s.run_id order by s.seq) as running,
           count(*) over (partition by s.run_id) as total
    from run_steps s
    where s.scope_id = :scope and s.run_id = any(cast(:runIds as text[]))
) t
where running <= :budget
order by run_id, running

-- name: resumesOfRuns
select run_id, step, results from suspensions
where scope_id = :scope and run_id = any(cast(:runIds as text[])) and resumed_at is not null
order by run_id, resumed_at

-- name: stepCount
select count(*) from run_steps where scope_id = :scope and run_id = :runId
