-- Scope API keys for the HTTP server. Only the SHA-256 (hex) of a key is stored; the key
-- itself is shown once, when it is created. The primary key leads with scope_id like every
-- scoped table; the unique index on key_hash finds the owning scope of a presented key in
-- one lookup, so a key of another scope can be told apart from a wrong key.
create table scope_keys (
    scope_id   text        not null references scopes (scope_id),
    key_hash   text        not null,
    created_at timestamptz not null default now(),
    primary key (scope_id, key_hash)
);

create unique index scope_keys_hash on scope_keys (key_hash);
