package io.runledger.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.WorkerInfo;
import io.runledger.core.internal.db.SqlStatements;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of {@code workers}: the registry of workers seen polling, with the runs each holds. */
public final class WorkerStore {
    private static final SqlStatements WORKERS = SqlStatements.load(WorkerStore.class, "workers.sql");

    private static final RowMapper<WorkerInfo> WORKER = (rs, ctx) -> new WorkerInfo(
            rs.getString("worker_id"),
            RunMapper.strings(rs.getArray("services")),
            rs.getString("version"),
            Json.read(rs.getString("capabilities")),
            RunMapper.instant(rs, "last_seen_at"),
            rs.getInt("runs_held"));

    public void workerSeen(Handle h, String scope, String workerId, List<String> services, String version,
                           JsonNode capabilities) {
        h.createUpdate(WORKERS.get("workerSeen"))
                .bind("scope", scope).bind("workerId", workerId)
                .bindArray("services", String.class, services)
                .bind("version", version)
                .bind("capabilities", capabilities == null ? "{}" : Json.write(capabilities))
                .execute();
    }

    public void workersTouch(Handle h, String scope, Collection<String> workerIds) {
        if (workerIds.isEmpty()) {
            return;
        }
        h.createUpdate(WORKERS.get("workersTouch")).bind("scope", scope)
                .bind("workerIds", workerIds.toArray(String[]::new)).execute();
    }

    public List<WorkerInfo> workersList(Handle h, String scope) {
        return h.createQuery(WORKERS.get("workersList")).bind("scope", scope).map(WORKER).list();
    }
}
