package io.runledger.server.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the default suite (the name does not end in Test): trigger throughput and
 * lease+complete throughput with 1, 2 and 3 {@code runledger serve} processes on one Debian
 * PostgreSQL (durable: fsync and synchronous_commit on), the same total client concurrency
 * (24 requests in flight) spread evenly over the instances. For each count of instances: a
 * fresh database, the processes started, a warm-up (1,500 runs per process), then
 *
 * <ul>
 *   <li><b>triggers/s</b>: {@code runledger.bench.runs} (default 6,000) single triggers
 *       ({@code POST .../services/load/runs}), 24 callers, caller k on instance k mod n;</li>
 *   <li><b>lease+complete runs/s</b>: 24 workers, worker k on instance k mod n, each leasing one
 *       run at a time ({@code max} 1, {@code waitSeconds} 0) and completing it, until the runs
 *       just triggered are all succeeded.</li>
 * </ul>
 *
 * It also reads the CPU time the serve processes, PostgreSQL and the driver used in each
 * phase, per run, which says what an instance costs and whether the machine was the limit.
 * Run it with
 * {@code ./mvnw -B -o test -pl runledger-server -Dtest=ServeProcessesBench -Dsurefire.failIfNoSpecifiedTests=false};
 * it prints a table (also written to target/serve-processes-bench.txt). BENCHMARKS.md records a
 * run. {@code -Drunledger.bench.instances=1,3} picks the counts. For the dedicated runs
 * database, {@code -Drunledger.bench.serveArgs="--runs-database-url {runs}"} passes extra serve
 * arguments to every process, {@code {runs}} replaced by the JDBC URL of a second database
 * made on the same cluster for each measurement.
 */
class ServeProcessesBench {
    private static final int IN_FLIGHT = 24;
    private static final String P = "/v1/scopes/bench";
    private static final Path REPORT = Path.of("target", "serve-processes-bench.txt");

    @TempDir
    Path dir;

    private final StringBuilder report = new StringBuilder();

    /** One measurement: instances, rates, per-request latencies and CPU per run of each phase. */
    private record Row(int instances, double triggersPerSecond, double triggerP50, double triggerP99, Cpu triggerCpu,
            double runsPerSecond, double cycleP50, double cycleP99, Cpu cycleCpu) {
    }

    /** CPU seconds used so far by the serve processes, PostgreSQL (postmaster and backends) and this JVM. */
    private record Cpu(double servers, double postgres, double driver, double wall) {
        static Cpu now(ServeProcesses procs, DebianPostgres pg) {
            double servers = 0;
            for (int i = 0; i < procs.size(); i++) {
                servers += cpu(ProcessHandle.of(procs.pid(i)).orElseThrow());
            }
            ProcessHandle postmaster = ProcessHandle.of(pg.postmasterPid()).orElseThrow();
            double postgres = cpu(postmaster) + postmaster.descendants().mapToDouble(Cpu::cpu).sum();
            return new Cpu(servers, postgres, cpu(ProcessHandle.current()), System.nanoTime() / 1e9);
        }

        private static double cpu(ProcessHandle p) {
            return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        }

        Cpu minus(Cpu before) {
            return new Cpu(servers - before.servers, postgres - before.postgres, driver - before.driver,
                    wall - before.wall);
        }

        /** Milliseconds of CPU per run: servers / PostgreSQL / driver, and the cores kept busy. */
        String perRun(int runs) {
            return String.format("%.2f / %.2f / %.2f ms (%.1f cores busy)", servers * 1000 / runs,
                    postgres * 1000 / runs, driver * 1000 / runs, (servers + postgres + driver) / wall);
        }
    }

