package io.runledger.core.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.NotFoundException;
import io.runledger.api.WebhookSpec;
import io.runledger.core.RunLedger;
import io.runledger.core.internal.store.WebhookStore;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A redelivery racing the delete of its webhook never leaves a pending delivery without a
 * webhook (which no dispatcher could send or settle): the store's own statements are run in
 * a transaction held open here, so the other side is caught waiting in between.
 */
class RedeliveryDeleteRaceTest {
    private static final String SCOPE = "race";
    private final WebhookStore store = new WebhookStore();
    private RunLedger engine;
    private Jdbi jdbi;

    @BeforeEach
    void webhookWithADeadDelivery() {
        TestDatabase.truncate();
        engine = TestDatabase.ledgerBuilder().webhookAllowCidrs(List.of("127.0.0.1/32")).build();
        engine.admin().scopePut(SCOPE);
        engine.webhooks().put(SCOPE, "down", WebhookSpec.of("http://127.0.0.1:9/down", List.of("run.*")));
        TestDatabase.sql("insert into webhook_deliveries (scope_id, delivery_id, webhook_id, run_id, seq, event_type,"
                + " status, attempts) values ('" + SCOPE + "', 'msg_1', 'down', 'run_1', 1, 'run.accepted', 'dead', 3)");
        jdbi = Jdbi.create(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password());
    }

    @AfterEach
    void close() {
        engine.close();
        TestDatabase.truncate();
    }

    @Test
    void aDeleteWaitingForARedeliveryDropsTheDeliveryItMadePending() throws Exception {
        CompletableFuture<Void> deleted;
        try (Handle h = jdbi.open()) {
            h.begin();
            assertThat(store.webhookHold(h, SCOPE, "down")).isTrue();
            assertThat(store.deliveryRedeliver(h, SCOPE, "down", "msg_1")).isTrue();
            deleted = CompletableFuture.runAsync(() -> engine.webhooks().delete(SCOPE, "down"));
            awaitSomeoneWaitingForALock();
            h.commit();
        }
        deleted.get(10, TimeUnit.SECONDS);
        assertThat(TestDatabase.count("select count(*) from webhook_deliveries where status = 'pending'")).isZero();
        assertThat(TestDatabase.count("select count(*) from webhooks")).isZero();
    }

    @Test
    void aRedeliveryWaitingForADeleteFindsNoWebhook() throws Exception {
        CompletableFuture<String> redelivered;
        try (Handle h = jdbi.open()) {
            h.begin();
            assertThat(store.webhookDelete(h, SCOPE, "down")).isTrue();
            redelivered = CompletableFuture.supplyAsync(() -> {
                try {
                    return engine.webhooks().redeliver(SCOPE, "down", "msg_1").status();
                } catch (NotFoundException e) {
                    return e.code();
                }
            });
            awaitSomeoneWaitingForALock();
            h.commit();
        }
        assertThat(redelivered.get(10, TimeUnit.SECONDS)).isEqualTo("webhook_not_found");
        assertThat(TestDatabase.count("select count(*) from webhook_deliveries where status = 'pending'")).isZero();
    }

    private static void awaitSomeoneWaitingForALock() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.count(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock'") >= 1);
    }
}
