-- name: keyInsert
-- A new key of a scope. The scope must exist (foreign key); the caller checks that first
-- so a missing scope is a 404, not a constraint violation.
insert into scope_keys (scope_id, key_hash) values (:scope, :keyHash)

-- name: keyScope
-- Which scope a presented key belongs to: one probe of the unique index on key_hash.
select scope_id from scope_keys where key_hash = :keyHash
