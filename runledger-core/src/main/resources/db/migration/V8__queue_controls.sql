-- Queue controls: a paused service still accepts triggers, but leases skip it (runsLease
-- joins the requested services to this flag, so a pause holds on every instance at once,
-- whatever a service cache remembers).
alter table services add column paused boolean not null default false;

-- A run's priority (-100..100, default 0): leases take higher priority first, oldest first
-- within a priority. The leasable index is in that order, so a lease stays one index scan
-- per service (runsLease's LATERAL), priorities or not.
alter table runs add column priority smallint not null default 0;

drop index runs_leasable;
create index runs_leasable on runs (scope_id, service, priority desc, created_at, run_id) where status = 'accepted';
