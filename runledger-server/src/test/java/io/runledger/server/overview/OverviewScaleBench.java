package io.runledger.server.overview;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.core.testing.TestDatabase;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Not part of the default suite (the name does not end in Test): loads 1,000,000 runs of 10
 * services into one scope in SQL, all of them created and settled within the last 7 days, so
 * the widest window holds every one, and times {@code GET /overview} over HTTP for each
 * window (the median and the slowest of 20 calls): first counting every run (with the plans
 * of its statements), then with the past half-hours folded as the background pass folds
 * them. Fails if a statement reads the runs table itself, or if a median reaches 300 ms for
 * the short windows or with the half-hours folded. Run it with
 * {@code ./mvnw -B -o test -pl runledger-server -Dtest=OverviewScaleBench -Dsurefire.failIfNoSpecifiedTests=false};
 * it prints a table (also written to target/overview-bench.txt). BENCHMARKS.md records a run.
 */
class OverviewScaleBench {
    private static final String SCOPE = "bench";
    private static final int SERVICES = 10;
    private static final int SETTLED = 980_000;
    private static final double MAX_MS = 300;
    private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([0-9.]+) ms");

    private final StringBuilder report = new StringBuilder();

    @Test
    void theOverviewAtOneMillionRuns() throws Exception {
        TestDatabase.truncate();
        // No background loops: the bench decides when half-hours are folded.
        try (TestServer server = TestServer.start(b -> b.backgroundLoops(false), b -> b)) {
            Http admin = server.admin();
            assertThat(admin.put("/v1/scopes/" + SCOPE, null).status()).isEqualTo(201);
            for (int s = 0; s < SERVICES; s++) {
                assertThat(admin.put("/v1/scopes/" + SCOPE + "/services/s" + s, "{}").status()).isEqualTo(200);
            }
            load();
            line("counting every run (nothing folded yet):");
            for (String window : List.of("15m", "1h", "24h", "7d")) {
                measure(admin, window, false);
            }
            long start = System.nanoTime();
            int slots = 0;
            for (int n; (n = server.ledger.maintenance().runStats()) > 0; ) {
                slots += n;
            }
            line("folded %d half-hours (7 days and 8 hours) in %.1f s", slots, (System.nanoTime() - start) / 1e9);
            line("with the half-hours folded:");
            for (String window : List.of("24h", "7d")) {
                measure(admin, window, true);
            }
        } finally {
            Files.writeString(Path.of("target", "overview-bench.txt"), report.toString(), StandardCharsets.UTF_8);
            TestDatabase.truncate();
        }
    }

