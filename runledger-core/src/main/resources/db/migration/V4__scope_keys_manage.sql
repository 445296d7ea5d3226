-- Scope keys become manageable: each gets a public id (listed and revoked by it, never by
-- its hash), an optional name, and the time it was last used. last_used_at is written at
-- most once a minute per key (see keyTouch), so authenticating stays a read.
alter table scope_keys
    add column key_id       text,
    add column name         text,
    add column last_used_at timestamptz;

update scope_keys set key_id = 'key_' || replace(gen_random_uuid()::text, '-', '');

alter table scope_keys
    alter column key_id set default ('key_' || replace(gen_random_uuid()::text, '-', '')),
    alter column key_id set not null;

create unique index scope_keys_id on scope_keys (scope_id, key_id);
