package io.runledger.server.scaleout;

import static io.runledger.server.scaleout.LoadState.P;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.server.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RunLedger scaled out for real: three {@code runledger serve} processes (separate JVMs) on one
 * Debian PostgreSQL, and a driver that pushes 2,000 runs through instances picked at random.
 * Triggers (single and batched, each with an idempotency key; a tenth repeated on purpose on
 * another instance; some waiting for a concurrency key), workers that lease, heartbeat,
 * append, complete and fail through random instances, cancels sent to random instances, a
 * schedule firing every second, and a bulk cancel issued on one instance while the others
 * work. In the middle one instance is killed with SIGKILL together with the workers that lease
 * through it, and restarted on the same database: what they held comes back by lease expiry.
 *
 * <p>At the end: no run is left non-terminal; every run has exactly one terminal event and a
 * gapless ledger whose end matches its status, read in SQL and through the API of random
 * instances; idempotent repeats answered the same run; no snapshot (one every 100 ms) ever
 * saw two running runs of one concurrency key; each schedule fire time fired once; 50 streams dropped midway on one instance
 * and resumed with {@code Last-Event-ID} on another are gapless, without duplicates, to the
 * terminal event. The seed is printed; {@code -Drunledger.seed=N} replays a plan (the timing of
 * threads and processes is the machine's).
 */
class ThreeServeProcessesTest {
    private static final int INSTANCES = 3;
    private static final int RUNS = 2_000;
    private static final int STREAM_EVERY = RUNS / 50;
    private static final int PRODUCERS = 8;
    private static final int WORKERS = 6;
    private static final int KILLED = 2;
    private static final int KILL_AT = RUNS * 2 / 5;
    private static final int BULK_AT = RUNS * 3 / 5;
    private static final String DATABASE = "runledger";
    /** With the runs database split off: every run lives there, the main database keeps the control plane. */
    private static final String RUNS_DATABASE = "runledger_runs";
    private static final Set<String> TERMINAL_STATUSES = Set.of("succeeded", "failed", "cancelled", "expired");

    @TempDir
    Path dir;

    private final LoadState state = new LoadState();
    private final AtomicInteger answeredBeforeRestart = new AtomicInteger(-1);

    /** The databases holding runs: the main one, or the runs database when split. */
    private List<String> runDatabases = List.of(DATABASE);

    @ParameterizedTest(name = "runs database split off: {0}")
    @ValueSource(booleans = {false, true})
    void twoThousandRunsThroughThreeProcessesOnOneDebianPostgres(boolean split) throws Exception {
        long seed = Long.getLong("runledger.seed", System.nanoTime());
        System.out.println("ThreeServeProcessesTest seed " + seed + " (-Drunledger.seed=" + seed + " replays the plan)");
        LoadPlan plan = LoadPlan.make(seed, RUNS, STREAM_EVERY, 8);
        long t0 = System.nanoTime();
        try (DebianPostgres pg = DebianPostgres.start()) {
            String url = pg.createDatabase(DATABASE);
            ServeProcesses.Options options = ServeProcesses.Options.lean();
            if (split) {
                options = options.withExtraArgs(List.of("--runs-database-url", pg.createDatabase(RUNS_DATABASE)));
                runDatabases = List.of(RUNS_DATABASE, DATABASE);
            }
            long pgReady = System.nanoTime();
            try (ServeProcesses procs = ServeProcesses.start(dir, INSTANCES, url, pg.user(), pg.password(),
                    options)) {
                long serversReady = System.nanoTime();
                System.out.printf("PostgreSQL %s up in %d ms; %d serve processes listening %d ms later%n",
                        pg.version(), ms(pgReady - t0), INSTANCES, ms(serversReady - pgReady));
                try {
                    drive(seed, plan, pg, procs);
                } catch (AssertionError | Exception e) {
                    for (int i = 0; i < INSTANCES; i++) {
                        System.out.println("---- instance " + i + " ----\n" + tail(procs.allOutput(i), 6000));
                    }
                    System.out.println("---- postgres ----\n" + tail(pg.log(), 4000));
                    throw e;
                }
            }
        }
        System.out.printf("ThreeServeProcessesTest took %d ms in all%n", ms(System.nanoTime() - t0));
    }

    private void drive(long seed, LoadPlan plan, DebianPostgres pg, ServeProcesses procs) throws Exception {
        Http admin = new Http(procs.url(0), procs.adminKey());
        assertThat(admin.put("/v1/scopes/load", null).status()).isEqualTo(201);
        String key = admin.post("/v1/scopes/load/keys", "{\"name\":\"driver\"}").json().get("key").asText();
        AnyInstance any = new AnyInstance(procs, key);
        Http first = any.http(1);
        // Short leases, so that what a killed worker held comes back within seconds; a retry at once.
        assertThat(first.put(P + "/services/work", "{\"maxAttempts\":3,\"leaseTtlSeconds\":3,"
                + "\"retry\":{\"initialDelaySeconds\":0,\"jitter\":0}}").status()).isEqualTo(200);
        assertThat(first.put(P + "/services/tick", "{\"maxAttempts\":1,\"leaseTtlSeconds\":3}").status()).isEqualTo(200);
        Http.Reply schedule = any.http(2).put(P + "/schedules/tick", "{\"service\":\"tick\",\"cron\":\"* * * * * *\"}");
        assertThat(schedule.status()).as(schedule.toString()).isEqualTo(201);

        List<LoadWorker> workers = new ArrayList<>();
        List<Thread> workerThreads = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            // Workers 2 and 5 lease through the instance that will be killed, and die with it.
            LoadWorker worker = new LoadWorker("w" + w, w % INSTANCES == KILLED ? KILLED : -1, any, state, seed);
            workers.add(worker);
            workerThreads.add(Thread.ofVirtual().name("worker-" + w).start(worker));
        }
        List<LoadWorker> doomedWorkers = workers.stream().filter(w -> w.home() == KILLED).toList();

        CountDownLatch stopChecks = new CountDownLatch(1);
        AtomicInteger keySnapshots = new AtomicInteger();
        Thread keyChecker = Thread.ofVirtual().start(() -> checkConcurrencyKeys(pg, stopChecks, keySnapshots));

        CountDownLatch doomedTriggered = new CountDownLatch((int) plan.count(LoadPlan.RunSpec::doomed));
        List<String> cancellable = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Future<StreamResume.Followed>> streams = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();

        AtomicReference<String> killReport = new AtomicReference<>("not killed");
        Thread chaos = Thread.ofVirtual().name("chaos").start(() -> killAndRestart(procs, any, doomedWorkers, killReport));
        AtomicReference<String> bulkId = new AtomicReference<>();
        Thread bulk = Thread.ofVirtual().name("bulk").start(() -> bulkCancel(any, doomedTriggered, bulkId));

        long start = System.nanoTime();
        AtomicInteger cursor = new AtomicInteger();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            Random random = new Random(seed + 1 + p);
            producers.add(Thread.ofVirtual().name("producer-" + p).start(() -> {
                for (int u; (u = cursor.getAndIncrement()) < plan.units.size(); ) {
                    try {
                        trigger(any, random, plan.units.get(u), doomedTriggered, cancellable, streams, readers);
                    } catch (RuntimeException e) {
                        state.anomaly("unit " + u + ": " + e);
                    }
                }
            }));
        }
        for (Thread p : producers) {
            assertThat(p.join(Duration.ofSeconds(180))).as("producers done").isTrue();
        }
        long produced = System.nanoTime();
        System.out.printf("%d runs triggered in %d ms (%d units, %d batches); %d cancels sent%n", state.triggered.get(),
                ms(produced - start), plan.units.size(), plan.batches(), state.cancels.get());
        assertThat(chaos.join(Duration.ofSeconds(120))).as("kill and restart done").isTrue();
        assertThat(bulk.join(Duration.ofSeconds(60))).as("bulk cancel issued").isTrue();

        Http.Reply off = any.call(new Random(seed), h -> h.put(P + "/schedules/tick",
                "{\"service\":\"tick\",\"cron\":\"* * * * * *\",\"enabled\":false}")).reply();
        assertThat(off.status()).as(off.toString()).isEqualTo(200);

        Awaitility.await("every run terminal").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> nonTerminal(pg) == 0);
        long settled = System.nanoTime();
        System.out.printf("every run terminal %d ms after the last trigger%n", ms(settled - produced));
        workers.forEach(LoadWorker::stop);
        for (int w = 0; w < WORKERS; w++) {
            assertThat(workerThreads.get(w).join(Duration.ofSeconds(10))).as("worker stopped").isTrue();
            assertThat(workers.get(w).drained(Duration.ofSeconds(10))).as("worker drained").isTrue();
        }
        readers.shutdown();
        assertThat(readers.awaitTermination(60, TimeUnit.SECONDS)).as("stream readers done").isTrue();
        stopChecks.countDown();
        keyChecker.join(Duration.ofSeconds(10));

        Http.Reply action = any.call(new Random(seed), h -> h.get(P + "/bulk-actions/" + bulkId.get())).reply();
        System.out.println("bulk action: " + action.json());
        System.out.println(killReport.get());
        System.out.printf("workers: leased %d, completed %d (+%d in runs:complete), failed retryably %d, for good %d,"
                        + " heartbeats %d, stops obeyed %d, lease lost %d, already settled %d, abandoned by killed"
                        + " workers %d%n",
                state.leased.get(), state.completed.get(), state.batchCompleted.get(), state.failedRetryable.get(),
                state.failedFatal.get(), state.heartbeats.get(), state.stopsSeen.get(), state.leaseLost.get(),
                state.alreadySettled.get(), state.abandoned.size());
        System.out.printf("answers per instance %s, requests sent again after a connection failed %d,"
                + " concurrency-key snapshots %d%n", any.answeredPerInstance(), any.failovers(), keySnapshots.get());

        assertThat(state.anomalies).as("unexpected answers").isEmpty();
        verify(seed, plan, pg, any, procs, streams, action.json());
        System.out.printf("verified in %d ms%n", ms(System.nanoTime() - settled));
    }

    /** Sends one unit (a trigger or a batch) to a random instance; then maybe a repeat and a cancel. */
    private void trigger(AnyInstance any, Random random, LoadPlan.Unit unit, CountDownLatch doomedTriggered,
            List<String> cancellable, List<Future<StreamResume.Followed>> streams, ExecutorService readers) {
        String body = unit.body();
        if (unit.batch()) {
            AnyInstance.Answer a = any.call(random, h -> h.post(P + "/services/work/batches", body));
            if (a.reply().status() != 202) {
                state.anomaly("batch answered " + a.reply());
                return;
            }
            JsonNode runIds = a.reply().json().get("runIds");
            for (int i = 0; i < unit.runs().size(); i++) {
                state.registered(unit.runs().get(i).index(), runIds.get(i).asText());
                cancellable.add(runIds.get(i).asText());
            }
            state.triggered.addAndGet(unit.runs().size());
            return;
        }
        LoadPlan.RunSpec run = unit.runs().getFirst();
        AnyInstance.Answer a = any.call(random, h -> h.post(P + "/services/work/runs", body));
        Http.Reply r = a.reply();
        // 200 only where the first answer was lost with a killed instance and this is its repeat.
        if (r.status() != 202 && !(r.status() == 200 && "true".equals(r.header("Idempotent-Replayed")))) {
            state.anomaly("trigger " + run.index() + " answered " + r);
            return;
        }
        String runId = r.json().get("runId").asText();
        state.registered(run.index(), runId);
        if (run.streamed()) {
            CountDownLatch dropped = state.dropped(runId);
            Random readerRandom = new Random(random.nextLong());
            streams.add(readers.submit(() -> StreamResume.follow(any, readerRandom, runId, dropped)));
        } else {
            cancellable.add(runId);
        }
        if (run.doomed()) {
            doomedTriggered.countDown();
        }
        if (run.repeat()) {
            AnyInstance.Answer again = any.call(random, a.instance(), h -> h.post(P + "/services/work/runs", body));
            state.repeats.incrementAndGet();
            if (again.instance() != a.instance()) {
                state.repeatsElsewhere.incrementAndGet();
            }
            Http.Reply rr = again.reply();
            if (rr.status() != 200 || !"true".equals(rr.header("Idempotent-Replayed"))
                    || !runId.equals(rr.json().path("runId").asText())) {
                state.anomaly("repeat of run " + run.index() + " (" + runId + ") answered " + rr);
            }
        }
        state.triggered.incrementAndGet();
        if (random.nextInt(100) < 8 && !cancellable.isEmpty()) {
            // One of the latest runs: likely queued or running still, so the cancel has work to do.
            int recent = Math.min(40, cancellable.size());
            String victim = cancellable.get(cancellable.size() - 1 - random.nextInt(recent));
            Http.Reply c = any.call(random, h -> h.post(P + "/runs/" + victim + "/cancel",
                    "{\"reason\":\"load test\"}")).reply();
            state.cancels.incrementAndGet();
            if (c.status() != 200 && c.status() != 202) {
                state.anomaly("cancel " + victim + " answered " + c);
            }
        }
    }

    /**
     * At 40% of the load: the workers that lease through instance 2 die, instance 2 gets
     * SIGKILL while the others serve, and both come back: the instance on the same database.
     */
    private void killAndRestart(ServeProcesses procs, AnyInstance any, List<LoadWorker> doomedWorkers,
            AtomicReference<String> report) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> state.triggered.get() >= KILL_AT);
            // Kill while those workers work on runs, so that something is left to lease expiry (a run
            // whose handler is in its last call would still be settled by that call).
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                    .until(() -> doomedWorkers.stream().anyMatch(w -> w.workingFor(Duration.ofMillis(40))));
            int held = doomedWorkers.stream().mapToInt(w -> w.held.size()).sum();
            doomedWorkers.forEach(LoadWorker::kill);
            procs.kill(KILLED);
            long killed = System.nanoTime();
            procs.restart(KILLED);
            long restarted = System.nanoTime();
            doomedWorkers.forEach(LoadWorker::revive);
            answeredBeforeRestart.set(any.answered(KILLED));
            String sweep = procs.output(KILLED).lines().filter(l -> l.contains("boot sweep")).findFirst()
                    .orElse("(no boot sweep line)");
            report.set(String.format("instance %d killed at %d runs triggered with its workers holding %d runs;"
                            + " restarted and listening %d ms later; its %s", KILLED, KILL_AT, held,
                    ms(restarted - killed), sweep.substring(sweep.indexOf("boot sweep"))));
        } catch (Exception | AssertionError e) {
            state.anomaly("kill and restart: " + e);
        }
    }

    /** Once every doomed run is registered and 60% of the load is in: a bulk cancel on one instance. */
    private void bulkCancel(AnyInstance any, CountDownLatch doomedTriggered, AtomicReference<String> id) {
        try {
            assertThat(doomedTriggered.await(120, TimeUnit.SECONDS)).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> state.triggered.get() >= BULK_AT);
            Http.Reply r = any.call(new Random(), h -> h.post(P + "/bulk-actions", "{\"action\":\"cancel\","
                    + "\"filter\":{\"tag\":\"" + LoadPlan.DOOMED + "\"},\"reason\":\"bulk\","
                    + "\"idempotencyKey\":\"cancel-doomed\"}")).reply();
            if (r.status() != 202) {
                state.anomaly("bulk cancel answered " + r);
                return;
            }
            id.set(r.json().get("bulkActionId").asText());
        } catch (Exception | AssertionError e) {
            state.anomaly("bulk cancel: " + e);
        }
    }

    /** Every 100 ms, one snapshot: never two running runs of one concurrency key. */
    private void checkConcurrencyKeys(DebianPostgres pg, CountDownLatch stop, AtomicInteger snapshots) {
        // Per database: one key's runs live in one database, but two snapshots of two databases
        // are not one moment (a key's last run there may end as its first run here starts).
        List<Connection> connections = new ArrayList<>();
        try {
            for (String db : runDatabases) {
                connections.add(pg.connect(db));
            }
            do {
                for (Connection c : connections) {
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select concurrency_key, count(*) from runs where scope_id = 'load'"
                        + " and status = 'running' and concurrency_key is not null group by 1 having count(*) > 1")) {
                        while (rs.next()) {
                            state.anomaly("concurrency key " + rs.getString(1) + " has " + rs.getInt(2)
                                    + " running runs");
                        }
                    }
                }
                snapshots.incrementAndGet();
            } while (!stop.await(100, TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            state.anomaly("concurrency key check: " + e);
        } finally {
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // closing a checker's connection: nothing to do
                }
            }
        }
    }

    private int nonTerminal(DebianPostgres pg) throws Exception {
        int n = 0;
        for (String db : runDatabases) {
            try (Connection c = pg.connect(db); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*) from runs where scope_id = 'load'"
                         + " and status not in ('succeeded', 'failed', 'cancelled', 'expired')")) {
                rs.next();
                n += rs.getInt(1);
            }
        }
        return n;
    }

    /** One run's ledger as SQL sees it. */
    private record Ledger(String runId, String service, String status, String commandId, long lastSeq, long events,
            long maxSeq, long terminals, long terminalSeq, String terminalType, boolean leaseExpired) {
    }

    private void verify(long seed, LoadPlan plan, DebianPostgres pg, AnyInstance any, ServeProcesses procs,
            List<Future<StreamResume.Followed>> streams, JsonNode action) throws Exception {
        Map<String, Ledger> ledgers = ledgers(pg);

        // Every run, in SQL: one terminal event, the last of a gapless ledger, matching the status.
        List<String> bad = new ArrayList<>();
        for (Ledger l : ledgers.values()) {
            if (!TERMINAL_STATUSES.contains(l.status()) || l.terminals() != 1 || l.terminalSeq() != l.maxSeq()
                    || l.maxSeq() != l.events() || l.lastSeq() != l.events()
                    || !("run." + l.status()).equals(l.terminalType())) {
                bad.add(l.toString());
            }
        }
        assertThat(bad).as("runs whose ledger does not end in exactly one terminal event").isEmpty();

        // The 2,000 runs and no more: no retry and no repeat made a second run.
        assertThat(state.runIdByIndex).hasSize(RUNS);
        assertThat(ledgers.values().stream().filter(l -> l.service().equals("work")).count()).isEqualTo(RUNS);
        assertThat(ledgers.keySet()).containsAll(state.runIdByIndex.values());
        assertThat(state.repeats.get()).isEqualTo(plan.count(LoadPlan.RunSpec::repeat));
        assertThat(state.repeatsElsewhere.get()).as("repeats answered by another instance").isEqualTo(state.repeats.get());

        // The bulk cancel: it took every doomed run; those only it could end are cancelled.
        assertThat(action.get("status").asText()).isEqualTo("completed");
        assertThat(action.get("matched").asLong()).isEqualTo(plan.count(LoadPlan.RunSpec::doomed));
        assertThat(action.get("failed").asLong()).isZero();
        for (LoadPlan.RunSpec run : plan.all()) {
            if (run.delayed()) {
                assertThat(ledgers.get(state.runIdByIndex.get(run.index())).status()).as("delayed doomed run")
                        .isEqualTo("cancelled");
            }
        }

        // What the killed workers held came back by lease expiry, and ended once.
        assertThat(state.abandoned).as("runs the killed workers held").isNotEmpty();
        for (String runId : state.abandoned) {
            assertThat(ledgers.get(runId).leaseExpired()).as("%s recovered by lease expiry", runId).isTrue();
        }

        // The schedule: every fire time fired once, whichever instance fired it.
        List<Instant> fires = ledgers.values().stream().filter(l -> l.service().equals("tick"))
                .map(l -> Instant.parse(l.commandId().substring("schedule/tick/".length()))).sorted().toList();
        assertThat(new HashSet<>(fires)).as("fire times fired once").hasSize(fires.size());
        assertThat(fires.size()).as("fires").isGreaterThanOrEqualTo(5);

        // Through the API of random instances: every run's ledger, gapless, one terminal event.
        Map<String, String> apiBad = new java.util.concurrent.ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(12);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String runId : state.runIdByIndex.values()) {
                inFlight.acquire();
                Random random = new Random(seed ^ runId.hashCode());
                pool.submit(() -> {
                    try {
                        Http.Reply r = any.call(random, h -> h.get(P + "/runs/" + runId + "/events?limit=1000")).reply();
                        List<Long> seqs = new ArrayList<>();
                        List<String> types = new ArrayList<>();
                        r.json().get("items").forEach(e -> {
                            seqs.add(e.get("seq").asLong());
                            types.add(e.get("type").asText());
                        });
                        Ledger l = ledgers.get(runId);
                        if (r.status() != 200 || !seqs.equals(LongStream.rangeClosed(1, l.events()).boxed().toList())
                                || types.stream().filter(StreamResume.TERMINAL::contains).count() != 1
                                || !types.getLast().equals("run." + l.status())) {
                            apiBad.put(runId, r.toString());
                        }
                    } catch (RuntimeException e) {
                        apiBad.put(runId, e.toString());
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        assertThat(apiBad).as("ledgers read through the API").isEmpty();

        // The restarted instance took its share again: of the reads above at least (on a busy
        // machine its restart may take until the load is over).
        assertThat(answeredBeforeRestart.get()).as("restarted").isNotNegative();
        assertThat(any.answered(KILLED)).as("answers of the restarted instance").isGreaterThan(answeredBeforeRestart.get());

        // The followed streams: dropped midway on one instance, resumed on another, gapless.
        int midway = 0;
        Map<Integer, Integer> resumes = new HashMap<>();
        for (Future<StreamResume.Followed> f : streams) {
            StreamResume.Followed s = f.get(60, TimeUnit.SECONDS);
            Ledger l = ledgers.get(s.runId());
            assertThat(s.ids()).as("stream of %s over instances %s", s.runId(), s.instances())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, l.events()).boxed().toList());
            assertThat(s.types().stream().filter(StreamResume.TERMINAL::contains).count()).isEqualTo(1);
            assertThat(s.types().getLast()).isEqualTo("run." + l.status());
            for (int i = 1; i < s.instances().size(); i++) {
                assertThat(s.instances().get(i)).as("each connection of %s on another instance than the one before: %s",
                        s.runId(), s.instances()).isNotEqualTo(s.instances().get(i - 1));
            }
            midway += s.droppedMidway() ? 1 : 0;
            resumes.merge(s.instances().size() - 1, 1, Integer::sum);
        }
        assertThat(streams).hasSize(RUNS / STREAM_EVERY);
        assertThat(midway).as("streams dropped before their run ended").isEqualTo(streams.size());
        System.out.printf("%d streams resumed on another instance (resumes per stream: %s)%n", streams.size(), resumes);

        // No instance logged an error.
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < procs.size(); i++) {
            for (Path log : procs.logs(i)) {
                Files.readAllLines(log).stream().filter(line -> line.contains(" ERROR "))
                        .forEach(line -> errors.add(log.getFileName() + ": " + line));
            }
        }
        assertThat(errors).as("errors the servers logged").isEmpty();

        Map<String, Long> statuses = ledgers.values().stream()
                .collect(Collectors.groupingBy(Ledger::status, java.util.TreeMap::new, Collectors.counting()));
        System.out.printf("%d runs (%d of the schedule) all terminal: %s; %d schedule fires from %s to %s%n",
                ledgers.size(), fires.size(), statuses, fires.size(), fires.getFirst(), fires.getLast());
    }

    /** Every run's ledger in SQL, from every database that holds runs (a run id is in one of them). */
    private Map<String, Ledger> ledgers(DebianPostgres pg) throws Exception {
        Map<String, Ledger> out = new HashMap<>();
        for (String db : runDatabases) {
            for (Ledger l : ledgers(pg, db)) {
                assertThat(out.put(l.runId(), l)).as("%s in one database only", l.runId()).isNull();
                if (db.equals(RUNS_DATABASE)) {
                    assertThat(l.runId().charAt(14)).as("%s minted on the runs database", l.runId()).isEqualTo('u');
                }
            }
        }
        if (runDatabases.size() > 1) {
            assertThat(ledgers(pg, DATABASE)).as("runs created with the runs database split off, on main").isEmpty();
        }
        return out;
    }

    private static List<Ledger> ledgers(DebianPostgres pg, String database) throws Exception {
        List<Ledger> out = new ArrayList<>();
        String terminal = "e.type in ('run.succeeded', 'run.failed', 'run.cancelled', 'run.expired')";
        try (Connection c = pg.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select r.run_id, r.service, r.status, r.command_id, r.last_seq,"
                     + " count(e.seq), coalesce(max(e.seq), 0), count(*) filter (where " + terminal + "),"
                     + " coalesce(max(e.seq) filter (where " + terminal + "), 0),"
                     + " max(e.type) filter (where " + terminal + "), bool_or(e.type = 'run.lease_expired')"
                     + " from runs r left join run_events e on e.scope_id = r.scope_id and e.run_id = r.run_id"
                     + " where r.scope_id = 'load' group by r.run_id, r.service, r.status, r.command_id, r.last_seq")) {
            while (rs.next()) {
                Ledger l = new Ledger(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10),
                        rs.getBoolean(11));
                out.add(l);
            }
        }
        return out;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String tail(String s, int chars) {
        return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
    }
}
