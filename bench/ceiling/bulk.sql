-- One call of 1,000 runs through `batches`, as the server writes it (RunStore.runsInsert):
-- the run rows (accepted, with their batch id) and their run.accepted events in one statement.
-- Ids are increasing, as the server's ULIDs are.
with run as (
  insert into runs (scope_id, run_id, service, status, attempt, max_attempts, lease_ttl_seconds, input,
                    command_id, tags, metadata, created_at, updated_at, last_seq, batch_id, priority,
                    last_event_at)
  select 'bench', 'run_' || lpad(nextval('public.ceiling_ids')::text, 26, '0'), 'noop', 'accepted', 1, 1, 300,
         jsonb_build_object('i', g), 'cmd_' || lpad(currval('public.ceiling_ids')::text, 26, '0'), '{}', '{}',
         now(), now(), 1, 'bat_:client_id', 0, now()
  from generate_series(1, 1000) g
  returning scope_id, run_id, input)
insert into run_events (scope_id, run_id, seq, type, data, created_at)
select scope_id, run_id, 1, 'run.accepted', jsonb_build_object('input', input), now() from run;
