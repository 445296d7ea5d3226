package io.runledger.server.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Problems;
import io.runledger.server.http.Responses;
import io.runledger.server.http.ServerJson;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Liveness (the process answers) and readiness (the database answers and is fully migrated). */
public final class HealthRoutes {
    private static final Logger log = LoggerFactory.getLogger(HealthRoutes.class);

    private final DataSource dataSource;

    public HealthRoutes(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    public void register(RoutesConfig routes) {
        routes.get(Paths.HEALTH_LIVE, ctx -> Responses.json(ctx, 200, status("live")));
        routes.get(Paths.HEALTH_READY, this::ready);
    }

    private void ready(Context ctx) {
        try {
            MigrationInfoService info = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .info();
            if (info.pending().length > 0 || info.current() == null) {
                Problems.write(ctx, 503, "not_ready", "the database schema is not fully migrated", Map.of());
                return;
            }
            ObjectNode body = status("ready");
            body.put("schemaVersion", info.current().getVersion().getVersion());
            Responses.json(ctx, 200, body);
        } catch (RuntimeException e) {
            log.warn("readiness check failed: {}", e.toString());
            Problems.write(ctx, 503, "not_ready", "the database is not reachable", Map.of());
        }
    }

    private static ObjectNode status(String status) {
        return ServerJson.MAPPER.createObjectNode().put("status", status);
    }
}
