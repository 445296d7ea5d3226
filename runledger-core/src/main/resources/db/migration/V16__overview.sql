-- The overview (per service and bucket: runs created, settled by outcome, durations) reads
-- indexes only. Created runs come from runs_scope_service_created as it is. Settled runs
-- come from the retention index, which now also carries status and started_at, so neither
-- the counts by outcome nor the durations read a run's row. It keeps its columns and its
-- predicate, so the retention pass uses it as before.
drop index runs_retention;
create index runs_settled on runs (scope_id, service, finished_at) include (status, started_at)
    where status in ('succeeded', 'failed', 'cancelled', 'expired');

-- Waiting runs of a service, counted without a scan. Only waiting rows are in it: a run
-- enters it when it suspends and leaves when it resumes, so triggers and leases never pay.
create index runs_waiting on runs (scope_id, service) where status = 'waiting';

-- The overview's wide windows (24 hours, 7 days) read closed half-hours from these
-- summaries instead of counting every run again: a background pass folds each half-hour,
-- once it is over (and a grace for transactions that began in it), into one row per
-- service. Only what happened after the last folded half-hour is counted from the runs.
-- durations: the runs that succeeded or failed in the half-hour, by their time from first
-- start to settlement on a log scale (bin i holds 1.1^i to 1.1^(i+1) ms), {"bin": runs}.
create table run_stats (
    scope_id   text        not null,
    service    text        not null,
    slot_start timestamptz not null,
    triggered  bigint      not null,
    succeeded  bigint      not null,
    failed     bigint      not null,
    cancelled  bigint      not null,
    expired    bigint      not null,
    durations  jsonb       not null,
    primary key (scope_id, service, slot_start)
);

-- Every half-hour before folded_until is folded (null: none yet). One row; the pass that
-- folds locks it, so instances never fold the same half-hour at once.
create table run_stats_folded (
    id            boolean primary key default true check (id),
    folded_until  timestamptz
);
insert into run_stats_folded (id, folded_until) values (true, null);
