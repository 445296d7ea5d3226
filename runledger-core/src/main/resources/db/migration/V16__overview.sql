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
