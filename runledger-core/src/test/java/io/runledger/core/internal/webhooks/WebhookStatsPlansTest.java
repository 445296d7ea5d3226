package io.runledger.core.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookSpec;
import io.runledger.api.WebhookStats;
import io.runledger.core.RunLedger;
import io.runledger.core.internal.db.SqlStatements;
import io.runledger.core.internal.store.WebhookStore;
import io.runledger.core.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The endpoint stats on 20 webhooks with 120,000 deliveries over 8 days and their attempts:
 * each part is read from its index (the listing index that carries the status, the attempts
 * by webhook and time, the failed ones), never by scanning a table, so the answer's cost is
 * the window's entries however large the tables grow. The counts are checked against the
 * rows too.
 */
class WebhookStatsPlansTest {
    private static final String SCOPE = "plans";
    private static final int WEBHOOKS = 20;
    private static final int DELIVERIES = 120_000;

    @Test
    void theStatsReadIndexesOnlyAndCountTheWindow() {
        TestDatabase.truncate();
        try (RunLedger engine = TestDatabase.ledgerBuilder().webhookAllowCidrs(List.of("127.0.0.1/32")).build()) {
            engine.admin().scopePut(SCOPE);
            for (int i = 0; i < WEBHOOKS; i++) {
                engine.webhooks().put(SCOPE, "h" + i, WebhookSpec.of("http://127.0.0.1:9/h" + i, List.of("run.*")));
            }
            load();
            String sql = SqlStatements.load(WebhookStore.class, "webhooks.sql").get("webhooksStats");
            try (Handle h = Jdbi.create(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password()).open()) {
                for (String webhookId : new String[] {null, "h7"}) {
                    List<String> plan = h.createQuery("explain (analyze, buffers) " + sql).bind("scope", SCOPE)
                            .bind("webhookId", webhookId).bind("windowHours", WebhookStats.WINDOW_HOURS)
                            .mapTo(String.class).list();
                    String text = String.join("\n", plan);
                    System.out.println("webhook stats (" + (webhookId == null ? "every webhook" : webhookId) + "):\n"
                            + text);
                    assertThat(text).as(text).doesNotContain("Seq Scan on webhook_deliveries")
                            .doesNotContain("Seq Scan on webhook_attempts");
                    assertThat(indexes(text)).as(text).contains("webhook_deliveries_by_hook",
                            "webhook_attempts_by_hook", "webhook_attempts_failed");
                }
            }

            // What the plans read is what the rows say.
            WebhookStats stats = engine.webhooks().get(SCOPE, "h7").stats();
            String window = "created_at >= now() - interval '24 hours'";
            assertThat(stats.delivered()).isEqualTo(TestDatabase.count("select count(*) from webhook_deliveries"
                    + " where webhook_id = 'h7' and status = 'delivered' and " + window));
            assertThat(stats.dead()).isEqualTo(TestDatabase.count("select count(*) from webhook_deliveries"
                    + " where webhook_id = 'h7' and status = 'dead' and " + window));
            assertThat(stats.attempts()).isPositive().isEqualTo(TestDatabase.count("select count(*) from"
                    + " webhook_attempts where webhook_id = 'h7' and attempted_at >= now() - interval '24 hours'"));
            assertThat(stats.failedAttempts()).isPositive().isLessThan(stats.attempts());
            assertThat(stats.lastFailureAt()).isNotNull();
            List<WebhookInfo> listed = engine.webhooks().list(SCOPE);
            assertThat(listed).hasSize(WEBHOOKS).allSatisfy(w -> assertThat(w.stats().attempts()).isPositive());
        } finally {
            TestDatabase.truncate();
        }
    }

    /**
     * Deliveries spread over 8 days across the webhooks; each has one to three attempts, the
     * last of a delivered one a 200, the others 500s.
     */
    private static void load() {
        TestDatabase.sql("insert into webhook_deliveries (scope_id, delivery_id, webhook_id, run_id, seq, event_type,"
                + " status, attempts, created_at, next_attempt_at)"
                + " select '" + SCOPE + "', 'msg_' || g, 'h' || (g % " + WEBHOOKS + "), 'run_' || g, 1, 'run.accepted',"
                + " case when g % 10 = 0 then 'dead' when g % 97 = 0 then 'pending' else 'delivered' end,"
                + " 1 + g % 3, now() - (g * interval '8 days' / " + DELIVERIES + "), now()"
                + " from generate_series(1, " + DELIVERIES + ") g");
        TestDatabase.sql("insert into webhook_attempts (scope_id, delivery_id, webhook_id, attempt, status_code, error,"
                + " duration_ms, attempted_at)"
                + " select d.scope_id, d.delivery_id, d.webhook_id, n,"
                + " case when d.status = 'delivered' and n = d.attempts then 200 else 500 end,"
                + " case when d.status = 'delivered' and n = d.attempts then null else 'HTTP 500' end,"
                + " 20, d.created_at + n * interval '1 second'"
                + " from webhook_deliveries d, generate_series(1, d.attempts) n where d.scope_id = '" + SCOPE + "'");
        TestDatabase.sql("vacuum analyze webhook_deliveries");
        TestDatabase.sql("vacuum analyze webhook_attempts");
    }

    private static List<String> indexes(String plan) {
        List<String> used = new ArrayList<>();
        Matcher m = Pattern.compile("(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? using (\\w+)")
                .matcher(plan);
        while (m.find()) {
            used.add(m.group(1));
        }
        return used;
    }
}
