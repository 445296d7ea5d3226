package io.runledger.server.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runledger.api.Timestamps;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fire times that pass while no instance runs: the only instance is stopped, ten fire times
 * (one a second) pass, a new instance starts on the same database. With catch-up
 * {@code latest} the most recent missed time fires once (not ten times); with {@code none}
 * none fires. The schedules fire only inside the outage, so every run counted is a catch-up.
 */
class ScheduleCatchUpRestartTest {
    private static final String P = "/v1/scopes/acme";

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void afterTenSecondsDownLatestFiresOnceAndNoneFiresNothing() {
        TestDatabase.truncate();
        server = TestServer.start();
        Http admin = server.admin();
        assertThat(admin.put("/v1/scopes/acme", null).status()).isEqualTo(201);
        assertThat(admin.put(P + "/services/work", "{}").status()).isEqualTo(200);

        // Ten fire times, W .. W+9 s, all in one minute and all after this instance stops.
        Instant soon = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        Instant w = soon.atZone(ZoneOffset.UTC).getSecond() > 50
                ? soon.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES) : soon;
        ZonedDateTime z = w.atZone(ZoneOffset.UTC);
        String cron = z.getSecond() + "-" + (z.getSecond() + 9) + " " + z.getMinute() + " " + z.getHour() + " "
                + z.getDayOfMonth() + " " + z.getMonthValue() + " *";
        for (String mode : new String[] {"latest", "none"}) {
            Http.Reply put = admin.put(P + "/schedules/" + mode, "{\"service\":\"work\",\"cron\":\"" + cron
                    + "\",\"catchUp\":\"" + mode + "\"}");
            assertThat(put.status()).as(put.toString()).isEqualTo(201);
            assertThat(put.json().get("nextFireAt").asText()).isEqualTo(Timestamps.format(w));
        }
        server.close();
        server = null;
        assertThat(Instant.now()).as("stopped before the first fire time").isBefore(w);

        Instant lastMissed = w.plusSeconds(9);
        await().atMost(Duration.ofSeconds(80)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(lastMissed.plusMillis(1500)));
        assertThat(TestDatabase.count("select count(*) from runs")).as("nothing fired while down").isZero();

        server = TestServer.start();
        Http again = server.admin();
        String missedFirst = Timestamps.format(w);
        await().atMost(Duration.ofSeconds(10)).until(() -> !again.get(P + "/schedules/latest").json()
                .get("nextFireAt").asText().equals(missedFirst)
                && !again.get(P + "/schedules/none").json().get("nextFireAt").asText().equals(missedFirst));

        String nextYear = Timestamps.format(z.plusYears(1).toInstant());
        Http.Reply latest = again.get(P + "/schedules/latest");
        assertThat(latest.json().get("lastFireAt").asText()).isEqualTo(Timestamps.format(lastMissed));
        assertThat(latest.json().get("nextFireAt").asText()).isEqualTo(nextYear);
        assertThat(TestDatabase.count("select count(*) from runs where command_id like 'schedule/latest/%'"))
                .as("latest: the most recent missed time, once").isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from runs where command_id = 'schedule/latest/"
                + Timestamps.format(lastMissed) + "'")).isEqualTo(1);
        assertThat(again.get(P + "/runs/" + latest.json().get("lastRunId").asText()).json().get("commandId").asText())
                .isEqualTo("schedule/latest/" + Timestamps.format(lastMissed));

        Http.Reply none = again.get(P + "/schedules/none");
        assertThat(none.json().get("lastRunId").isNull()).isTrue();
        assertThat(none.json().get("nextFireAt").asText()).isEqualTo(nextYear);
        assertThat(TestDatabase.count("select count(*) from runs where command_id like 'schedule/none/%'"))
                .as("none: no missed time fires").isZero();
    }
}
