-- name: tokenInsert
-- Issues a token in one statement, or nothing: the run must exist in the scope, the issuing
-- scope key (if any) must still exist, and the run must have fewer than :maxLive unexpired
-- tokens. The run's expired tokens are deleted on the way, so a run never holds more rows than
-- the bound, however fast tokens are issued. Concurrent issues for one run may each count
-- the other's token as absent and pass the bound by a few: the bound is against filling the
-- table, not an exact quota. When nothing is returned, tokenRefusal says why. The run and
-- the key are read FOR KEY SHARE, the lock the foreign keys take: a key revoked (or a run
-- deleted) at the same moment either waits for this insert or is seen gone here, so the
-- insert is refused as such, never failed by its foreign key.
with purged as (
    delete from run_access_tokens
    where scope_id = :scope and run_id = :runId and expires_at <= now()
), live as (
    select count(*) as n from run_access_tokens
    where scope_id = :scope and run_id = :runId and expires_at > now()
)
insert into run_access_tokens (token_hash, scope_id, run_id, key_id, admin_key_tag, expires_at)
select :tokenHash, :scope, :runId, cast(:keyId as text), cast(:adminKeyTag as text),
       now() + make_interval(secs => :ttlSeconds)
from live
where live.n < :maxLive
  and exists (select 1 from runs where scope_id = :scope and run_id = :runId for key share)
  and (cast(:keyId as text) is null
       or exists (select 1 from scope_keys where scope_id = :scope and key_id = cast(:keyId as text)
                  for key share))
returning expires_at

-- name: tokenRefusal
-- Why tokenInsert inserted nothing: the run is missing, the key was revoked meanwhile, or
-- the run has its bound of live tokens (and how many seconds until the first of them expires).
select exists (select 1 from runs where scope_id = :scope and run_id = :runId) as run_exists,
       (cast(:keyId as text) is null
        or exists (select 1 from scope_keys where scope_id = :scope and key_id = cast(:keyId as text))) as key_exists,
       count(t.token_hash) as live,
       coalesce(ceil(extract(epoch from min(t.expires_at) - now())), 0) as retry_after_seconds
from (select 1) as one
left join run_access_tokens t
  on t.scope_id = :scope and t.run_id = :runId and t.expires_at > now()

-- name: tokenLookup
-- What a presented token grants, read on every request (never cached): deleting a row
-- (its key revoked, its run deleted) refuses the token at once on every instance. How long
-- it stays valid is computed by the database's clock, the one that set expires_at.
select scope_id, run_id, key_id, admin_key_tag,
       (extract(epoch from expires_at - now()) * 1000)::bigint as valid_millis
from run_access_tokens where token_hash = :tokenHash
