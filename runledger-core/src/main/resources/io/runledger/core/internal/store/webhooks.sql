-- name: webhookUpsert
insert into webhooks (scope_id, webhook_id, url, events, secret, enabled, kind, window_seconds)
values (:scope, :webhookId, :url, cast(:events as text[]), :secret, :enabled, :kind, cast(:windowSeconds as integer))
on conflict (scope_id, webhook_id) do update
    set url = excluded.url, events = excluded.events, secret = excluded.secret,
        enabled = excluded.enabled, kind = excluded.kind, window_seconds = excluded.window_seconds,
        updated_at = now()
returning *, (xmax = 0) as inserted

-- name: alertFailuresForget
-- A webhook that stops being an alert forgets the failures noted for it.
delete from alert_failures where scope_id = :scope and webhook_id = :webhookId

-- name: webhookGet
select *, false as inserted from webhooks where scope_id = :scope and webhook_id = :webhookId

-- name: webhookHold
-- A redelivery holds its webhook until it commits, and a delete locks it (webhookDeleteLock)
-- before the statement that deletes it with its pending deliveries: whichever comes second
-- waits, so the delete either drops the delivery the redelivery made pending (its statement
-- starts after that commit) or the redelivery finds no webhook. No pending delivery outlives
-- its webhook. (The weakest lock: a PUT of the webhook does not wait.)
select webhook_id from webhooks where scope_id = :scope and webhook_id = :webhookId for key share

-- name: webhookDeleteLock
select webhook_id from webhooks where scope_id = :scope and webhook_id = :webhookId for update

-- name: webhooksList
select *, false as inserted from webhooks where scope_id = :scope order by webhook_id

-- name: webhookDelete
-- Deleting a webhook also drops its pending deliveries (with their attempts) and the
-- failures noted for its alerts: nobody would receive them.
with gone as (
    delete from webhooks where scope_id = :scope and webhook_id = :webhookId returning scope_id, webhook_id
), dropped as (
    delete from webhook_deliveries d using gone
    where d.scope_id = gone.scope_id and d.webhook_id = gone.webhook_id and d.status = 'pending'
    returning d.scope_id, d.delivery_id
), dropped_attempts as (
    delete from webhook_attempts a using dropped
    where a.scope_id = dropped.scope_id and a.delivery_id = dropped.delivery_id
), forgotten as (
    delete from alert_failures f using gone
    where f.scope_id = gone.scope_id and f.webhook_id = gone.webhook_id
)
select count(*) from gone

-- name: deliveriesList
select d.*, webhook_attempt_log(d.scope_id, d.delivery_id) as attempt_log
from webhook_deliveries d
where d.scope_id = :scope and d.webhook_id = :webhookId
  and (cast(:status as text) is null or d.status = :status)
order by d.created_at desc, d.delivery_id desc
limit :limit

-- name: deliveryGet
select d.*, webhook_attempt_log(d.scope_id, d.delivery_id) as attempt_log
from webhook_deliveries d
where d.scope_id = :scope and d.delivery_id = :deliveryId and d.webhook_id = :webhookId

-- name: deliveryRedeliver
-- A settled delivery (dead or delivered) made pending again, due at once, with a fresh series
-- of attempts: the attempts so far are remembered as attempts_before, so deliveryRetry counts
-- only those made since. The status condition makes this the one writer of two racing
-- redeliveries (the second waits for the first's row lock, then finds it pending and matches
-- nothing), and keeps a delivery that is being tried from being disturbed.
update webhook_deliveries
set status = 'pending', next_attempt_at = now(), delivered_at = null, attempts_before = attempts
where scope_id = :scope and delivery_id = :deliveryId and webhook_id = :webhookId and status <> 'pending'
returning delivery_id

-- name: webhooksStats
-- Each webhook's deliveries created in the last :windowHours hours by status, its attempts in
-- those hours, and its latest failed attempt. Every part is a range of one index per webhook
-- (webhook_deliveries_by_hook carries the status; webhook_attempts_by_hook and
-- webhook_attempts_failed are by webhook and time), so a table of millions of deliveries
-- costs only the window's entries, read from indexes.
select w.webhook_id, d.delivered, d.dead, d.pending, a.attempts, f.failed,
       l.attempted_at as last_failure_at, l.status_code as last_failure_status_code, l.error as last_failure_error
