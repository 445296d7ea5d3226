-- One worker's turn in a drain, as the server writes it (RunStore.runsLease, then
-- RunStore.runsSucceed): claim up to 500 queued runs with their run.started events in one
-- statement, then settle them with their run.succeeded events, fenced by lease token, in a
-- second one (each its own transaction, as two HTTP calls are).
with picked as (
  select scope_id, run_id from runs
  where scope_id = 'bench' and service = 'noop' and status = 'accepted'
    and (concurrency_key is null or holds_key) and (expires_at is null or expires_at > now() or started_at is not null)
  order by priority desc, created_at, run_id limit 500 for update skip locked
), leased as (
  update runs r set status = 'running', worker_id = 'w:client_id', lease_token = gen_random_uuid()::text,
    lease_expires_at = now() + make_interval(secs => r.lease_ttl_seconds), started_at = coalesce(r.started_at, now()),
    last_seq = r.last_seq + 1, last_event_at = now(), updated_at = now()
  from picked p where r.scope_id = p.scope_id and r.run_id = p.run_id
  returning r.*
), started as (
  insert into run_events (scope_id, run_id, seq, type, data, created_at)
  select scope_id, run_id, last_seq, 'run.started', jsonb_build_object('attempt', attempt, 'workerId', worker_id), now()
  from leased
)
select coalesce(string_agg(run_id, ','), '') as ids, coalesce(string_agg(lease_token, ','), '') as toks from leased
\gset
with fenced as (
  select f.scope_id, f.run_id
  from unnest(string_to_array(':ids', ','), string_to_array(':toks', ',')) as i(run_id, token)
  cross join lateral (select r.scope_id, r.run_id from runs r where r.scope_id = 'bench' and r.run_id = i.run_id
                      and coalesce(r.status, '') = 'running' and r.lease_token = i.token for update) f
), done as (
  update runs r set status = 'succeeded', output = '{"ok":true}'::jsonb, error = null, finished_at = now(),
    lease_expires_at = null, holds_key = false, last_seq = r.last_seq + 1, last_event_at = now(), updated_at = now()
  from fenced f where r.scope_id = f.scope_id and r.run_id = f.run_id
  returning r.*
)
insert into run_events (scope_id, run_id, seq, type, data, created_at)
select scope_id, run_id, last_seq, 'run.succeeded', jsonb_build_object('attempt', attempt, 'output', output), now()
from done;
