package io.runledger.server.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A schedule firing every second on two server instances over one PostgreSQL: for 12 s each
 * second fires exactly once (one run, one idempotency key per fire time), whichever instance
 * takes it, and promptly (woken at the fire time, not by a coarse poll).
 */
class ScheduleTwoInstancesTest {
    private static final String P = "/v1/scopes/acme";
    private static final Pattern FIRES = Pattern.compile(
            "^runledger_schedules_fired_total(?:\\{[^}]*\\})?\\s+(\\S+)", Pattern.MULTILINE);

    /** Fire times watched; both instances race for each of them. */
    private static final int SECONDS = 12;

    private TestServer a;
    private TestServer b;

    @BeforeEach
    void start() {
        TestDatabase.truncate();
        a = TestServer.start();
        b = TestServer.start();
        Http admin = a.admin();
        assertThat(admin.put("/v1/scopes/acme", null).status()).isEqualTo(201);
        assertThat(admin.put(P + "/services/work", "{}").status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        for (TestServer s : new TestServer[] {a, b}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** A fire: its time (from the run's command id) and how long after it the run was registered. */
    private record Fire(Instant at, Duration lateness) {
    }

    @Test
    void everySecondFiresExactlyOnceAcrossTwoInstances() throws Exception {
        Http.Reply put = b.admin().put(P + "/schedules/tick", "{\"service\":\"work\",\"cron\":\"* * * * * *\"}");
        assertThat(put.status()).isEqualTo(201);
        Instant first = Instant.parse(put.json().get("nextFireAt").asText());
        Instant last = first.plusSeconds(SECONDS - 1);
        await().atMost(Duration.ofSeconds(SECONDS + 15)).pollInterval(Duration.ofMillis(250)).until(() ->
                !Instant.parse(a.admin().get(P + "/schedules/tick").json().path("lastFireAt").asText("1970-01-01T00:00:00Z"))
                        .isBefore(last));
        Http.Reply off = a.admin().put(P + "/schedules/tick",
                "{\"service\":\"work\",\"cron\":\"* * * * * *\",\"enabled\":false}");
        assertThat(off.json().get("nextFireAt").isNull()).isTrue();

        List<Fire> fires = fires();
        Set<Instant> distinct = new HashSet<>();
        fires.forEach(f -> assertThat(distinct.add(f.at())).as("fired once: " + f.at()).isTrue());
        List<Instant> window = fires.stream().map(Fire::at).filter(t -> !t.isBefore(first) && !t.isAfter(last))
                .sorted().toList();
        assertThat(window.size()).as("fires in the %d s from %s", SECONDS, first).isBetween(SECONDS - 1, SECONDS);
        assertThat(fires.stream().allMatch(f -> f.at().getNano() == 0)).as("whole seconds").isTrue();
        assertThat(TestDatabase.count("select count(*) from idempotency_keys where idem_key like 'schedule/tick/%'"))
                .as("one idempotency row per fire").isEqualTo(fires.size());

        List<Long> late = fires.stream().map(f -> f.lateness().toMillis()).sorted().toList();
        long median = late.get(late.size() / 2);
        long p90 = late.get(late.size() * 9 / 10);
        double firedByA = fired(a);
        double firedByB = fired(b);
        System.out.printf("schedule fires: %d in window, lateness median %d ms, p90 %d ms, max %d ms;"
                        + " instance A fired %.0f, B fired %.0f%n", window.size(), median, p90, late.getLast(),
                firedByA, firedByB);
        assertThat(firedByA + firedByB).as("fires counted by the two instances").isEqualTo(fires.size());
        assertThat(p90).as("fired at its second, not at a periodic poll").isLessThan(500);
    }

    /** Every run the schedule triggered, read from the runs table. */
    private static List<Fire> fires() throws Exception {
        List<Fire> out = new ArrayList<>();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select command_id, created_at from runs where scope_id = 'acme'")) {
            while (rs.next()) {
                String key = rs.getString(1);
                assertThat(key).startsWith("schedule/tick/");
                Instant at = Instant.parse(key.substring("schedule/tick/".length()));
                Instant created = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
                out.add(new Fire(at, Duration.between(at, created)));
            }
        }
        return out;
    }

    private static double fired(TestServer s) {
        double total = 0;
        Matcher m = FIRES.matcher(s.metrics.scrape());
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