from webhooks w
cross join lateral (
    select count(*) filter (where x.status = 'delivered') as delivered,
           count(*) filter (where x.status = 'dead') as dead,
           count(*) filter (where x.status = 'pending') as pending
    from webhook_deliveries x
    where x.scope_id = w.scope_id and x.webhook_id = w.webhook_id
      and x.created_at >= now() - make_interval(hours => :windowHours)
) d
cross join lateral (
    select count(*) as attempts from webhook_attempts x
    where x.scope_id = w.scope_id and x.webhook_id = w.webhook_id
      and x.attempted_at >= now() - make_interval(hours => :windowHours)
) a
cross join lateral (
    select count(*) as failed from webhook_attempts x
    where x.scope_id = w.scope_id and x.webhook_id = w.webhook_id and x.error is not null
      and x.attempted_at >= now() - make_interval(hours => :windowHours)
) f
left join lateral (
    select x.attempted_at, x.status_code, x.error from webhook_attempts x
    where x.scope_id = w.scope_id and x.webhook_id = w.webhook_id and x.error is not null
    order by x.attempted_at desc
    limit 1
) l on true
where w.scope_id = :scope and (cast(:webhookId as text) is null or w.webhook_id = :webhookId)

-- name: deliveriesClaim
-- (A run's completion webhook, '~<run_id>', takes its url and secret from run_webhooks.)
-- Claims due deliveries for one dispatcher: SKIP LOCKED keeps instances apart, and pushing
-- next_attempt_at past the attempt deadline hides the claim from the others after commit.
-- A dispatcher that dies mid-request only delays the delivery (at-least-once; receivers
-- dedupe by webhook-id = delivery_id). Webhooks whose target is at this dispatcher's
-- in-flight cap (:busy, 'scope/webhook') are skipped, so a slow target's backlog neither
-- fills the claim nor is claimed and given back over and over.
with due as (
    select scope_id, delivery_id from webhook_deliveries
    where status = 'pending' and next_attempt_at <= now()
      and not (scope_id || '/' || webhook_id = any(cast(:busy as text[])))
    order by next_attempt_at
    limit :batch
    for update skip locked
)
update webhook_deliveries d
set next_attempt_at = now() + make_interval(secs => :claimSeconds),
    attempts        = d.attempts + 1
from due
where d.scope_id = due.scope_id and d.delivery_id = due.delivery_id
returning d.scope_id, d.delivery_id, d.webhook_id, d.run_id, d.seq, d.attempts, d.attempts_before,
          d.payload::text as payload,
          coalesce((select w.url from webhooks w where w.scope_id = d.scope_id and w.webhook_id = d.webhook_id),
                   (select rw.url from run_webhooks rw
                    where rw.scope_id = d.scope_id and rw.run_id = d.run_id and d.webhook_id = '~' || d.run_id))
              as url,
          coalesce((select w.secret from webhooks w where w.scope_id = d.scope_id and w.webhook_id = d.webhook_id),
                   (select rw.secret from run_webhooks rw
                    where rw.scope_id = d.scope_id and rw.run_id = d.run_id and d.webhook_id = '~' || d.run_id))
              as secret

-- name: deliveriesRelease
-- Gives back claims that were not sent (their target was at its in-flight cap, or the
-- dispatcher is closing): due again at once, and the claim's attempt is not counted. Only
-- a claim still held is given back (same attempt number, still pending).
update webhook_deliveries d
set next_attempt_at = now(), attempts = d.attempts - 1
from unnest(cast(:scopes as text[]), cast(:ids as text[]), cast(:attempts as int[])) as r(scope_id, delivery_id, attempts)
where d.scope_id = r.scope_id and d.delivery_id = r.delivery_id and d.attempts = r.attempts
  and d.status = 'pending'

-- name: deliveryAttemptInsert
insert into webhook_attempts (scope_id, delivery_id, webhook_id, attempt, status_code, error, duration_ms)
values (:scope, :deliveryId, :webhookId, :attempt, :statusCode, :error, :durationMs)
on conflict do nothing

-- name: deliveryDelivered
update webhook_deliveries
set status = 'delivered', delivered_at = now(), last_status_code = :statusCode, last_error = null
where scope_id = :scope and delivery_id = :deliveryId and status = 'pending'

-- name: deliveryRetry
-- A failed attempt: due again after the backoff, or dead once the attempts since the delivery
-- was created (or last redelivered) run out.
update webhook_deliveries
set status = case when attempts - attempts_before >= :maxAttempts then 'dead' else 'pending' end,
    next_attempt_at = now() + make_interval(secs => :backoffSeconds),
    last_status_code = :statusCode,
    last_error = :error
where scope_id = :scope and delivery_id = :deliveryId and status = 'pending'
returning status

-- name: alertWindowsDue
-- Windows that closed :graceSeconds ago or more. The grace lets a failing transaction that
-- began inside the window (now() is its start) commit before the window is counted.
select f.scope_id, f.webhook_id, f.service, f.window_start, w.window_seconds
from alert_failures f
join webhooks w on w.scope_id = f.scope_id and w.webhook_id = f.webhook_id
where f.window_start + make_interval(secs => w.window_seconds + :graceSeconds) <= now()
group by f.scope_id, f.webhook_id, f.service, f.window_start, w.window_seconds
order by f.window_start
limit :batch

-- name: alertWindowClose
-- One statement: the window's failures are deleted and become its one delivery. The
-- delivery id is derived from the window, so of two instances closing it (or a straggler
-- noted after it closed) only the first ever inserts: at most one alert per window.
with gone as (
    delete from alert_failures
    where scope_id = :scope and webhook_id = :webhookId and service = :service and window_start = :windowStart
    returning run_id, failed_at
), summary as (
    select count(*) as n,
           coalesce((select jsonb_agg(s.run_id order by s.failed_at, s.run_id)
                     from (select run_id, failed_at from gone order by failed_at, run_id limit 10) s), '[]') as samples
    from gone
), delivered as (
    insert into webhook_deliveries (scope_id, delivery_id, webhook_id, run_id, seq, event_type, payload)
    select :scope,
           'alr_' || md5(:scope || '/' || :webhookId || '/' || :service || '/' || extract(epoch from cast(:windowStart as timestamptz))),
           :webhookId, null, null, 'alert.runs_failed',
           jsonb_build_object(
               'type', 'alert.runs_failed',
               'timestamp', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'data', jsonb_build_object(
                   'scope', cast(:scope as text),
                   'webhookId', cast(:webhookId as text),
                   'service', cast(:service as text),
                   'count', s.n,
                   'sampleRunIds', s.samples,
                   'windowStart', to_char(cast(:windowStart as timestamptz) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                   'windowSeconds', cast(:windowSeconds as integer)))
    from summary s
    where s.n > 0
    on conflict do nothing
    returning 1
)
select count(*) from delivered

-- name: runWebhookRunLock
-- Registering a run's completion webhook locks the run first, as every settlement does before
-- it appends the terminal event: the run settles either after the registration commits (its
-- outbox trigger then sees the webhook) or before it (runWebhookInsert finds the event).
select run_id from runs where scope_id = :scope and run_id = :runId for update

-- name: runWebhookInsert
insert into run_webhooks (scope_id, run_id, url, secret)
values (:scope, :runId, :url, :secret)
on conflict do nothing
returning run_id

-- name: runWebhookCatchUp
-- The terminal event of a run that settled before its webhook was registered.
insert into webhook_deliveries (scope_id, delivery_id, webhook_id, run_id, seq, event_type)
select e.scope_id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), '~' || e.run_id, e.run_id, e.seq, e.type
from run_events e
join runs r on r.scope_id = e.scope_id and r.run_id = e.run_id and e.seq = r.last_seq
where e.scope_id = :scope and e.run_id = :runId
  and e.type in ('run.succeeded', 'run.failed', 'run.cancelled', 'run.expired')
on conflict do nothing