    @Test
    void triggerAndLeaseThroughputWithOneTwoAndThreeProcesses() throws Exception {
        int runs = Integer.getInteger("runledger.bench.runs", 6_000);
        List<Integer> counts = Arrays.stream(System.getProperty("runledger.bench.instances", "1,2,3").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        String serveArgs = System.getProperty("runledger.bench.serveArgs", "").trim();
        List<Row> rows = new ArrayList<>();
        // -Drunledger.bench.secondPostgres=true: {runs} is a database of a second cluster (a
        // second PostgreSQL on its own port and data directory), not of the first one.
        boolean second = Boolean.getBoolean("runledger.bench.secondPostgres");
        try (DebianPostgres pg = DebianPostgres.start(); DebianPostgres pg2 = second ? DebianPostgres.start() : null) {
            line("%s; PostgreSQL %s (fsync on, synchronous_commit on); %d cores; JDK %s; %d runs per phase;"
                            + " %d requests in flight%s", Instant.now(), pg.version(),
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), runs, IN_FLIGHT,
                    serveArgs.isEmpty() ? "" : "; extra serve arguments: " + serveArgs
                            + (second ? " ({runs} on a second PostgreSQL; its CPU is not in the PostgreSQL column)"
                            : ""));
            for (int n : counts) {
                String url = pg.createDatabase("bench_" + n);
                List<String> extra = new ArrayList<>();
                if (!serveArgs.isEmpty()) {
                    String runsUrl = !serveArgs.contains("{runs}") ? null
                            : (second ? pg2 : pg).createDatabase("bench_" + n + "_runs");
                    for (String arg : serveArgs.split("\\s+")) {
                        extra.add(runsUrl == null ? arg : arg.replace("{runs}", runsUrl));
                    }
                }
                Path instanceDir = Files.createDirectories(dir.resolve("n" + n));
                ServeProcesses.Options options = ServeProcesses.Options.lean()
                        .withJvm(List.of("-Xmx512m", "-Xss512k")).withExtraArgs(extra);
                if (second) {
                    options = options.withExtraEnv(java.util.Map.of("RUNLEDGER_RUNS_DATABASE_USER", pg2.user(),
                            "RUNLEDGER_RUNS_DATABASE_PASSWORD", pg2.password()));
                }
                try (ServeProcesses procs = ServeProcesses.start(instanceDir, n, url, pg.user(), pg.password(), options)) {
                    rows.add(measure(procs, pg, runs));
                }
            }
        }
        line("");
        line("| serve processes | triggers/s | trigger p50 | trigger p99 | lease+complete runs/s | lease+complete p50 | p99 |");
        line("| --- | --- | --- | --- | --- | --- | --- |");
        for (Row r : rows) {
            line("| %d | %,.0f | %.1f ms | %.1f ms | %,.0f | %.1f ms | %.1f ms |", r.instances(), r.triggersPerSecond(),
                    r.triggerP50(), r.triggerP99(), r.runsPerSecond(), r.cycleP50(), r.cycleP99());
        }
        line("");
        line("CPU per run (serve processes / PostgreSQL / this driver), and how many of the cores the three kept busy:");
        line("");
        line("| serve processes | trigger | lease+complete |");
        line("| --- | --- | --- |");
        for (Row r : rows) {
            line("| %d | %s | %s |", r.instances(), r.triggerCpu().perRun(runs), r.cycleCpu().perRun(runs));
        }
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report);
        System.out.println("written to " + REPORT.toAbsolutePath());
    }

    private Row measure(ServeProcesses procs, DebianPostgres pg, int runs) throws Exception {
        int n = procs.size();
        Http admin = new Http(procs.url(0), procs.adminKey());
        assertThat(admin.put("/v1/scopes/bench", null).status()).isEqualTo(201);
        String key = admin.post("/v1/scopes/bench/keys", "{\"name\":\"bench\"}").json().get("key").asText();
        assertThat(admin.put(P + "/services/load", "{\"maxAttempts\":3,\"leaseTtlSeconds\":60}").status()).isEqualTo(200);
        Http[] instances = new Http[n];
        for (int i = 0; i < n; i++) {
            instances[i] = new Http(procs.url(i), key);
        }
        IntFunction<Http> forCaller = k -> instances[k % n];

        // Warm-up: the same two phases, 1,500 runs per process, so that each process measures
        // compiled code, however many share the load.
        int warmUp = 1_500 * n;
        triggers(forCaller, warmUp);
        leaseAndComplete(forCaller, warmUp);

        long[] triggerNanos = new long[runs];
        Cpu before = Cpu.now(procs, pg);
        double triggersPerSecond = runs / seconds(() -> triggers(forCaller, runs, triggerNanos));
        Cpu between = Cpu.now(procs, pg);
        long[] cycleNanos = new long[runs];
        double runsPerSecond = runs / seconds(() -> leaseAndComplete(forCaller, runs, cycleNanos));
        Cpu after = Cpu.now(procs, pg);
        Row row = new Row(n, triggersPerSecond, percentile(triggerNanos, 50), percentile(triggerNanos, 99),
                between.minus(before), runsPerSecond, percentile(cycleNanos, 50), percentile(cycleNanos, 99),
                after.minus(between));
        line("%d serve process(es): %,.0f triggers/s, %,.0f lease+complete runs/s", n, triggersPerSecond, runsPerSecond);
        return row;
    }

    private void triggers(IntFunction<Http> forCaller, int runs) throws InterruptedException {
        triggers(forCaller, runs, new long[runs]);
    }

    /** {@code runs} triggers from {@link #IN_FLIGHT} callers; each request's time into {@code nanos}. */
    private void triggers(IntFunction<Http> forCaller, int runs, long[] nanos) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int k = 0; k < IN_FLIGHT; k++) {
            Http http = forCaller.apply(k);
            callers.add(Thread.ofVirtual().start(() -> {
                for (int i; (i = next.getAndIncrement()) < runs; ) {
                    long t = System.nanoTime();
                    Http.Reply r = http.post(P + "/services/load/runs", "{\"input\":{\"i\":" + i + "}}");
                    nanos[i] = System.nanoTime() - t;
                    if (r.status() != 202) {
                        throw new AssertionError("trigger answered " + r);
                    }
                }
            }));
        }
        for (Thread t : callers) {
            t.join();
        }
        assertThat(next.get()).isGreaterThanOrEqualTo(runs);
    }

    private void leaseAndComplete(IntFunction<Http> forCaller, int runs) throws InterruptedException {
        leaseAndComplete(forCaller, runs, new long[runs]);
    }

    /**
     * {@link #IN_FLIGHT} workers lease one run each and complete it, until {@code runs} are
     * done; each lease+complete cycle's time into {@code nanos}.
     */
    private void leaseAndComplete(IntFunction<Http> forCaller, int runs, long[] nanos) throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int k = 0; k < IN_FLIGHT; k++) {
            Http http = forCaller.apply(k);
            String lease = "{\"workerId\":\"bench-" + k + "\",\"services\":[\"load\"],\"max\":1,\"waitSeconds\":0}";
            workers.add(Thread.ofVirtual().start(() -> {
                try {
                    while (done.get() < runs) {
                        long t = System.nanoTime();
                        Http.Reply r = http.post(P + "/workers/lease", lease);
                        JsonNode leases = r.json().get("leases");
                        if (leases.isEmpty()) {
                            continue; // the last runs are being completed by others
                        }
                        JsonNode l = leases.get(0);
                        Http.Reply c = http.post(P + "/runs/" + l.get("runId").asText() + "/complete",
                                "{\"leaseToken\":\"" + l.get("leaseToken").asText() + "\",\"output\":null}");
                        if (c.status() != 200) {
                            throw new AssertionError("complete answered " + c);
                        }
                        int i = done.getAndIncrement();
                        if (i < nanos.length) {
                            nanos[i] = System.nanoTime() - t;
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    done.set(runs);
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(done.get()).isEqualTo(runs);
    }

    private interface Phase {
        void run() throws Exception;
    }

    private static double seconds(Phase phase) throws Exception {
        long t = System.nanoTime();
        phase.run();
        return (System.nanoTime() - t) / 1e9;
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
    }

    private void line(String format, Object... args) {
        String s = String.format(format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }
}
