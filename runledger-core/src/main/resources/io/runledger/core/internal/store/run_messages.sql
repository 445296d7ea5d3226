-- name: messageInsert
insert into run_messages (scope_id, message_id, run_id, seq, type, severity, data)
values (:scope, :messageId, :runId, :seq, :type, :severity, cast(:data as jsonb))

-- name: messagesDeliver
-- Hands the pending messages of runs to their workers' heartbeats, any number of runs in
-- one statement; the caller orders each run's messages oldest first.
update run_messages m
set status = 'delivered', delivered_at = now()
where (m.scope_id, m.message_id) in (
    select scope_id, message_id from run_messages
    where scope_id = :scope and run_id = any(cast(:runIds as text[])) and status = 'pending'
    for update skip locked)
returning *

-- name: messageAck
-- Fenced like every worker write, in the statement itself: only the lease holder of a
-- running run may ack. The token alone is not enough, since a failed attempt's token stays
-- on the row after a retry re-queues the run.
update run_messages m
set status = 'acked', acked_at = now(), delivered_at = coalesce(m.delivered_at, now())
from runs r
where m.scope_id = :scope and m.run_id = :runId and m.message_id = :messageId and m.status <> 'acked'
  and r.scope_id = m.scope_id and r.run_id = m.run_id
  and coalesce(r.status, '') = 'running' and r.lease_token = :leaseToken
returning m.*

-- name: messageGet
select * from run_messages where scope_id = :scope and run_id = :runId and message_id = :messageId

-- name: messagesList
select * from run_messages where scope_id = :scope and run_id = :runId order by created_at, message_id
