-- name: scopeInsert
-- Creating a scope is idempotent: a PUT of an existing scope changes nothing.
insert into scopes (scope_id) values (:scope)
on conflict (scope_id) do nothing

-- name: scopeExists
select exists (select 1 from scopes where scope_id = :scope)