    /**
     * 980,000 runs settled over the last 7 days (one every 617 ms: 94% succeeded, 5% failed,
     * 1% cancelled; each ran 50 ms to 5 s), and what is in flight now: 10,000 queued, 5,000
     * running, 5,000 waiting. Then VACUUM ANALYZE, as autovacuum would have done by then.
     */
    private void load() throws Exception {
        long start = System.nanoTime();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            String columns = "insert into runs (scope_id, run_id, service, status, attempt, max_attempts,"
                    + " lease_ttl_seconds, command_id, created_at, updated_at, started_at, finished_at, last_seq,"
                    + " lease_token, lease_expires_at, worker_id)";
            st.execute(columns + " select '" + SCOPE + "', 'run_' || lpad(n::text, 10, '0'), 's' || (n % " + SERVICES
                    + "), case when n % 100 = 0 then 'cancelled' when n % 20 = 0 then 'failed' else 'succeeded' end,"
                    + " 1, 3, 30, 'cmd_' || n, c, c + d, c + interval '20 ms', c + d, 3, null, null, null"
                    + " from (select n, now() - interval '7 days' + n * interval '617 ms' as c,"
                    + "              interval '50 ms' + random() * interval '5 s' as d"
                    + "       from generate_series(1, " + SETTLED + ") n) x where c + d < now()");
            inFlight(st, columns, "accepted", 10_000, "null", "null");
            inFlight(st, columns, "running", 5_000, "c + interval '1 s'", "'" + "tok" + "'");
            inFlight(st, columns, "waiting", 5_000, "c + interval '1 s'", "null");
            st.execute("vacuum analyze runs");
            try (ResultSet rs = st.executeQuery("select count(*) from runs")) {
                rs.next();
                line("loaded %,d runs into scope %s (%d services) in %.1f s", rs.getLong(1), SCOPE, SERVICES,
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static void inFlight(Statement st, String columns, String status, int count, String startedAt,
                                 String token) throws Exception {
        st.execute(columns + " select '" + SCOPE + "', 'run_" + status + "_' || n, 's' || (n % " + SERVICES + "), '"
                + status + "', 1, 3, 30, 'cmd_" + status + "_' || n, c, c, " + startedAt + ", null, 1, " + token + ","
                + (status.equals("running") ? " now() + interval '30 s', 'w'" : " null, null")
                + " from (select n, now() - random() * interval '10 minutes' as c from generate_series(1, " + count
                + ") n) x");
    }

    private void measure(Http admin, String window, boolean folded) throws Exception {
        double[] calls = new double[20];
        com.fasterxml.jackson.databind.JsonNode answer = null;
        for (int i = 0; i < calls.length; i++) {
            long t = System.nanoTime();
            Http.Reply r = admin.get("/v1/scopes/" + SCOPE + "/overview?window=" + window);
            calls[i] = (System.nanoTime() - t) / 1e6;
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            answer = r.json();
        }
        Arrays.sort(calls);
        long triggered = 0;
        for (var s : answer.get("services")) {
            triggered += s.get("triggered").asLong();
        }
        List<String> plans = folded ? List.of() : explainAll(window);
        line("window %-3s | runs triggered in it %,9d | GET /overview p50 %6.1f ms, max %6.1f ms | %s", window,
                triggered, calls[calls.length / 2], calls[calls.length - 1], String.join(", ", plans));
        if (folded || window.equals("15m") || window.equals("1h")) {
            assertThat(calls[calls.length / 2]).as(window + ": the median").isLessThan(MAX_MS);
        }
    }

    /** EXPLAIN ANALYZE of the overview's statements for a window: each one's time and the indexes it read. */
    private static List<String> explainAll(String window) throws Exception {
        long bucket = switch (window) {
            case "15m" -> 30;
            case "1h" -> 60;
            case "24h" -> 1800;
            default -> 14400;
        };
        long length = switch (window) {
            case "15m" -> 900;
            case "1h" -> 3600;
            case "24h" -> 86400;
            default -> 604800;
        };
        String from = "to_timestamp(floor(extract(epoch from now()) / " + bucket + ") * " + bucket + " - "
                + (length - bucket) + ")";
        List<String> out = new ArrayList<>();
        String sql = new String(OverviewScaleBench.class.getResourceAsStream(
                "/io/runledger/core/internal/store/overview.sql").readAllBytes(), StandardCharsets.UTF_8);
        for (String name : List.of("overviewCreated", "overviewSettled", "overviewDurations", "overviewNow")) {
            String statement = statement(sql, name).replace("cast(:from as timestamptz)", from)
                    .replace("cast(:since as timestamptz)", from)
                    .replace(":bucketSeconds", String.valueOf(bucket)).replace(":scope", "'" + SCOPE + "'");
            List<String> plan = new ArrayList<>();
            try (Connection c = TestDatabase.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("explain (analyze, buffers) " + statement)) {
                while (rs.next()) {
                    plan.add(rs.getString(1));
                }
            }
            String text = String.join("\n", plan);
            Matcher m = EXECUTION.matcher(text);
            assertThat(m.find()).as(text).isTrue();
            assertThat(text).as(name + "\n" + text).doesNotContain("Seq Scan on runs");
            out.add(String.format("%s %.1f ms (%s)", name, Double.parseDouble(m.group(1)), indexes(text)));
        }
        return out;
    }

    private static String statement(String file, String name) {
        int at = file.indexOf("-- name: " + name + "\n");
        int end = file.indexOf("-- name: ", at + 1);
        return (end < 0 ? file.substring(at) : file.substring(at, end)).lines()
                .filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + "\n" + b);
    }

    private static String indexes(String plan) {
        List<String> used = new ArrayList<>();
        Matcher m = Pattern.compile("(Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? using (\\w+)")
                .matcher(plan);
        while (m.find()) {
            String entry = m.group(2) + (m.group(1).equals("Index Only Scan") ? " (index only)" : "");
            if (!used.contains(entry)) {
                used.add(entry);
            }
        }
        return String.join(", ", used);
    }

    private void line(String format, Object... args) {
        String s = String.format(format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }
}
