-- Run access tokens: each may only read one run (get, events, wait, stream) until it
-- expires, so a browser's EventSource, which cannot send a key, can carry one in its URL.
-- Only the SHA-256 (hex) of a token is stored; the token is shown once, when it is issued.
-- The primary key is the hash: a presented token is found by one probe, on every request
-- (nothing caches tokens). A token issued with a scope key goes with that key: revoking it
-- deletes its tokens in the same statement (on delete cascade), so they are refused at once
-- on every instance. key_id is null when the admin key (admin_key_tag set) or the application
-- through the embedded engine (neither set) issued it.
create table run_access_tokens (
    token_hash    text        not null primary key,
    scope_id      text        not null,
    run_id        text        not null,
    key_id        text,
    admin_key_tag text,
    created_at    timestamptz not null default now(),
    expires_at    timestamptz not null,
    foreign key (scope_id, run_id) references runs (scope_id, run_id),
    foreign key (scope_id, key_id) references scope_keys (scope_id, key_id) on delete cascade,
    check (key_id is null or admin_key_tag is null)
);

-- A run's live tokens are counted at every issue (the per-run bound) and deleted with the
-- run by retention; the key's revocation finds its tokens by the second index.
create index run_access_tokens_run on run_access_tokens (scope_id, run_id, expires_at);
create index run_access_tokens_key on run_access_tokens (scope_id, key_id) where key_id is not null;
-- Retention purges expired tokens oldest first.
create index run_access_tokens_expiry on run_access_tokens (expires_at);
