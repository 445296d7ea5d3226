package io.runledger.core.internal.store;

import io.runledger.api.QueueStat;
import io.runledger.api.ServiceInfo;
import io.runledger.api.ServiceSpec;
import io.runledger.core.internal.db.SqlStatements;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.mapper.RowMapper;

/** Statements of {@code scopes} and {@code services}: what may be triggered, and how. */
public final class ServiceStore {
    private static final SqlStatements SCOPES = SqlStatements.load(ServiceStore.class, "scopes.sql");
    private static final SqlStatements SERVICES = SqlStatements.load(ServiceStore.class, "services.sql");

    private static final RowMapper<ServiceInfo> SERVICE = (rs, ctx) -> new ServiceInfo(
            rs.getString("scope_id"),
            rs.getString("service"),
            rs.getInt("max_attempts"),
            rs.getInt("lease_ttl_seconds"),
            Json.read(rs.getString("input_schema")),
            (Integer) rs.getObject("concurrency_limit"),
            rs.getString("description"),
            io.runledger.core.internal.kernel.Retries.complete(Json.read(rs.getString("retry"))),
            RunMapper.instant(rs, "created_at"),
            RunMapper.instant(rs, "updated_at"),
            rs.getBoolean("paused"),
            rs.getInt("retention_days"));

    public boolean scopeInsert(Handle h, String scope) {
        return h.createUpdate(SCOPES.get("scopeInsert")).bind("scope", scope).execute() == 1;
    }

    public boolean scopeExists(Handle h, String scope) {
        return h.createQuery(SCOPES.get("scopeExists")).bind("scope", scope).mapTo(Boolean.class).one();
    }

    public ServiceInfo serviceUpsert(Handle h, String scope, String service, int maxAttempts, int leaseTtlSeconds,
                                     ServiceSpec spec) {
        return h.createQuery(SERVICES.get("serviceUpsert"))
                .bind("scope", scope)
                .bind("service", service)
                .bind("maxAttempts", maxAttempts)
                .bind("leaseTtlSeconds", leaseTtlSeconds)
                .bind("inputSchema", Json.write(spec.inputSchema()))
                .bind("concurrencyLimit", spec.concurrencyLimit())
                .bind("description", spec.description())
                .bind("retry", spec.retry() == null ? null
                        : Json.write(io.runledger.core.internal.kernel.Retries.stored(spec.retry())))
                .bind("retentionDays", spec.retentionDays() == null ? ServiceSpec.DEFAULT_RETENTION_DAYS
                        : spec.retentionDays())
                .map(SERVICE).one();
    }

    /** The service with the transaction's {@code now()}, the clock a trigger decides by. */
    public Optional<ServiceAt> serviceAt(Handle h, String scope, String service) {
        return h.createQuery(SERVICES.get("serviceAt"))
                .bind("scope", scope).bind("service", service)
                .map((rs, ctx) -> new ServiceAt(SERVICE.map(rs, ctx), RunMapper.instant(rs, "transaction_now")))
                .findOne();
    }

    public Optional<ServiceInfo> serviceGet(Handle h, String scope, String service) {
        return h.createQuery(SERVICES.get("serviceGet"))
                .bind("scope", scope).bind("service", service)
                .map(SERVICE).findOne();
    }

    /** Sets the service's {@code paused} flag; empty if the service does not exist. */
    public Optional<ServiceInfo> servicePausedSet(Handle h, String scope, String service, boolean paused) {
        return h.createQuery(SERVICES.get("servicePausedSet"))
                .bind("scope", scope).bind("service", service).bind("paused", paused)
                .map(SERVICE).findOne();
    }

    /** How many services are paused, over all scopes. */
    public long servicesPausedCount(Handle h) {
        return h.createQuery(SERVICES.get("servicesPausedCount")).mapTo(Long.class).one();
    }

    public List<ServiceInfo> servicesList(Handle h, String scope) {
        return h.createQuery(SERVICES.get("servicesList")).bind("scope", scope).map(SERVICE).list();
    }

    /** Every service of the scope with its queue: queued runs and the age of the oldest. */
    public List<QueueStat> queuesOfScope(Handle h, String scope) {
        return h.createQuery(SERVICES.get("queuesOfScope")).bind("scope", scope)
                .map((rs, ctx) -> new QueueStat(rs.getString("scope_id"), rs.getString("service"), rs.getLong("depth"),
                        rs.getDouble("oldest_age_seconds")))
                .list();
    }

    /** The requested services that exist, by name. */
    public Map<String, ServiceInfo> servicesFound(Handle h, String scope, List<String> services) {
        Map<String, ServiceInfo> found = new HashMap<>();
        h.createQuery(SERVICES.get("servicesFound"))
                .bind("scope", scope)
                .bindArray("services", String.class, services)
                .map(SERVICE)
                .forEach(s -> found.put(s.service(), s));
        return found;
    }

    public Map<String, Integer> servicesWithLimit(Handle h, String scope, List<String> services) {
        return h.createQuery(SERVICES.get("servicesWithLimit"))
                .bind("scope", scope)
                .bindArray("services", String.class, services)
                .setMapKeyColumn("service").setMapValueColumn("concurrency_limit")
                .collectInto(new GenericType<Map<String, Integer>>() { });
    }
}
