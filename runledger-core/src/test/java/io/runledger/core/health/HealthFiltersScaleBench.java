package io.runledger.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Page;
import io.runledger.api.Run;
import io.runledger.api.RunFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.core.RunLedger;
import io.runledger.core.internal.kernel.Cursors;
import io.runledger.core.internal.store.RunStore;
import io.runledger.core.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.Test;

/**
 * Not part of the default suite (the name does not end in Test): loads 1,000,000 runs into one
 * scope in SQL and checks that every health filter's list query is an index scan that answers
 * in well under 50 ms, by EXPLAIN (ANALYZE) of the store's own statements and by timing the
 * engine's list call. Run it with
 * {@code ./mvnw -B -o test -pl runledger-core -Dtest=HealthFiltersScaleBench -Dsurefire.failIfNoSpecifiedTests=false};
 * it prints a table (also written to target/health-filters-bench.txt). BENCHMARKS.md records a run.
 */
class HealthFiltersScaleBench {
    static final String SCOPE = "bench";
    private static final double MAX_MS = 50.0;
    private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([0-9.]+) ms");

    private final StringBuilder report = new StringBuilder();

    /** One group of runs: how many, and the SQL expressions of its columns over n = 1..count. */
    private record Group(String name, int count, String status, String attempt, String createdAt, String updatedAt,
                         String lastEventAt, String leaseExpiresAt, String runAt) {
    }

    private static final List<Group> GROUPS = List.of(
            // finished runs over the last week; every 50th needed a second attempt
            new Group("finished", 944_330, "case when n % 50 = 0 then 'failed' else 'succeeded' end",
                    "case when n % 50 = 0 then 2 else 1 end", "now() - n * interval '640 ms'", "c", "c", "null", "null"),
            // a backlog being drained: queued in the last four minutes
            new Group("queued", 20_000, "'accepted'", "1", "now() - random() * interval '240 s'", "c", "c", "null",
                    "null"),
            new Group("queued, stuck", 500, "'accepted'", "1", "now() - interval '1 hour' - random() * interval '6 days'",
                    "c", "c", "null", "null"),
            // retried just now after a long first attempt: created long ago, queued again recently
            new Group("queued again", 5_000, "'accepted'", "2",
                    "now() - interval '1 hour' - random() * interval '6 days'", "now() - random() * interval '60 s'",
                    "u", "null", "null"),
            new Group("running", 10_000, "'running'", "case when n % 20 = 0 then 2 else 1 end",
                    "now() - random() * interval '1 hour'", "now() - random() * interval '20 s'",
                    "now() - random() * interval '60 s'", "now() + interval '30 s'", "null"),
            new Group("running, lease expired", 50, "'running'", "1", "now() - random() * interval '1 hour'",
                    "now() - interval '40 s'", "now() - interval '40 s'", "now() - interval '10 s'", "null"),
            new Group("running, silent", 100, "'running'", "1", "now() - interval '30 minutes' - random() * interval '1 hour'",
                    "now() - random() * interval '20 s'", "now() - interval '10 minutes'", "now() + interval '30 s'",
                    "null"),
            new Group("scheduled", 10_000, "'scheduled'", "1", "now() - random() * interval '1 day'", "c", "c", "null",
                    "now() + random() * interval '1 day'"),
            new Group("scheduled, overdue", 20, "'scheduled'", "1", "now() - interval '2 hours'", "c", "c", "null",
                    "now() - interval '1 hour'"),
            new Group("waiting", 10_000, "'waiting'", "case when n % 10 = 0 then 2 else 1 end",
                    "now() - random() * interval '2 days'", "c", "c", "null", "null"));

    @Test
    void healthFiltersAtOneMillionRuns() throws Exception {
        TestDatabase.truncate();
        try (RunLedger engine = TestDatabase.ledgerBuilder().build()) {
            engine.admin().scopePut(SCOPE);
            for (int s = 0; s < 10; s++) {
                engine.admin().servicePut(SCOPE, "s" + s, new ServiceSpec(3, 30, null, null, null, null));
            }
            load();
            try (Handle h = jdbi().open()) {
                line("runs in scope %s: %,d", SCOPE, h.createQuery("select count(*) from runs").mapTo(Long.class).one());
                measure(engine, h, "all runs (no health), first page", RunFilter.all());
                measure(engine, h, "retrying, first page", health(RunHealth.RETRYING));
                measure(engine, h, "retrying, service s3", health(RunHealth.RETRYING).withService("s3"));
                measure(engine, h, "retrying, status waiting", health(RunHealth.RETRYING).withStatus(RunStatus.WAITING));
                measure(engine, h, "retrying, page 2", secondPage(engine, health(RunHealth.RETRYING)));
                measure(engine, h, "stuck, first page", health(RunHealth.STUCK));
                measure(engine, h, "stuck, service s3", health(RunHealth.STUCK).withService("s3"));
                measure(engine, h, "stuck, status running", health(RunHealth.STUCK).withStatus(RunStatus.RUNNING));
                measure(engine, h, "stuck, page 2", secondPage(engine, health(RunHealth.STUCK)));
                measure(engine, h, "stuck after 30 days (only the expired leases)",
                        health(RunHealth.STUCK).withStuckAfterSeconds(RunFilter.MAX_HEALTH_SECONDS));
                measure(engine, h, "silent, first page", health(RunHealth.SILENT));
                measure(engine, h, "silent, service s3", health(RunHealth.SILENT).withService("s3"));
                measure(engine, h, "silent, page 2", secondPage(engine, health(RunHealth.SILENT).withLimit(50)));
                measure(engine, h, "silent for 1 hour (no match: every running run read)",
                        health(RunHealth.SILENT).withSilentForSeconds(3600));
                backfill(h);
            }
        } finally {
            Path out = Path.of("target", "health-filters-bench.txt");
            Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
            TestDatabase.truncate();
        }
    }

