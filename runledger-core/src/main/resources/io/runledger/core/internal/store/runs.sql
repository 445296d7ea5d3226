-- Plans kept, not made per call. A statement that takes its items as arrays reads them
-- through "(select ... from unnest(...) limit :n)", n being the number of items. The limit
-- removes nothing; it is there for the planner. The driver prepares a statement on the
-- server once it has run a few times on a connection (three, see Database), and after five
-- plans made for the actual values PostgreSQL keeps one generic plan only if that plan does
-- not look dearer than those. A generic plan reckons an array parameter at 10 elements,
-- while most calls of the worker's statements carry one item, so each call was planned
-- anew: about 1 ms of the database's CPU per claim or completion, more than running the
-- statement. An unknown LIMIT is reckoned at a tenth of its input, one row here, so the
-- generic plan costs what one item costs and is kept; its shape (a primary-key probe per
-- item) is the right one for any number of items.
-- A claim's maximum is written into the text for the same reason (see runsLease).

-- name: runInsert
-- The run row of a trigger and its first events (run.accepted, and run.scheduled for a run
-- due later), in one statement: the events take seqs 1..n in their order and last_seq is n,
-- so the row is written once. Status and run_at were decided by the trigger on this
-- transaction's now(); expires_at counts the TTL from run_at (or now).
with run as (
    insert into runs (scope_id, run_id, service, status, attempt, max_attempts, lease_ttl_seconds,
                      input, command_id, correlation_id, concurrency_key, holds_key, parent_run_id,
                      tags, metadata, run_at, expires_at, created_at, updated_at, last_seq, batch_id,
                      retry, root_run_id, replay_of, priority, last_event_at)
    values (:scope, :runId, :service, :status, 1, :maxAttempts, :leaseTtlSeconds,
            cast(:input as jsonb), :commandId, :correlationId, :concurrencyKey, :holdsKey, :parentRunId,
            cast(:tags as text[]), cast(:metadata as jsonb), cast(:runAt as timestamptz),
            coalesce(cast(:runAt as timestamptz), now()) + make_interval(secs => cast(:ttlSeconds as bigint)),
            now(), now(), cardinality(cast(:types as text[])), :batchId,
            cast(:retry as jsonb), :rootRunId, :replayOf, :priority, now())
    returning *
), events as (
    insert into run_events (scope_id, run_id, seq, type, data, created_at)
    select r.scope_id, r.run_id, d.seq, d.type, cast(d.data as jsonb), now()
    from run r, unnest(cast(:types as text[]), cast(:datas as text[])) with ordinality as d(type, data, seq)
)
select * from run

