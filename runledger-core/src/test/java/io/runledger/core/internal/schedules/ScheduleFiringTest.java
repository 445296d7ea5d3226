package io.runledger.core.internal.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.api.Run;
import io.runledger.api.RunFilter;
import io.runledger.api.Schedule;
import io.runledger.api.ScheduleSpec;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Timestamps;
import io.runledger.core.RunLedger;
import io.runledger.core.internal.store.Json;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded engine fires schedules in process, and a fire it refuses passes without stopping the schedule. */
class ScheduleFiringTest {
    private static final String SCOPE = "acme";
    private RunLedger ledger;

    @BeforeEach
    void open() {
        TestDatabase.truncate();
        ledger = TestDatabase.ledgerBuilder().backgroundLoops(true).queueInterval(Duration.ofMillis(200)).build();
        ledger.admin().scopePut(SCOPE);
        ledger.admin().servicePut(SCOPE, "work", ServiceSpec.defaults());
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private List<Run> runs() {
        return ledger.runs().list(SCOPE, RunFilter.all()).items();
    }

    @Test
    void firesInProcessAndPassesOverFiresTheEngineRefuses() {
        Schedule tick = ledger.schedules().put(SCOPE, "tick",
                ScheduleSpec.of("work", "* * * * * *", Json.MAPPER.createObjectNode().put("n", 1)));
        assertThat(tick.created()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !runs().isEmpty());
        Run first = runs().getLast();
        Schedule fired = ledger.schedules().get(SCOPE, "tick");
        assertThat(first.commandId()).isEqualTo("schedule/tick/" + Timestamps.format(fired.lastFireAt()));
        assertThat(first.metadata().get("scheduleId").asText()).isEqualTo("tick");
        assertThat(first.input().get("n").asInt()).isEqualTo(1);

        // The service now wants another input: each fire is refused by the trigger's own schema
        // check, that time passes (the rest of the pass is kept), and the schedule goes on.
        ledger.admin().servicePut(SCOPE, "work", new ServiceSpec(null, null,
                Json.read("{\"type\":\"object\",\"required\":[\"m\"]}"), null, null));
        Instant changed = Instant.now();
        await().atMost(Duration.ofSeconds(15)).until(() ->
                ledger.schedules().get(SCOPE, "tick").nextFireAt().isAfter(changed.plusSeconds(3)));
        Schedule after = ledger.schedules().get(SCOPE, "tick");
        assertThat(after.lastFireAt()).as("nothing fired after the first second of the change")
                .isBefore(changed.plusSeconds(2));
        int count = runs().size();
        assertThat(runs()).allMatch(r -> r.createdAt().isBefore(changed.plusSeconds(2)));

        ledger.schedules().put(SCOPE, "tick", new ScheduleSpec("work", "* * * * * *", null,
                Json.MAPPER.createObjectNode().put("m", 1), false, null, null));
        assertThat(ledger.schedules().get(SCOPE, "tick").nextFireAt()).isNull();
        assertThat(runs()).hasSize(count);
    }
}
