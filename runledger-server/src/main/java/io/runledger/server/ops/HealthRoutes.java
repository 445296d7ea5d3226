package io.runledger.server.ops;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Problems;
import io.runledger.server.http.Responses;
import io.runledger.server.wire.HealthView;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness (the process answers) and readiness (the database answers and is fully migrated).
 *
 * <p>A readiness check costs at most one pooled connection. Flyway's schema check takes two
 * (one for its history, one for its callbacks), so concurrent probes each holding one and
 * waiting for a second could take the whole pool; it runs one at a time, and only until the
 * schema has been seen fully migrated (a schema does not go back). After that a check is one
 * connection's validity test.
 */
public final class HealthRoutes {
    private static final Logger log = LoggerFactory.getLogger(HealthRoutes.class);
    private static final int VALID_SECONDS = 2;

    private final DataSource dataSource;
    /** With run data on a database of its own: that one must answer too. */
    private final DataSource runsDataSource;
    private final Lock schemaCheck = new ReentrantLock();
    private volatile String migratedVersion;

    public HealthRoutes(DataSource dataSource) {
        this(dataSource, null);
    }

    public HealthRoutes(DataSource dataSource, DataSource runsDataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.runsDataSource = runsDataSource;
    }

    public void register(RoutesConfig routes) {
        routes.get(Paths.HEALTH_LIVE, ctx -> Responses.json(ctx, 200, new HealthView("live", null)));
        routes.get(Paths.HEALTH_READY, this::ready);
    }

    private void ready(Context ctx) {
        try {
            String version = migratedVersion != null ? migratedVersion : migrated();
            if (version == null) {
                Problems.write(ctx, 503, "not_ready", "the database schema is not fully migrated", Map.of());
                return;
            }
            answers(dataSource);
            if (runsDataSource != null) {
                answers(runsDataSource);
            }
            Responses.json(ctx, 200, new HealthView("ready", version));
        } catch (RuntimeException | SQLException e) {
            log.warn("readiness check failed: {}", e.toString());
            Problems.write(ctx, 503, "not_ready", "the database is not reachable", Map.of());
        }
    }

    private static void answers(DataSource db) throws SQLException {
        try (Connection c = db.getConnection()) {
            if (!c.isValid(VALID_SECONDS)) {
                throw new SQLException("the connection did not answer within " + VALID_SECONDS + " s");
            }
        }
    }

    /** The schema's version once every migration is applied, else null; one Flyway check at a time. */
    private String migrated() {
        schemaCheck.lock();
        try {
            if (migratedVersion != null) {
                return migratedVersion;
            }
            MigrationInfoService info = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .info();
            if (info.pending().length > 0 || info.current() == null) {
                return null;
            }
            migratedVersion = info.current().getVersion().getVersion();
            return migratedVersion;
        } finally {
            schemaCheck.unlock();
        }
    }
}
