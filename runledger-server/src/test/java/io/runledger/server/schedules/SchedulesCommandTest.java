package io.runledger.server.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.cli.Main;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code runledger schedules put|get|list|delete} against the real server, in process. */
class SchedulesCommandTest extends ServerTestBase {
    private String key;

    private record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Http.JSON.readTree(out);
        }
    }

    @BeforeEach
    void key() {
        key = api.post(P + "/keys", null).json().get("key").asText();
    }

    private Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(1, List.of("--url", server.server.url(), "--key", key, "--scope", SCOPE));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new Main()).execute(all.toArray(String[]::new));
            return new Result(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
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
