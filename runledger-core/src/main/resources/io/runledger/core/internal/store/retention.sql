-- name: retentionServices
-- The services whose terminal runs are deleted after some days (0 keeps them forever).
select scope_id, service, retention_days from services where retention_days > 0 order by scope_id, service

-- name: retentionCandidates
-- A service's oldest terminal runs past its retention, locked (SKIP LOCKED: instances share
-- the work, and nothing waits on a run another transaction holds). Found by runs_settled
-- alone. A run is taken only when its whole tree (its root and every run under that root) is
-- terminal, so a live run never loses its parent, root or sibling from its tree reads. The
-- tree checks are scalar subqueries, not NOT EXISTS: the planner would turn those into
-- anti-joins that scan runs (or all of runs_root) once per transaction; these are index
-- probes per candidate (runs_root, then the primary key). A root already deleted was terminal.
select r.run_id, r.last_seq, r.command_id, r.batch_id from runs r
where r.scope_id = :scope and r.service = :service
  and r.status in ('succeeded', 'failed', 'cancelled', 'expired')
  and r.finished_at < now() - make_interval(days => :days)
  and not coalesce((select true from runs t
                    where t.scope_id = r.scope_id and t.root_run_id = coalesce(r.root_run_id, r.run_id)
                      and t.status in ('accepted', 'scheduled', 'running', 'waiting')
                    limit 1), false)
  and (r.root_run_id is null
       or coalesce((select root.status from runs root
                    where root.scope_id = r.scope_id and root.run_id = r.root_run_id), 'succeeded')
          in ('succeeded', 'failed', 'cancelled', 'expired'))
order by r.finished_at
limit :limit
for update of r skip locked

-- name: retentionAllowEventDeletes
-- The ledger's delete guard (V11) lets this transaction, and only it, delete events.
select set_config('runledger.retention', 'on', true)

-- name: retentionDeleteRunWaits
delete from run_waits where scope_id = :scope and run_id = any(cast(:ids as text[]))

-- name: retentionDeleteSuspensions
delete from suspensions where scope_id = :scope and run_id = any(cast(:ids as text[]))

-- name: retentionDeleteSteps
delete from run_steps where scope_id = :scope and run_id = any(cast(:ids as text[]))

-- name: retentionDeleteMessages
delete from run_messages where scope_id = :scope and run_id = any(cast(:ids as text[]))

-- name: retentionDeleteEvents
delete from run_events where scope_id = :scope and run_id = any(cast(:ids as text[]))

-- name: retentionDeleteDeliveries
-- The webhook deliveries reporting the runs' events, with their attempts; counts deliveries.
with d as (
    delete from webhook_deliveries where scope_id = :scope and run_id = any(cast(:ids as text[]))
    returning scope_id, delivery_id
), a as (
    delete from webhook_attempts w using d where w.scope_id = d.scope_id and w.delivery_id = d.delivery_id
)
select count(*) from d

-- name: retentionDeleteKeys
-- The idempotency keys that still name the runs (a run's command id is its key when it had one).
delete from idempotency_keys k
using unnest(cast(:ids as text[]), cast(:keys as text[])) as c(run_id, idem_key)
where k.scope_id = :scope and k.service = :service and k.idem_key = c.idem_key and k.run_id = c.run_id

-- name: retentionDeleteWaitpoints
-- Waitpoints the runs created and waitpoints on the runs, unless a run that stays still
-- waits on one (its run_waits row names it: it is kept for that run's resume).
delete from waitpoints p
where p.scope_id = :scope
  and (p.run_id = any(cast(:ids as text[])) or p.target_run_id = any(cast(:ids as text[])))
  and not exists (select 1 from run_waits rw where rw.scope_id = p.scope_id and rw.waitpoint_id = p.waitpoint_id)

-- name: retentionDeleteAccessTokens
delete from run_access_tokens where scope_id = :scope and run_id = any(cast(:ids as text[]))

-- name: retentionDeleteRuns
delete from runs where scope_id = :scope and run_id = any(cast(:ids as text[]))

-- name: retentionLockBatches
-- Two transactions deleting the last runs of one batch each see the other's runs still there;
-- the batch row's lock (in batch order: no cycle) makes the second wait for the first's
-- commit, and its delete (a new statement, a new snapshot) then sees that no run is left.
select batch_id from batches
where scope_id = :scope and batch_id = any(cast(:batchIds as text[]))
order by batch_id
for update

-- name: retentionDeleteBatches
-- A batch goes with its last run.
delete from batches b
where b.scope_id = :scope and b.batch_id = any(cast(:batchIds as text[]))
  and not exists (select 1 from runs r where r.scope_id = b.scope_id and r.batch_id = b.batch_id)

-- name: deliveriesPurgeSettled
-- Delivered and dead webhook deliveries older than 7 days, oldest first, with their attempts.
with old as (
    select scope_id, delivery_id from webhook_deliveries
    where status <> 'pending' and created_at < now() - interval '7 days'
    order by created_at
    limit :batch
    for update skip locked
), d as (
    delete from webhook_deliveries w using old
    where w.scope_id = old.scope_id and w.delivery_id = old.delivery_id
    returning w.scope_id, w.delivery_id
), a as (
    delete from webhook_attempts w using d where w.scope_id = d.scope_id and w.delivery_id = d.delivery_id
)
select count(*) from d

-- name: bulkActionsPurgeFinished
-- Bulk actions that finished (completed or cancelled) more than 7 days ago, oldest first,
-- with their snapshot of run ids (on delete cascade); :batch actions a transaction, as one
-- snapshot may hold 100,000 rows.
with old as (
    select scope_id, bulk_action_id from bulk_actions
    where status <> 'running' and finished_at < now() - interval '7 days'
    order by finished_at
    limit :batch
    for update skip locked
), gone as (
    delete from bulk_actions a using old
    where a.scope_id = old.scope_id and a.bulk_action_id = old.bulk_action_id
    returning 1
)
select count(*) from gone

-- name: accessTokensPurgeExpired
-- Expired tokens of runs that no longer issue any (issuing purges a run's own), oldest
-- first, :batch a transaction.
with old as (
    select token_hash from run_access_tokens
    where expires_at <= now()
    order by expires_at
    limit :batch
    for update skip locked
), gone as (
    delete from run_access_tokens t using old where t.token_hash = old.token_hash
    returning 1
)
select count(*) from gone
