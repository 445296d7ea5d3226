package io.runledger.server.cli;

import static io.runledger.server.cli.BenchHttp.percentile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.RetentionResult;
import io.runledger.core.RunLedger;
import io.runledger.server.RunLedgerServer;
import io.runledger.server.auth.AdminKey;
import io.runledger.server.http.ServerJson;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runledger bench retention}: how fast retention deletes old terminal runs with their
 * ledger, and what that costs the triggers running meanwhile. It starts its own server over
 * an embedded PostgreSQL (durable settings) in a temporary directory, writes {@code --events}
 * old events in {@code --events-per-run}-event succeeded runs straight into the database
 * (setup: finished 35 days ago, in a service that keeps 1 day), then measures HTTP triggers
 * (with a worker completing them) first alone, then while retention passes run back to back
 * until every old run is gone.
 */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Measure retention's deletion rate (events/s, runs/s) and the trigger p50/p99 "
                + "while it runs vs. without.")
public final class RetentionBenchCommand implements Callable<Integer> {
    private static final String SCOPE = "bench-retention";

    @Option(names = "--events", defaultValue = "1000000", description = "Old events to delete (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--events-per-run", defaultValue = "20",
            description = "Events per old run (default ${DEFAULT-VALUE}).")
    int perRun;

    @Option(names = "--concurrency", defaultValue = "4",
            description = "Concurrent trigger callers (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--baseline-seconds", defaultValue = "20",
            description = "How long triggers are measured alone (default ${DEFAULT-VALUE}).")
    int baselineSeconds;

