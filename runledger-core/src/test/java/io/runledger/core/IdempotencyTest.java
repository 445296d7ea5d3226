package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.IdempotencyKeyReusedException;
import io.runledger.api.Receipt;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Invariant 5: an idempotency key maps one request to one run for its TTL. */
class IdempotencyTest extends LedgerTestBase {

    private static TriggerRequest request(String key, int n) {
        return TriggerRequest.builder().input(json().put("n", n)).idempotencyKey(key).tags(List.of("a", "b")).build();
    }

    @Test
    void theSameRequestReplaysTheOriginalReceipt() {
        Receipt original = trigger(request("order-7", 1));
        Receipt replay = trigger(request("order-7", 1));
        assertThat(original.replayed()).isFalse();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.runId()).isEqualTo(original.runId());
        assertThat(replay.commandId()).isEqualTo("order-7").isEqualTo(original.commandId());
        assertThat(replay.createdAt()).isEqualTo(original.createdAt());
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(1);
        // the key is per service
        ledger.admin().servicePut(SCOPE, "other", null);
        assertThat(ledger.runs().trigger(SCOPE, "other", request("order-7", 1)).replayed()).isFalse();
    }

    @Test
    void aDifferentRequestWithTheSameKeyIsRefused() {
        Receipt original = trigger(request("order-8", 1));
        assertThatThrownBy(() -> trigger(request("order-8", 2)))
                .isInstanceOfSatisfying(IdempotencyKeyReusedException.class, e -> {
                    assertThat(e.code()).isEqualTo("idempotency_key_reused");
                    assertThat(e.details()).containsEntry("runId", original.runId());
                });
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(1);
    }

    @Test
    void concurrentTriggersWithOneKeyRegisterOneRun() throws Exception {
        int racers = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<Receipt>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return trigger(request("race", 1));
            }));
        }
        start.countDown();
        Set<String> runIds = new HashSet<>();
        int fresh = 0;
        for (Future<Receipt> f : results) {
            Receipt r = f.get();
            runIds.add(r.runId());
            fresh += r.replayed() ? 0 : 1;
        }
        pool.shutdown();
        assertThat(runIds).hasSize(1);
        assertThat(fresh).isEqualTo(1);
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(1);
    }

    @Test
    void anExpiredKeyMapsToANewRun() {
        ledger.close();
        ledger = TestDatabase.ledgerBuilder().idempotencyTtl(Duration.ofSeconds(1)).build();
        Receipt first = trigger(request("short", 1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> !trigger(request("short", 1)).runId().equals(first.runId()));
        // after expiry even a different request may take the key
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        return !trigger(request("short", 2)).replayed();
                    } catch (IdempotencyKeyReusedException e) {
                        return false;
                    }
                });
        trigger(request("purge-me", 1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> ledger.maintenance().queue().idempotencyKeysPurged() >= 1
                        && TestDatabase.count("select count(*) from idempotency_keys where idem_key = 'purge-me'") == 0);
    }
}
