package io.runledger.server.overview;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.ServerTestBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The overview's wide windows read folded half-hours: what they answer after the fold is
 * exactly what they answered when every run was counted, two instances folding at once count
 * nothing twice, a half-hour is folded only once it is over, and runs after the fold are
 * counted from the runs.
 */
class OverviewFoldTest extends ServerTestBase {

    @Test
    void foldedHalfHoursAnswerExactlyWhatCountingEveryRunAnswered() throws Exception {
        history();
        JsonNode day = overview("24h");
        JsonNode week = overview("7d");
        assertThat(service(week).get("triggered").asLong()).isEqualTo(40);
        assertThat(service(day).get("triggered").asLong()).isEqualTo(20);

        // Two instances' passes at once, until neither has anything left.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> fold = () -> {
                int total = 0;
                for (int n; (n = server.ledger.maintenance().runStats()) > 0; ) {
                    total += n;
                }
                return total;
            };
            List<Future<Integer>> passes = List.of(pool.submit(fold), pool.submit(fold));
            int folded = 0;
            for (Future<Integer> f : passes) {
                folded += f.get();
            }
            assertThat(folded).as("half-hours folded by the two").isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(TestDatabase.count("select count(*) from run_stats_folded where folded_until <= now() - interval"
                + " '2 minutes' and folded_until > now() - interval '32 minutes 30 seconds'"))
                .as("every half-hour folded that ended two minutes ago or more, and none later").isEqualTo(1);
        assertThat(TestDatabase.count("select coalesce(sum(triggered), 0) from run_stats")).isEqualTo(40 - recent());

        assertSame(overview("24h"), day);
        assertSame(overview("7d"), week);

        // After the fold, new runs are counted from the runs.
        triggerRun();
        assertThat(service(overview("7d")).get("triggered").asLong()).isEqualTo(41);
        assertThat(service(overview("24h")).get("triggered").asLong()).isEqualTo(21);
    }

    /**
     * 40 runs: 10 each created 3 days, 26 hours, 3 hours and 5 minutes ago; of each group
     * 6 succeeded after 2 s (4 of them) or 90 s (2), 3 failed after 40 ms, 1 cancelled,
     * settled a minute after their creation.
     */
    private static void history() {
        String[] ages = {"3 days", "26 hours", "3 hours", "5 minutes"};
        for (String age : ages) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(triggerRun());
            }
            for (int i = 0; i < 10; i++) {
                String status = i < 6 ? "succeeded" : i < 9 ? "failed" : "cancelled";
                String took = i < 4 ? "2 s" : i < 6 ? "90 s" : "40 ms";
                if (!status.equals("cancelled")) {
                    // the statuses a run passes through (the table refuses a jump)
                    TestDatabase.sql("update runs set status = 'running' where run_id = '" + ids.get(i) + "'");
                }
                TestDatabase.sql("update runs set status = '" + status + "', created_at = now() - interval '" + age
                        + "', started_at = now() - interval '" + age + "' + interval '1 minute' - interval '" + took
                        + "', finished_at = now() - interval '" + age + "' + interval '1 minute'"
                        + " where run_id = '" + ids.get(i) + "'");
            }
        }
        TestDatabase.forgetRunStats();
    }

    /** Runs created in the half-hour not yet folded (the 5-minute-old group, and maybe the newest). */
    private static long recent() {
        return TestDatabase.count("select count(*) from runs where created_at >= (select folded_until"
                + " from run_stats_folded)");
    }

    /**
     * The same totals, rates and durations, and the same counts in every bucket both answers
     * have (a bucket boundary may pass between the two reads and shift the window by one).
     */
    private static void assertSame(JsonNode after, JsonNode before) {
        JsonNode a = service(after);
        JsonNode b = service(before);
        for (String field : List.of("triggered", "succeeded", "failed", "cancelled", "expired", "failureRate",
                "durationP50Ms", "durationP95Ms")) {
            assertThat(a.get(field)).as(field).isEqualTo(b.get(field));
        }
        Map<String, JsonNode> earlier = new HashMap<>();
        b.get("buckets").forEach(bucket -> earlier.put(bucket.get("start").asText(), bucket));
        int compared = 0;
        for (JsonNode bucket : a.get("buckets")) {
            JsonNode then = earlier.get(bucket.get("start").asText());
            if (then != null) {
                assertThat(bucket).as("bucket " + bucket.get("start")).isEqualTo(then);
                compared++;
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(a.get("buckets").size() - 1);
    }

    private static JsonNode overview(String window) {
        Http.Reply r = api.get(P + "/overview?window=" + window);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode service(JsonNode overview) {
        return overview.get("services").get(0);
    }
}
