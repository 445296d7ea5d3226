-- name: messageInsert
insert into run_messages (scope_id, message_id, run_id, seq, type, severity, data)
values (:scope, :messageId, :runId, :seq, :type, :severity, cast(:data as jsonb))

-- name: messagesDeliver
-- Hands the pending messages of a run to its worker's heartbeat, oldest first.
update run_messages m
set status = 'delivered', delivered_at = now()
where (m.scope_id, m.message_id) in (
    select scope_id, message_id from run_messages
    where scope_id = :scope and run_id = :runId and status = 'pending'
    order by created_at, message_id
    for update skip locked)
returning *

-- name: messageAck
update run_messages
set status = 'acked', acked_at = now(), delivered_at = coalesce(delivered_at, now())
where scope_id = :scope and run_id = :runId and message_id = :messageId and status <> 'acked'
returning *

-- name: messageGet
select * from run_messages where scope_id = :scope and run_id = :runId and message_id = :messageId

-- name: messagesList
select * from run_messages where scope_id = :scope and run_id = :runId order by created_at, message_id
