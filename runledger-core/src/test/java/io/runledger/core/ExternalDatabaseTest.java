package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.internal.store.Json;
import io.runledger.core.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With RUNLEDGER_DATABASE_URL the engine uses that server and starts no embedded one. */
class ExternalDatabaseTest {

    @Test
    void theEnvironmentSelectsAnExternalDatabase(@TempDir Path dataDir) {
        TestDatabase.truncate();
        Map<String, String> env = Map.of(
                "RUNLEDGER_DATABASE_URL", TestDatabase.jdbcUrl(),
                "RUNLEDGER_DATABASE_USER", TestDatabase.user(),
                "RUNLEDGER_DATABASE_PASSWORD", TestDatabase.password(),
                "RUNLEDGER_DATA_DIR", dataDir.toString());
        try (RunLedger ledger = RunLedger.builder().fromEnvironment(env).backgroundLoops(false).build()) {
            assertThat(ledger.jdbcUrl()).isEqualTo(TestDatabase.jdbcUrl());
            ledger.admin().scopePut("ext");
            ledger.admin().servicePut("ext", "svc", ServiceSpec.defaults());
            ledger.runs().trigger("ext", "svc", TriggerRequest.of(Json.MAPPER.createObjectNode()));
        }
        assertThat(TestDatabase.count("select count(*) from runs where scope_id = 'ext'")).isEqualTo(1);
        assertThat(Files.exists(dataDir.resolve("pgdata"))).as("no embedded cluster was created").isFalse();
    }

    @Test
    void aNonPostgresUrlIsRefusedWhenSet() {
        assertThatThrownBy(() -> RunLedger.builder().databaseUrl("jdbc:mysql://x/y"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