    /**
     * Why last_event_at is in no index: worker events on 2,000 running runs, appended one call
     * each, with the table as it is and with an index on (scope_id, last_event_at) of the
     * running runs. Prints the share of the appends' row updates that were HOT and their time.
     */
    @Test
    void appendsWithAndWithoutAnIndexOnLastEventAt() throws Exception {
        for (boolean indexed : new boolean[] {false, true}) {
            TestDatabase.truncate();
            try (RunLedger engine = TestDatabase.ledgerBuilder().build(); Handle h = jdbi().open()) {
                if (indexed) {
                    h.execute("create index bench_last_event on runs (scope_id, last_event_at) where status = 'running'");
                }
                engine.admin().scopePut(SCOPE);
                engine.admin().servicePut(SCOPE, "s0", new ServiceSpec(3, 300, null, null, null, null));
                List<io.runledger.api.Lease> leases = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    engine.runs().trigger(SCOPE, "s0", io.runledger.api.TriggerRequest.of(
                            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
                }
                while (leases.size() < 2_000) {
                    leases.addAll(engine.workers().lease(SCOPE, io.runledger.api.LeaseRequest.of("w", List.of("s0"), 1_000,
                            java.time.Duration.ZERO)));
                }
                long[] before = hotStats(h);
                int appends = 0;
                long start = System.nanoTime();
                for (int round = 0; round < 5; round++) {
                    for (io.runledger.api.Lease l : leases) {
                        engine.workers().append(SCOPE, l.runId(), l.leaseToken(), List.of(new io.runledger.api.EventDraft(
                                "progress", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
                        appends++;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                int expected = appends;
                // the engine's connections report their statistics when idle, within seconds
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                        .pollInterval(java.time.Duration.ofMillis(500))
                        .until(() -> hotStats(h)[0] - before[0] >= expected);
                long[] after = hotStats(h);
                line("appends %s an index on last_event_at: %,d row updates, %.0f%% HOT, %,.0f appends/s",
                        indexed ? "with" : "without", after[0] - before[0],
                        100.0 * (after[1] - before[1]) / (after[0] - before[0]), appends / seconds);
            } finally {
                TestDatabase.sql("drop index if exists bench_last_event");
            }
        }
        Files.writeString(Path.of("target", "health-filters-hot.txt"), report.toString(), StandardCharsets.UTF_8);
        TestDatabase.truncate();
    }

    private static long[] hotStats(Handle h) {
        h.execute("select pg_stat_clear_snapshot()");
        return h.createQuery("select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where relname = 'runs'")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
    }

    static Jdbi jdbi() {
        return Jdbi.create(TestDatabase.jdbcUrl(), TestDatabase.user(), TestDatabase.password());
    }

    static RunFilter health(RunHealth health) {
        return RunFilter.all().withHealth(health);
    }

    private static RunFilter secondPage(RunLedger engine, RunFilter filter) {
        Page<Run> first = engine.runs().list(SCOPE, filter);
        assertThat(first.nextCursor()).as("a second page of " + filter).isNotNull();
        return filter.withCursor(first.nextCursor());
    }

    private void load() throws Exception {
        long start = System.nanoTime();
        load(1);
        line("loaded %,d runs and their events in %.1f s", GROUPS.stream().mapToInt(Group::count).sum(),
                (System.nanoTime() - start) / 1e9);
    }

    /** Loads the groups of runs into scope {@value #SCOPE}, each group's count divided by {@code divisor}. */
    static void load(int divisor) throws Exception {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            int offset = 0;
            for (Group g : GROUPS) {
                // the group's expressions name the run's created_at c and its updated_at u
                st.execute("insert into runs (scope_id, run_id, service, status, attempt, max_attempts, lease_ttl_seconds,"
                        + " command_id, created_at, updated_at, last_event_at, lease_expires_at, run_at, last_seq,"
                        + " started_at, lease_token, worker_id, holds_key, finished_at)"
                        + " select '" + SCOPE + "', 'run_' || lpad((" + offset + " + n)::text, 10, '0'),"
                        + " 's' || (n % 10), status, attempt, 3, 30, 'cmd_' || n, c, u, e, l, r, 1,"
                        + " case when status in ('running', 'waiting') or attempt > 1 then c end,"
                        + " case when status = 'running' then gen_random_uuid()::text end,"
                        + " case when status = 'running' then 'w' end, false,"
                        + " case when status in ('succeeded', 'failed') then c end"
                        + " from (select y.*, " + g.lastEventAt() + " as e,"
                        + "         cast(" + g.leaseExpiresAt() + " as timestamptz) as l,"
                        + "         cast(" + g.runAt() + " as timestamptz) as r,"
                        + "         " + g.status() + " as status, " + g.attempt() + " as attempt"
                        + "       from (select x.*, " + g.updatedAt() + " as u"
                        + "             from (select n, " + g.createdAt() + " as c from generate_series(1, "
                        + Math.max(1, g.count() / divisor) + ") n) x) y) z");
                offset += g.count();
            }
            st.execute("insert into run_events (scope_id, run_id, seq, type, data, created_at)"
                    + " select scope_id, run_id, 1, 'run.accepted', '{}', last_event_at from runs where scope_id = '"
                    + SCOPE + "'");
            st.execute("vacuum analyze runs");
            st.execute("vacuum analyze run_events");
        }
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the store's list statement for this filter, in scope {@value #SCOPE}. */
    static List<String> explain(Handle h, RunFilter filter) {
        return bind(h.createQuery("explain (analyze, buffers) " + RunStore.listSql(filter)), filter)
                .mapTo(String.class).list();
    }

    private void measure(RunLedger engine, Handle h, String name, RunFilter filter) {
        List<String> plan = explain(h, filter);
        String text = String.join("\n", plan);
        Matcher m = EXECUTION.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        double explained = Double.parseDouble(m.group(1));
        // the engine's own call, 20 times (after 5 the driver prepares it on the server, and the
        // planner may switch to a generic plan: both are measured)
        double[] calls = new double[20];
        int rows = 0;
        for (int i = 0; i < calls.length; i++) {
            long t = System.nanoTime();
            rows = engine.runs().list(SCOPE, filter).items().size();
            calls[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(calls);
        line("%-55s rows %3d | EXPLAIN ANALYZE %7.2f ms | list() p50 %6.2f ms, max %6.2f ms | %s", name, rows,
                explained, calls[calls.length / 2], calls[calls.length - 1], indexes(plan));
        assertThat(text).as(name + "\n" + text).doesNotContain("Seq Scan on runs").contains("Index");
        assertThat(explained).as(name + "\n" + text).isLessThan(MAX_MS);
        assertThat(calls[calls.length / 2]).as(name + ": the list call's median").isLessThan(MAX_MS);
    }

    static String indexes(List<String> plan) {
        List<String> used = new ArrayList<>();
        Matcher m = Pattern.compile("(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? using (\\w+)")
                .matcher(String.join("\n", plan));
        while (m.find()) {
            if (!used.contains(m.group(1))) {
                used.add(m.group(1));
            }
        }
        return String.join(", ", used);
    }

    /** The store's own bindings, with the filter's cursor decoded as the engine does. */
    private static Query bind(Query q, RunFilter f) {
        Cursors.Position at = Cursors.decode(f.cursor());
        return RunStore.bindList(q, SCOPE, f, at == null ? null : at.createdAt(), at == null ? null : at.id(),
                f.limit() + 1);
    }

    /**
     * The migration's backfill over the million runs, timed: it writes only the runs in
     * progress; the settled ones answer their finished_at, the time of their terminal event.
     */
    private void backfill(Handle h) throws IOException {
        String migration = new String(HealthFiltersScaleBench.class.getResourceAsStream(
                "/db/migration/V12__run_health.sql").readAllBytes(), StandardCharsets.UTF_8);
        String update = RunHealthMigrationTest.backfillStatement(migration);
        h.execute("update runs set last_event_at = null");
        h.execute("vacuum analyze runs");
        long start = System.nanoTime();
        int updated = h.execute(update);
        double seconds = (System.nanoTime() - start) / 1e9;
        line("V12 backfill of lastEventAt: %,d runs in progress written in %.2f s", updated, seconds);
        assertThat(h.createQuery("select count(*) from runs r join run_events e on e.scope_id = r.scope_id"
                + " and e.run_id = r.run_id where coalesce(r.last_event_at, r.finished_at) is distinct from e.created_at")
                .mapTo(Long.class).one()).isZero();
    }

    private void line(String format, Object... args) {
        String s = String.format(format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }
}