-- name: runsInsert
-- Many immediate runs (no run_at, no concurrency key) with their run.accepted events, in one
-- statement: a group of concurrent triggers or the plain items of a batch. Each run's event
-- is seq 1 and its last_seq is 1, so every row is written once; the arrays are parallel, one
-- element per run (tags as a JSON array, since unnest flattens arrays of arrays).
with item as (
    select *
    from unnest(cast(:scopes as text[]), cast(:runIds as text[]), cast(:services as text[]),
                cast(:maxAttempts as int[]), cast(:leaseTtls as int[]), cast(:inputs as text[]),
                cast(:commandIds as text[]), cast(:correlationIds as text[]), cast(:tags as text[]),
                cast(:metadatas as text[]), cast(:ttls as bigint[]), cast(:batchIds as text[]),
                cast(:retries as text[]), cast(:accepted as text[]), cast(:priorities as int[]))
        as t(scope_id, run_id, service, max_attempts, lease_ttl_seconds, input, command_id,
             correlation_id, tags, metadata, ttl_seconds, batch_id, retry, accepted, priority)
), run as (
    insert into runs (scope_id, run_id, service, status, attempt, max_attempts, lease_ttl_seconds,
                      input, command_id, correlation_id, tags, metadata, expires_at,
                      created_at, updated_at, last_seq, batch_id, retry, priority, last_event_at)
    select scope_id, run_id, service, 'accepted', 1, max_attempts, lease_ttl_seconds,
           cast(input as jsonb), command_id, correlation_id,
           array(select jsonb_array_elements_text(cast(tags as jsonb))), cast(metadata as jsonb),
           now() + make_interval(secs => ttl_seconds), now(), now(), 1, batch_id, cast(retry as jsonb),
           priority, now()
    from item
    returning scope_id, run_id, service, status, command_id, correlation_id, created_at
), events as (
    insert into run_events (scope_id, run_id, seq, type, data, created_at)
    select scope_id, run_id, 1, 'run.accepted', cast(accepted as jsonb), now()
    from item
)
-- The NOTIFYs ride on the same statement (a wake-up for the scopes' workers), evaluated once:
-- one round trip fewer before the commit.
select run.*, (select count(pg_notify('runledger', p)) from unnest(cast(:notify as text[])) as p) as notified
from run

-- name: runsInsertHanding
-- As runsInsert, when some of the runs go to waiting lease polls (a statement of its own,
-- so that batches and groups with no poll waiting pay nothing for it). Each row is written
-- once: last_seq is the number of its events. A run with a worker was handed by its trigger
-- to that worker's waiting lease poll: it is written leased (run.started as seq 2, a lease
-- token and expiry as a lease claim gives them), unless its service is paused, checked
-- here on the services row as the lease claim does, in which case it is queued like the
-- others.
with item as (
    select t.*, (t.worker_id is not null and sv.paused is false) as handed
    from unnest(cast(:scopes as text[]), cast(:runIds as text[]), cast(:services as text[]),
                cast(:maxAttempts as int[]), cast(:leaseTtls as int[]), cast(:inputs as text[]),
                cast(:commandIds as text[]), cast(:correlationIds as text[]), cast(:tags as text[]),
                cast(:metadatas as text[]), cast(:ttls as bigint[]), cast(:batchIds as text[]),
                cast(:retries as text[]), cast(:accepted as text[]), cast(:priorities as int[]),
                cast(:workers as text[]), cast(:leaseTokens as text[]))
        as t(scope_id, run_id, service, max_attempts, lease_ttl_seconds, input, command_id,
             correlation_id, tags, metadata, ttl_seconds, batch_id, retry, accepted, priority,
             worker_id, lease_token)
    left join services sv on t.worker_id is not null and sv.scope_id = t.scope_id and sv.service = t.service
), run as (
    insert into runs (scope_id, run_id, service, status, attempt, max_attempts, lease_ttl_seconds,
                      input, command_id, correlation_id, tags, metadata, expires_at,
                      created_at, updated_at, last_seq, batch_id, retry, priority, last_event_at,
                      worker_id, lease_token, lease_expires_at, started_at)
    select scope_id, run_id, service, case when handed then 'running' else 'accepted' end, 1, max_attempts,
           lease_ttl_seconds, cast(input as jsonb), command_id, correlation_id,
           array(select jsonb_array_elements_text(cast(tags as jsonb))), cast(metadata as jsonb),
           now() + make_interval(secs => ttl_seconds), now(), now(), case when handed then 2 else 1 end,
           batch_id, cast(retry as jsonb), priority, now(),
           case when handed then worker_id end, case when handed then lease_token end,
           case when handed then now() + make_interval(secs => lease_ttl_seconds) end,
           case when handed then now() end
    from item
    returning scope_id, run_id, service, status, command_id, correlation_id, created_at, lease_expires_at
), events as (
    insert into run_events (scope_id, run_id, seq, type, data, created_at)
    select scope_id, run_id, 1, 'run.accepted', cast(accepted as jsonb), now()
    from item
    union all
    select scope_id, run_id, 2, 'run.started', jsonb_build_object('attempt', 1, 'workerId', worker_id), now()
    from item where handed
)
-- The NOTIFYs ride on the same statement (a wake-up for the scopes' workers), evaluated once:
-- one round trip fewer before the commit. Not when every run went to a waiting poll: there
-- is nothing queued to wake anyone for.
select run.*, (select count(pg_notify('runledger', p)) from unnest(cast(:notify as text[])) as p
               where exists (select 1 from run where status = 'accepted')) as notified
from run

-- name: runGet
select * from runs where scope_id = :scope and run_id = :runId

-- name: runRoot
-- What a child's trigger needs of its parent: the root of its tree, not the whole row.
select coalesce(root_run_id, run_id) from runs where scope_id = :scope and run_id = :runId

-- name: runLock
select * from runs where scope_id = :scope and run_id = :runId for update

-- name: runExists
select exists (select 1 from runs where scope_id = :scope and run_id = :runId)

-- name: runsList
-- Newest first by (created_at, run_id); the cursor is the last row of the previous page.
select * from runs
where scope_id = :scope
  and (cast(:service as text) is null or service = :service)
  and (cast(:status as text) is null or status = :status)
  and (cast(:concurrencyKey as text) is null or concurrency_key = :concurrencyKey)
  and (cast(:tag as text) is null or (tags <> '{}' and tags @> array[cast(:tag as text)]))
  and (cast(:parentRunId as text) is null or parent_run_id = :parentRunId)
  and (cast(:createdAfter as timestamptz) is null or created_at > cast(:createdAfter as timestamptz))
  and (cast(:createdBefore as timestamptz) is null or created_at < cast(:createdBefore as timestamptz))
  and (cast(:cursorCreatedAt as timestamptz) is null
       or (created_at, run_id) < (cast(:cursorCreatedAt as timestamptz), cast(:cursorRunId as text)))
order by created_at desc, run_id desc
limit :limit

-- name: keyHolder
select run_id from runs where scope_id = :scope and concurrency_key = :key and holds_key

-- name: keyLock
-- Serialises triggers and settlements of one concurrency key, so a waiter registered
-- while the holder settles is always seen by the hand-over.
select pg_advisory_xact_lock(hashtextextended('runledger-key/' || :scope || '/' || :key, 0))

-- name: keyHandOver
-- Gives a free key to its oldest waiter, in trigger order. Returns the new holder.
-- A waiter whose row another transaction holds is passed over (SKIP LOCKED): that is almost
-- always the waiter being settled itself (a cancel or an expiry, which then takes this key's
-- lock), and waiting for its row while holding the key's lock deadlocks with it (three
-- instances under load found this). Should that transaction roll back, the waiter gets the
-- key after the next holder, or from the maintenance loop's repair of keys left free.
update runs r set holds_key = true, updated_at = now()
where (r.scope_id, r.run_id) = (
    select w.scope_id, w.run_id from runs w
    where w.scope_id = :scope and w.concurrency_key = :key and not w.holds_key
      and w.status in ('accepted', 'scheduled', 'running', 'waiting')
    order by w.created_at, w.run_id
    limit 1
    for update skip locked)
  and not exists (select 1 from runs h where h.scope_id = :scope and h.concurrency_key = :key and h.holds_key)
