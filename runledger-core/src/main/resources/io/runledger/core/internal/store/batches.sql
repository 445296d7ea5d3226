-- name: batchInsert
insert into batches (scope_id, batch_id, service, size) values (:scope, :batchId, :service, :size)
returning *

-- name: batchGet
select b.*,
       coalesce((select json_object_agg(status, n) from (
           select status, count(*) as n from runs r
           where r.scope_id = b.scope_id and r.batch_id = b.batch_id group by status) s), '{}') as counts
from batches b where b.scope_id = :scope and b.batch_id = :batchId

-- name: batchRunIds
select run_id from runs where scope_id = :scope and batch_id = :batchId order by created_at, run_id
