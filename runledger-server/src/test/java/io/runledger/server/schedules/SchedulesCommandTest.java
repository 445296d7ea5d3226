package io.runledger.server.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.CliTestBase;
import org.junit.jupiter.api.Test;

/** {@code runledger schedules put|get|list|delete} against the real server, in process. */
class SchedulesCommandTest extends CliTestBase {
    @Override
    protected Result cli(String... args) {
        return cliWithOptionsAt(1, args); // the connection options right after the command name
    }

    @Test
    void putGetListDelete() throws Exception {
        assertThat(cli("schedules", "nightly", "--service", SERVICE).exit()).as("an unknown action").isNotZero();
        Result put = cli("schedules", "put", "nightly", "--service", SERVICE, "--cron", "30 2 * * *", "--timezone",
                "Europe/Berlin", "--input", "{\"report\": \"daily\"}", "--overlap", "skip", "--catch-up", "none");
        assertThat(put.exit()).as(put.err()).isZero();
        JsonNode s = put.json();
        assertThat(s.get("scheduleId").asText()).isEqualTo("nightly");
        assertThat(s.get("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(s.get("overlap").asText()).isEqualTo("skip");
        assertThat(s.get("catchUp").asText()).isEqualTo("none");
        assertThat(s.get("input").get("report").asText()).isEqualTo("daily");
        assertThat(s.get("nextFireAt").asText()).matches(".*T(00|01):30:00\\.000000Z");

        assertThat(cli("schedules", "get", "nightly").json()).isEqualTo(s);
        assertThat(cli("schedules", "list").json().get("items")).hasSize(1);

        Result bad = cli("schedules", "put", "broken", "--service", SERVICE, "--cron", "* * *");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("invalid_argument").contains("has 3 fields");
        assertThat(cli("schedules", "put", "x", "--cron", "* * * * *").err()).contains("--service and --cron");

        Result deleted = cli("schedules", "delete", "nightly");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        Result gone = cli("schedules", "get", "nightly");
        assertThat(gone.exit()).isNotZero();
        assertThat(gone.err()).contains("schedule_not_found");
        assertThat(api.get(P + "/schedules").json().get("items")).isEmpty();
    }
}
