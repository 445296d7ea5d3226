-- Queue controls: a paused service still accepts triggers, but leases skip it (runsLease
-- joins the requested services to this flag, so a pause holds on every instance at once,
-- whatever a service cache remembers).
alter table services add column paused boolean not null default false;
