-- name: bulkActionInsert
-- A new action, counted by bulkActionSetMatched once its snapshot is taken.
insert into bulk_actions (scope_id, bulk_action_id, action, filter, reason, idempotency_key, status, matched)
values (:scope, :bulkActionId, :action, cast(:filter as jsonb), :reason, :idempotencyKey, 'running', 0)
returning *

-- name: bulkActionSetMatched
-- One that matched nothing is completed at once.
update bulk_actions
set matched = :matched,
    status = case when :matched = 0 then 'completed' else 'running' end,
    finished_at = case when :matched = 0 then now() end
where scope_id = :scope and bulk_action_id = :bulkActionId
returning *

-- name: bulkActionsLock
-- Serialises the creates of one scope's bulk actions (a transaction-scoped advisory lock; a
-- lock on the scope's row would also hold up the triggers that reference it). Taken in a
-- statement of its own, so the count that follows reads a snapshot taken after the wait.
select pg_advisory_xact_lock(hashtextextended('runledger-bulk/' || :scope, 0))

-- name: bulkActionsRunning
-- The scope's running actions; null when the scope does not exist.
select (select count(*) from bulk_actions a where a.scope_id = s.scope_id and a.status = 'running') as running
from scopes s where s.scope_id = :scope

-- name: bulkActionByKey
select * from bulk_actions where scope_id = :scope and idempotency_key = :key

-- name: bulkActionGet
select * from bulk_actions where scope_id = :scope and bulk_action_id = :bulkActionId

-- name: bulkActionsList
-- Newest first by (created_at, bulk_action_id); the cursor is the last row of the previous page.
select * from bulk_actions
where scope_id = :scope
  and (cast(:cursorCreatedAt as timestamptz) is null
       or (created_at, bulk_action_id) < (cast(:cursorCreatedAt as timestamptz), cast(:cursorId as text)))
order by created_at desc, bulk_action_id desc
limit :limit

-- name: bulkActionCancel
-- Waits for a page in progress (it holds the row) and then stops the action before its next.
update bulk_actions set status = 'cancelled', finished_at = now(), updated_at = now()
where scope_id = :scope and bulk_action_id = :bulkActionId and status = 'running'
returning *

-- name: bulkActionClaim
-- The oldest running action no other instance is processing a page of now.
select * from bulk_actions
where status = 'running'
order by created_at, bulk_action_id
limit 1
for update skip locked

-- name: bulkActionPage
-- The claimed action's next runs, in order.
select position, run_id from bulk_action_runs
where scope_id = :scope and bulk_action_id = :bulkActionId and position > :after
order by position
limit :limit

-- name: bulkActionRunsRecord
update bulk_action_runs r set outcome = o.outcome, detail = o.detail
from unnest(cast(:positions as int[]), cast(:outcomes as text[]), cast(:details as text[])) as o(position, outcome, detail)
where r.scope_id = :scope and r.bulk_action_id = :bulkActionId and r.position = o.position

-- name: bulkActionAdvance
-- Counts a processed page and moves past it; the last page completes the action.
update bulk_actions
set done_through = :doneThrough,
    processed = processed + :processed,
    skipped = skipped + :skipped,
    failed = failed + :failed,
    status = case when :doneThrough >= matched then 'completed' else status end,
    finished_at = case when :doneThrough >= matched then now() else finished_at end,
    updated_at = now()
where scope_id = :scope and bulk_action_id = :bulkActionId
returning *