    private final HttpClient http = BenchHttp.client();

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("runledger-bench-retention");
        AdminKey admin = AdminKey.fromDataDirectory(dir);
        // the background pass would start on its own; this bench runs the passes itself
        try (RunLedger ledger = RunLedger.builder().dataDirectory(dir).retentionInterval(Duration.ofDays(1)).build();
             RunLedgerServer server = RunLedgerServer.builder(ledger).port(0).adminKeyHash(admin.hash()).start()) {
            measure(ledger, server.url(), admin.key());
        }
        return 0;
    }

    private void measure(RunLedger ledger, String base, String key) throws Exception {
        send(base, key, "PUT", "/v1/scopes/" + SCOPE, "{}");
        send(base, key, "PUT", "/v1/scopes/" + SCOPE + "/services/old", "{\"retentionDays\":1}");
        send(base, key, "PUT", "/v1/scopes/" + SCOPE + "/services/live", "{}");
        long runs = (events + perRun - 1) / perRun;
        System.out.printf("machine: %d cores, %s, JDK %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("java.version"), pgVersion(ledger.dataSource()));
        long t0 = System.nanoTime();
        insertOld(ledger.dataSource(), runs);
        System.out.printf("setup: %d old runs with %d events each (%d events) written in %.1f s%n", runs, perRun,
                runs * perRun, (System.nanoTime() - t0) / 1e9);

        System.out.println("plan of a retention transaction's candidate query:");
        explain(ledger.dataSource()).forEach(line -> System.out.println("  " + line));

        Load warmup = Load.start(this, base, key);
        Thread.sleep(15_000);
        warmup.stop();
        Load alone = Load.start(this, base, key);
        Thread.sleep(baselineSeconds * 1000L);
        alone.stop();
        alone.report("triggers alone");

        Load during = Load.start(this, base, key);
        long started = System.nanoTime();
        RetentionResult deleted = RetentionResult.NONE;
        while (deleted.runs() < runs) {
            RetentionResult pass = ledger.maintenance().retention();
            if (pass.runs() == 0) {
                throw new IllegalStateException("a retention pass deleted nothing with " + (runs - deleted.runs())
                        + " old runs left");
            }
            deleted = deleted.plus(pass);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        during.stop();
        System.out.printf("retention: %d runs and %d events deleted in %.1f s = %.0f events/s, %.0f runs/s"
                        + " (passes back to back; each pass rests as long as each transaction took)%n",
                deleted.runs(), deleted.events(), seconds, deleted.events() / seconds, deleted.runs() / seconds);
        during.report("triggers during retention");
        Load after = Load.start(this, base, key);
        Thread.sleep(baselineSeconds * 1000L);
        after.stop();
        after.report("triggers alone, after retention");
        if (count(ledger.dataSource(), "select count(*) from runs where service = 'old'") != 0) {
            throw new IllegalStateException("old runs left after retention");
        }
    }

    /** Old succeeded runs and their events, written by two statements in bounded chunks. */
    private void insertOld(DataSource ds, long runs) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            for (long from = 1; from <= runs; from += 10_000) {
                long to = Math.min(runs, from + 9_999);
                try (PreparedStatement p = c.prepareStatement("""
                        insert into runs (scope_id, run_id, service, status, max_attempts, lease_ttl_seconds,
                                          input, command_id, created_at, started_at, finished_at, updated_at, last_seq)
                        select ?, 'run_0ld' || lpad(g::text, 23, '0'), 'old', 'succeeded', 3, 30, '{"n":1}',
                               'cmd_' || g, now() - interval '36 days', now() - interval '36 days',
                               now() - interval '35 days', now() - interval '35 days', ?
                        from generate_series(?::bigint, ?::bigint) g""")) {
                    p.setString(1, SCOPE);
                    p.setInt(2, perRun);
                    p.setLong(3, from);
                    p.setLong(4, to);
                    p.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("""
                        insert into run_events (scope_id, run_id, seq, type, data, created_at)
                        select ?, 'run_0ld' || lpad(g::text, 23, '0'), s,
                               case when s = 1 then 'run.accepted' when s = ? then 'run.succeeded' else 'progress' end,
                               '{"pct":50}', now() - interval '36 days'
                        from generate_series(?::bigint, ?::bigint) g, generate_series(1, ?) s""")) {
                    p.setString(1, SCOPE);
                    p.setInt(2, perRun);
                    p.setLong(3, from);
                    p.setLong(4, to);
                    p.setInt(5, perRun);
                    p.executeUpdate();
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("vacuum analyze runs");
                st.execute("vacuum analyze run_events");
            }
        }
    }

    /** EXPLAIN of the candidate query as a retention transaction runs it (bound values inlined). */
    private static List<String> explain(DataSource ds) throws SQLException {
        List<String> plan = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     explain select r.run_id, r.last_seq, r.command_id, r.batch_id from runs r
                     where r.scope_id = 'bench-retention' and r.service = 'old'
                       and r.status in ('succeeded', 'failed', 'cancelled', 'expired')
                       and r.finished_at < now() - make_interval(days => 1)
                       and not coalesce((select true from runs t
                                         where t.scope_id = r.scope_id
                                           and t.root_run_id = coalesce(r.root_run_id, r.run_id)
                                           and t.status in ('accepted', 'scheduled', 'running', 'waiting')
                                         limit 1), false)
                       and (r.root_run_id is null
                            or coalesce((select root.status from runs root
                                         where root.scope_id = r.scope_id and root.run_id = r.root_run_id),
                                        'succeeded') in ('succeeded', 'failed', 'cancelled', 'expired'))
                     order by r.finished_at limit 1000 for update of r skip locked """)) {
            while (rs.next()) {
                plan.add(rs.getString(1));
            }
        }
        return plan;
    }

    private static String pgVersion(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("show server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        }
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Triggers of service {@code live} from {@code --concurrency} callers, and a worker completing them. */
    private static final class Load {
        private final AtomicBoolean going = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        private final List<Future<?>> tasks = new ArrayList<>();
        private long started;
        private long stopped;
        private int callers;

        static Load start(RetentionBenchCommand bench, String base, String key) {
            Load load = new Load();
            load.started = System.nanoTime();
            load.callers = bench.concurrency;
            String trigger = "/v1/scopes/" + SCOPE + "/services/live/runs";
            for (int i = 0; i < bench.concurrency; i++) {
                load.tasks.add(load.pool.submit(() -> {
                    while (load.going.get()) {
                        long t = System.nanoTime();
                        bench.send(base, key, "POST", trigger, "{\"input\":{\"n\":1}}");
                        load.latencies.add(System.nanoTime() - t);
                    }
                    return null;
                }));
            }
            load.tasks.add(load.pool.submit(() -> {
                String lease = "{\"workerId\":\"bench\",\"services\":[\"live\"],\"max\":100,\"waitSeconds\":1}";
                while (load.going.get()) {
                    JsonNode leases = bench.send(base, key, "POST", "/v1/scopes/" + SCOPE + "/workers/lease", lease)
                            .get("leases");
                    if (leases.isEmpty()) {
                        continue;
                    }
                    ObjectNode body = ServerJson.MAPPER.createObjectNode();
                    ArrayNode items = body.putArray("items");
                    leases.forEach(l -> items.addObject().put("runId", l.get("runId").asText())
                            .put("leaseToken", l.get("leaseToken").asText()));
                    bench.send(base, key, "POST", "/v1/scopes/" + SCOPE + "/runs:complete", body.toString());
                }
                return null;
            }));
            return load;
        }

        void stop() throws Exception {
            going.set(false);
            stopped = System.nanoTime();
            for (Future<?> f : tasks) {
                f.get();
            }
            pool.close();
        }

        void report(String what) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            double seconds = (stopped - started) / 1e9;
            System.out.printf("%s: %d triggers in %.1f s = %.0f/s, %d callers: p50 %.2f ms, p99 %.2f ms%n", what,
                    sorted.length, seconds, sorted.length / seconds, callers,
                    percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6);
        }
    }

    private JsonNode send(String base, String key, String method, String path, String body) {
        return BenchHttp.send(http, Duration.ofSeconds(60), base, key, method, path, body);
    }
}
