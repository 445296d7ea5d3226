package io.runledger.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.runledger.api.Receipt;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The row records carry what their statements return, including the computed columns. */
class StoreRowsTest extends LedgerTestBase {

    @Test
    void aWebhookUpsertSaysWhetherItCreatedTheRow() throws SQLException {
        WebhookStore hooks = new WebhookStore();
        try (Handle h = Jdbi.open(TestDatabase.connect())) {
            WebhookRow created = hooks.webhookUpsert(h, new WebhookUpsert(SCOPE, "hook", "https://example.com/a",
                    List.of("run.*"), "whsec_a", false, "events", null));
            WebhookRow replaced = hooks.webhookUpsert(h, new WebhookUpsert(SCOPE, "hook", "https://example.com/b",
                    List.of("alert.runs_failed"), "whsec_b", false, "alert", 60));

            assertThat(created.inserted()).isTrue();
            assertThat(created.events()).containsExactly("run.*");
            assertThat(created.kind()).isEqualTo("events");
            assertThat(created.windowSeconds()).isNull();
            assertThat(replaced.inserted()).isFalse();
            assertThat(replaced.createdAt()).isEqualTo(created.createdAt());
            assertThat(hooks.webhookGet(h, SCOPE, "hook")).get().satisfies(row -> {
                assertThat(row.url()).isEqualTo("https://example.com/b");
                assertThat(row.events()).containsExactly("alert.runs_failed");
                assertThat(row.kind()).isEqualTo("alert");
                assertThat(row.windowSeconds()).isEqualTo(60);
                assertThat(row.secret()).isEqualTo("whsec_b");
                assertThat(row.inserted()).isFalse();
            });
        }
    }

    @Test
    void aBatchCountsItsRunsByStatusWhenRead() throws SQLException {
        BatchStore batches = new BatchStore();
        try (Handle h = Jdbi.open(TestDatabase.connect())) {
            BatchRow inserted = batches.batchInsert(h, SCOPE, "bat_1", SERVICE, 2);
            assertThat(inserted.counts()).isEmpty();
            assertThat(inserted.size()).isEqualTo(2);
        }
        String batchId = ledger.batches().register(SCOPE, SERVICE, List.of(TriggerRequest.of(json()),
                TriggerRequest.of(json()))).batchId();
        leaseOne("w");
        try (Handle h = Jdbi.open(TestDatabase.connect())) {
            assertThat(batches.batchGet(h, SCOPE, batchId)).get().satisfies(row -> {
                assertThat(row.service()).isEqualTo(SERVICE);
                assertThat(row.counts()).containsOnly(entry("accepted", 1), entry("running", 1));
            });
            assertThat(batches.batchRunIds(h, SCOPE, batchId)).hasSize(2);
        }
    }

    @Test
    void queueStatsAndIdempotencyKeysAreTyped() throws SQLException {
        Receipt receipt = trigger(TriggerRequest.builder().input(json()).idempotencyKey("once").build());
        try (Handle h = Jdbi.open(TestDatabase.connect())) {
            assertThat(new RunStore().queueStats(h)).singleElement().satisfies(stat -> {
                assertThat(stat.scope()).isEqualTo(SCOPE);
                assertThat(stat.service()).isEqualTo(SERVICE);
                assertThat(stat.depth()).isEqualTo(1);
                assertThat(stat.oldestAgeSeconds()).isNotNegative();
            });
            assertThat(new IdempotencyStore().idempotencyGet(h, SCOPE, SERVICE, "once")).get().satisfies(key -> {
                assertThat(key.runId()).isEqualTo(receipt.runId());
                assertThat(key.live()).isTrue();
                assertThat(key.requestHash()).hasSize(64);
            });
        }
    }
}