returning r.run_id, r.service, r.status

-- name: keysStranded
-- Keys that have waiters but no holder: after a hand-over passed over a waiter whose
-- settlement then rolled back (see keyHandOver), or a manual SQL change; the maintenance
-- loop repairs them.
select distinct w.scope_id, w.concurrency_key from runs w
where w.concurrency_key is not null and not w.holds_key
  and w.status in ('accepted', 'scheduled', 'running', 'waiting')
  and not exists (select 1 from runs h
                  where h.scope_id = w.scope_id and h.concurrency_key = w.concurrency_key and h.holds_key)
limit :batch

-- name: runsLease
-- Claims up to :max leasable runs in one statement: the accepted runs of highest priority,
-- oldest first within a priority (runs_leasable is in that order), of the
-- services that own their concurrency key (or have none) and have not outlived their
-- TTL. SKIP LOCKED lets concurrent workers claim disjoint runs. Each claimed run gets a
-- fresh fencing token and its run.started event.
-- One probe of the leasable index per service, merged by age: with "service = any(...)" the
-- planner walked the scope's creation-order index instead and stepped over every run
-- already leased or settled, so each claim of a long drain got slower (33 ms against
-- 0.7 ms with 25,000 runs behind the head of the queue).
-- Paused services are skipped here, on the services row itself (one primary-key probe per
-- service), so a pause holds at once on every instance, whatever a cache remembers.
-- The claim's maximum is written into the text as a number (1..1000, checked before): as
-- a parameter, a generic plan would reckon the index probe at a tenth of the queue, and the
-- statement would be planned again on every claim (see the note at the top). Each maximum
-- a worker asks for is a statement of its own, prepared once per connection.
-- One statement may claim for several polls at once (a group claim): :slotWorkers names the
-- worker of each place in the claim's order, so the first runs go to the first poll's
-- worker, the next ones to the next poll's, and the caller hands them out in that order.
with picked as (
    select c.scope_id, c.run_id, row_number() over (order by c.priority desc, c.created_at, c.run_id) as slot
    from (select * from unnest(cast(:services as text[])) limit :serviceCount) as s(service)
    join services sv on sv.scope_id = :scope and sv.service = s.service and not sv.paused
    cross join lateral (
        select scope_id, run_id, priority, created_at from runs
        where scope_id = :scope and service = s.service and status = 'accepted'
          and (concurrency_key is null or holds_key)
          and (expires_at is null or expires_at > now() or started_at is not null)
        order by priority desc, created_at, run_id
        limit <max>
        for update skip locked
    ) c
    order by c.priority desc, c.created_at, c.run_id
    limit <max>
), leased as (
    update runs r
    set status           = 'running',
        worker_id        = (cast(:slotWorkers as text[]))[p.slot],
        lease_token      = gen_random_uuid()::text,
        lease_expires_at = now() + make_interval(secs => r.lease_ttl_seconds),
        started_at       = coalesce(r.started_at, now()),
        last_seq         = r.last_seq + 1,
        last_event_at    = now(),
        updated_at       = now()
    from picked p
    where r.scope_id = p.scope_id and r.run_id = p.run_id
    returning r.*, p.slot
), started as (
    insert into run_events (scope_id, run_id, seq, type, data, created_at)
    select scope_id, run_id, last_seq, 'run.started',
           jsonb_build_object('attempt', attempt, 'workerId', worker_id), now()
    from leased
), notified as (
    -- The wake-ups of the runs' streams ride on this statement, 100 runs per notification
    -- (well under PostgreSQL's 8000-byte payload), joined as the listener splits them.
    select pg_notify('runledger', string_agg('e|' || scope_id || '|' || run_id, E'\n')) as sent
    from (select scope_id, run_id, (row_number() over () - 1) / 100 as chunk from leased) l
    group by chunk
)
select leased.*, (select count(*) from notified) as notified from leased order by slot

-- name: runningCount
select count(*) from runs where scope_id = :scope and service = :service and status = 'running'

-- name: serviceLock
-- Serialises leasing of one service that has a concurrency limit.
select pg_advisory_xact_lock(hashtextextended('runledger-service/' || :scope || '/' || :service, 0))

-- name: runsLock
-- Locks the named runs of a scope one by one, by primary key, in the order given, which the
-- caller sorts by run_id (as for leasesExtend and runsSucceed), so batched calls over
-- overlapping runs queue behind each other instead of deadlocking. Unknown runs are absent.
select f.* from (select * from unnest(cast(:runIds as text[])) limit :n) as i(run_id)
cross join lateral (
    select * from runs r where r.scope_id = :scope and r.run_id = i.run_id
    for update) f

-- name: leasesExtend
-- Heartbeats: extends each lease whose run is running under the given token, any number
-- in one statement. Each item is looked up by primary key (LATERAL: never a scan of all
-- running runs, whatever the planner's statistics say) and locked in the order given,
-- which the caller sorts by run_id, so batches over overlapping runs queue instead of
-- deadlocking. A row settled meanwhile fails the re-check under the lock and is skipped.
with fenced as (
    select f.scope_id, f.run_id
    from (select * from unnest(cast(:runIds as text[]), cast(:tokens as text[])) limit :n) as i(run_id, token)
    cross join lateral (
        select r.scope_id, r.run_id from runs r
        where r.scope_id = :scope and r.run_id = i.run_id and coalesce(r.status, '') = 'running' and r.lease_token = i.token
        for update) f
)
update runs r
set lease_expires_at = now() + make_interval(secs => r.lease_ttl_seconds),
    updated_at       = now()
from fenced f
where r.scope_id = f.scope_id and r.run_id = f.run_id
returning r.*

-- name: runsSucceed
-- The terminal write of completions, any number in one statement: each UPDATE is fenced by
-- status and lease token, so of any number of concurrent finalizers exactly one matches a
-- row; a run that matched nothing is diagnosed by the caller. Like the claims, it takes the
-- seq of its one event (run.succeeded, data as the contract says: attempt and output) with
-- the +1 on last_seq in the same row write, so seqs stay gapless. Each item is looked up by
-- primary key and locked in the order given, as in leasesExtend. The concurrency key is
-- given up here; the caller hands it over.
-- "coalesce(status, '') = 'running'" (here and in every lookup of a run by id and lease) is
-- "status = 'running'" that no index can use: with the plain comparison the planner could
-- take runs_health_active (scope_id, status, ...) for as good as the primary key, then walk
-- every running run of the scope and the dead entries that leases and settlements leave in
-- it, for each item: 2.8 ms per run in a 24-worker drain, against 0.01 ms by primary key.
-- :unkeyedOnly leaves runs with a concurrency key alone: run on its own (autocommit), the
-- statement settles only runs that need nothing after it; a key must be handed over in the
-- transaction that gives it up, so keyed runs go through a transaction. Runs of a service
-- with a concurrency limit free a slot: the "freed" NOTIFY wakes the polls waiting for one.
with fenced as (
    select f.scope_id, f.run_id, i.output
    from (select * from unnest(cast(:runIds as text[]), cast(:tokens as text[]), cast(:outputs as text[])) limit :n)
        as i(run_id, token, output)
    cross join lateral (
        select r.scope_id, r.run_id from runs r
        where r.scope_id = :scope and r.run_id = i.run_id and coalesce(r.status, '') = 'running' and r.lease_token = i.token
          and (not cast(:unkeyedOnly as boolean) or r.concurrency_key is null)
        for update) f
), done as (
    update runs r
    set status           = 'succeeded',
        output           = cast(f.output as jsonb),
        error            = null,
        finished_at      = now(),
        lease_expires_at = null,
        holds_key        = false,
        last_seq         = r.last_seq + 1,
        last_event_at    = now(),
        updated_at       = now()
    from fenced f
    where r.scope_id = f.scope_id and r.run_id = f.run_id
    returning r.*
), events as (
    insert into run_events (scope_id, run_id, seq, type, data, created_at)
    select scope_id, run_id, last_seq, :type, jsonb_build_object('attempt', attempt, 'output', output), now()
    from done
), notified as (
    -- The wake-ups of the runs' streams ride on this statement, as in runsLease.
    select pg_notify('runledger', string_agg('e|' || scope_id || '|' || run_id, E'\n')) as sent
    from (select scope_id, run_id, (row_number() over () - 1) / 100 as chunk from done) l
    group by chunk
), freed as (
    select pg_notify('runledger', 'w|' || :scope) as sent
    where cast(:unkeyedOnly as boolean) and exists (
        select 1 from done d join services s on s.scope_id = d.scope_id and s.service = d.service
        where s.concurrency_limit is not null)
)
select done.*, (select count(*) from notified) as notified, (select count(*) from freed) as freed from done

-- name: runsAttemptEnd
-- Writes the outcomes of attempts that ended without success (a worker's failure, an
-- expired lease) for runs this transaction holds locked, any number in one UPDATE. What
-- each outcome is (retry, fail or cancel, the error, whether the key is released) is
-- decided in Java by AttemptOutcome, the one place of that rule; its events are appended
-- by eventsAppend. The lease token stays, so a replayed fail can be recognised. A retry after a
-- backoff delay is 'scheduled' with its run_at; the queue maintainer promotes it when due.
update runs r
set status           = o.status,
    attempt          = o.attempt,
    error            = cast(o.error as jsonb),
    finished_at      = case when o.finished then now() end,
    holds_key        = r.holds_key and not o.release_key,
    lease_expires_at = null,
    run_at           = coalesce(o.run_at, r.run_at),
    updated_at       = now()
from unnest(cast(:scopes as text[]), cast(:runIds as text[]), cast(:statuses as text[]),
            cast(:attempts as integer[]), cast(:errors as text[]), cast(:finished as boolean[]),
            cast(:releaseKeys as boolean[]), cast(:runAts as timestamptz[]))
         as o(scope_id, run_id, status, attempt, error, finished, release_key, run_at)
where r.scope_id = o.scope_id and r.run_id = o.run_id and coalesce(r.status, '') = 'running'
returning r.*

-- name: runCancelNow
-- Cancels a run that no worker holds (queued, scheduled or waiting).
update runs
set status            = 'cancelled',
    stop_requested_at = coalesce(stop_requested_at, now()),
    stop_reason       = coalesce(stop_reason, :reason),
    error             = jsonb_build_object('code', 'cancelled', 'message', coalesce(:reason, 'cancelled')),
    finished_at       = now(),
    holds_key         = false,
    lease_expires_at  = null,
    updated_at        = now()
where scope_id = :scope and run_id = :runId and status in ('accepted', 'scheduled', 'waiting')
returning *

-- name: runStopRequest
-- Asks the worker of a running run to stop; it learns it on its next heartbeat.
update runs
set stop_requested_at = now(),
    stop_reason       = :reason,
    updated_at        = now()
where scope_id = :scope and run_id = :runId and coalesce(status, '') = 'running' and stop_requested_at is null
returning *

-- name: runsLeaseExpiredLock
-- The sweeper's claim: running runs whose lease expired, locked for this transaction.
-- SKIP LOCKED lets sweepers on several instances take disjoint runs, and PostgreSQL
-- re-checks the WHERE clause under the row lock, so a run that was settled, recovered or
-- heart-beaten meanwhile is not taken: two sweepers never recover the same run twice.
-- AttemptOutcome decides each run's outcome; runsAttemptEnd and eventsAppend write them.
select * from runs
where status = 'running' and lease_expires_at < now()
order by lease_expires_at
limit :batch
for update skip locked

-- name: runsPromoteDue
-- Scheduled runs whose time has come join the queue (event run.resumed).
with due as (
    select scope_id, run_id from runs
    where status = 'scheduled' and run_at <= now()
    order by run_at
    limit :batch
    for update skip locked
), promoted as (
    update runs r
    set status = 'accepted', last_seq = r.last_seq + 1, last_event_at = now(), updated_at = now()
    from due d
    where r.scope_id = d.scope_id and r.run_id = d.run_id
    returning r.*
), events as (
    insert into run_events (scope_id, run_id, seq, type, data, created_at)
    select scope_id, run_id, last_seq, 'run.resumed', jsonb_build_object('reason', 'run_at_reached'), now()
    from promoted
)
select * from promoted

-- name: runsExpire
-- Queued runs that were never started and outlived their TTL settle expired.
with stale as (
    select scope_id, run_id from runs
    where status = 'accepted' and expires_at <= now() and started_at is null
    order by expires_at
    limit :batch
    for update skip locked
), expired as (
    update runs r
    set status      = 'expired',
        error       = jsonb_build_object('code', 'expired',
                                         'message', 'the run was not started before its TTL ran out'),
        finished_at = now(),
        holds_key   = false,
        last_seq    = r.last_seq + 1,
        last_event_at = now(),
        updated_at  = now()
    from stale s
    where r.scope_id = s.scope_id and r.run_id = s.run_id
    returning r.*
), events as (
    insert into run_events (scope_id, run_id, seq, type, data, created_at)
    select scope_id, run_id, last_seq, 'run.expired', jsonb_build_object('error', error), now()
    from expired
)
select * from expired

-- name: repairOn
-- Lets the projection rebuild write what the ledger says even if the stored status is
-- corrupted (the transition trigger honours it for this transaction only).
select set_config('runledger.repair', 'on', true)

-- name: runRepair
update runs
set service = :service, status = :status, attempt = :attempt, max_attempts = :maxAttempts,
    input = cast(:input as jsonb), output = cast(:output as jsonb), error = cast(:error as jsonb),
    command_id = :commandId, correlation_id = :correlationId, concurrency_key = :concurrencyKey,
    parent_run_id = :parentRunId, tags = cast(:tags as text[]), metadata = cast(:metadata as jsonb),
    worker_id = :workerId, created_at = :createdAt, run_at = :runAt, started_at = :startedAt,
    finished_at = :finishedAt, stop_requested_at = :stopRequestedAt, last_seq = :lastSeq,
    last_event_at = cast(:lastEventAt as timestamptz),
    lease_expires_at = case when :status = 'running' then lease_expires_at end,
    holds_key = case when :terminal then false else holds_key end,
    updated_at = now()
where scope_id = :scope and run_id = :runId
returning *

-- name: queueStats
-- Queue depth and the age of the oldest queued run, per service: metrics gauges. Every
-- service has a row, an empty queue at 0, so a queue that drains reads 0 rather than
-- vanishing from the metrics.
select s.scope_id, s.service, count(r.run_id) as depth,
       coalesce(extract(epoch from now() - min(r.created_at)), 0) as oldest_age_seconds
from services s
left join runs r on r.scope_id = s.scope_id and r.service = s.service and r.status = 'accepted'
group by s.scope_id, s.service

-- name: runSuspend
-- The lease holder's run waits: its lease ends (the token stays, so a repeated suspend is
-- recognised, but nothing fenced by status 'running' matches it any more). The caller
-- appends run.waiting.
update runs
set status = 'waiting', lease_expires_at = null, updated_at = now()
where scope_id = :scope and run_id = :runId and coalesce(status, '') = 'running' and lease_token = :token
returning *

-- name: runResume
-- A waiting run whose waitpoints are done goes back to the queue, same attempt; its resume
-- counts as a memo (later leases carry the results). The caller appends run.resumed.
update runs
set status = 'accepted', memos = memos + 1, updated_at = now()
where scope_id = :scope and run_id = :runId and status = 'waiting'
returning *

-- name: runWaitFail
-- A waiting run whose suspend timed out with onTimeout 'fail'. The caller appends run.failed.
update runs
set status = 'failed', error = cast(:error as jsonb), finished_at = now(), holds_key = false,
    updated_at = now()
where scope_id = :scope and run_id = :runId and status = 'waiting'
returning *

-- name: runsDescendants
-- The non-terminal descendants of a run (children, recursively), parents before children,
-- at most :batch of them.
with recursive tree as (
    select c.scope_id, c.run_id, c.status, 1 as depth from runs c
    where c.scope_id = :scope and c.parent_run_id = :runId
    union all
    select c.scope_id, c.run_id, c.status, t.depth + 1 from runs c
    join tree t on c.scope_id = t.scope_id and c.parent_run_id = t.run_id
    where t.depth < 100
)
select run_id from tree
where status in ('accepted', 'scheduled', 'running', 'waiting')
order by depth, run_id
limit :batch

-- name: runMemo
update runs set memos = memos + 1, updated_at = now() where scope_id = :scope and run_id = :runId

-- name: childByCommand
select * from runs where scope_id = :scope and parent_run_id = :parentRunId and command_id = :commandId
