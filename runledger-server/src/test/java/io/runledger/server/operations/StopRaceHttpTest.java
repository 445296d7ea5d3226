package io.runledger.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A stop by idempotency key racing the trigger of that key, over HTTP, while a worker leases
 * the service all along. Whatever the order, every run ends cancelled. When the stop came
 * first (it was recorded on the key), the run registered cancelled: its receipt says so, its
 * ledger is exactly run.accepted, run.cancelled, and the worker never leased it. When the
 * trigger came first, the stop found the run: a queued run was cancelled at once, a leased
 * one was asked to stop and its worker settled it cancelled.
 */
class StopRaceHttpTest extends ServerTestBase {
    private static final int RACES = 100;

    private final Set<String> leased = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean working = new AtomicBoolean(true);

    /** Leases whatever comes, and settles each lease cancelled as soon as its stop is requested. */
    private void work() {
        while (working.get()) {
            Http.Reply r = api.post(P + "/workers/lease", "{\"workerId\":\"racer\",\"services\":[\"" + SERVICE
                    + "\"],\"max\":10,\"waitSeconds\":1}");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            for (JsonNode lease : r.json().get("leases")) {
                String runId = lease.get("runId").asText();
                String token = "{\"leaseToken\":\"" + lease.get("leaseToken").asText() + "\"}";
                leased.add(runId);
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
                        api.post(P + "/runs/" + runId + "/heartbeat", token).json().get("stopRequested").asBoolean());
                Http.Reply failed = api.post(P + "/runs/" + runId + "/fail", "{\"leaseToken\":"
                        + lease.get("leaseToken").toString() + ",\"error\":{\"code\":\"stopped\",\"message\":\"stop\"}}");
                assertThat(failed.json().get("status").asText()).as(failed.toString()).isEqualTo("cancelled");
            }
        }
    }

    private record Race(String key, Http.Reply stop, Http.Reply trigger) {
    }

    private List<String> types(String runId) {
        List<String> types = new ArrayList<>();
        api.get(P + "/runs/" + runId + "/events?limit=100").json().get("items")
                .forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    @Test
    void aStopRacingTheTriggerOfItsKeyAlwaysEndsCancelledAndARecordedStopIsNeverLeased() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        Future<?> worker = pool.submit(this::work);
        List<Race> races = new ArrayList<>();
        try {
            for (int i = 0; i < RACES; i++) {
                String key = "race-" + i;
                CountDownLatch go = new CountDownLatch(1);
                boolean stopFirst = ThreadLocalRandom.current().nextBoolean();
                int spin = ThreadLocalRandom.current().nextInt(2_000);
                Future<Http.Reply> stop = pool.submit(() -> {
                    go.await();
                    if (!stopFirst) {
                        for (int s = 0; s < spin; s++) {
                            Thread.onSpinWait();
                        }
                    }
                    return api.post(P + "/services/" + SERVICE + "/runs:cancel",
                            "{\"idempotencyKey\":\"" + key + "\",\"reason\":\"race\"}");
                });
                Future<Http.Reply> trigger = pool.submit(() -> {
                    go.await();
                    if (stopFirst) {
                        for (int s = 0; s < spin; s++) {
                            Thread.onSpinWait();
                        }
                    }
                    return trigger("{\"input\":{\"n\":1},\"idempotencyKey\":\"" + key + "\"}");
                });
                go.countDown();
                races.add(new Race(key, stop.get(), trigger.get()));
            }

            int recorded = 0;
            for (Race race : races) {
                assertThat(race.trigger().status()).as(race.trigger().toString()).isEqualTo(202);
                String runId = race.trigger().json().get("runId").asText();
                JsonNode stop = race.stop().json();
                if ("stop_recorded".equals(stop.path("status").asText())) {
                    recorded++;
                    assertThat(race.stop().status()).isEqualTo(202);
                    assertThat(stop.get("runId").isNull()).isTrue();
                    assertThat(stop.get("idempotencyKey").asText()).isEqualTo(race.key());
                    assertThat(race.trigger().json().get("status").asText()).as(race.key()).isEqualTo("cancelled");
                    assertThat(types(runId)).as(race.key()).containsExactly("run.accepted", "run.cancelled");
                } else {
                    assertThat(race.stop().status()).as(race.stop().toString()).isIn(200, 202);
                    assertThat(stop.get("runId").asText()).isEqualTo(runId);
                    assertThat(stop.get("stopRequestedAt").isNull()).isFalse();
                }
            }
            // every run ends cancelled: at once when queued, by its worker when it was leased
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (Race race : races) {
                    assertThat(run(race.trigger().json().get("runId").asText()).get("status").asText())
                            .as(race.key()).isEqualTo("cancelled");
                }
            });
            for (Race race : races) {
                String runId = race.trigger().json().get("runId").asText();
                List<String> types = types(runId);
                assertThat(types).as(race.key()).doesNotContain("run.succeeded", "run.failed");
                assertThat(types.getFirst()).isEqualTo("run.accepted");
                assertThat(types.getLast()).isEqualTo("run.cancelled");
                if ("stop_recorded".equals(race.stop().json().path("status").asText())) {
                    assertThat(leased).as("a run whose stop came first is never leased").doesNotContain(runId);
                } else if (!leased.contains(runId)) {
                    assertThat(types).as(race.key()).containsExactly("run.accepted", "run.cancelled");
                }
            }
            assertThat(count("runs")).isEqualTo(RACES);
            System.out.printf("stop races: %d stops recorded before the trigger, %d found the run (%d leased)%n",
                    recorded, RACES - recorded, leased.size());
        } finally {
            working.set(false);
            worker.get();
            pool.shutdownNow();
        }
    }
}
