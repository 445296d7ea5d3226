-- The least a run needs under RunLedger's guarantees, beside the real schema: the same
-- run row and ledger event columns, the two primary keys, the index the lease claims by and
-- the index the sweeper finds expired leases by. No listing or health indexes, no foreign
-- keys, no triggers. Not a schema to run RunLedger on (listing, filters, concurrency keys,
-- retention and webhooks need what it leaves out): the floor of what PostgreSQL must do
-- for a run's three writes and three events.
drop schema if exists minimal cascade;
create schema minimal;
create table minimal.runs (like public.runs including defaults);
alter table minimal.runs add primary key (scope_id, run_id);
create index on minimal.runs (scope_id, service, priority desc, created_at, run_id) where status = 'accepted';
create index on minimal.runs (lease_expires_at) where status = 'running';
create table minimal.run_events (like public.run_events including defaults);
alter table minimal.run_events add primary key (scope_id, run_id, seq);
-- As in the real schema (V18): no planner statistics for payloads.
alter table minimal.runs alter column input set statistics 0, alter column output set statistics 0,
    alter column error set statistics 0, alter column metadata set statistics 0, alter column retry set statistics 0;
alter table minimal.run_events alter column data set statistics 0;
create sequence if not exists public.ceiling_ids;
