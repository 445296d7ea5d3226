package io.runledger.server.scaleout;

import static io.runledger.server.scaleout.LoadState.P;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.server.testing.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A worker of the load, speaking the raw worker protocol: it long-polls leases (on its home
 * instance if it has one, else on any) and runs each lease in a virtual thread that sends its
 * heartbeats, events, completes and fails to random instances. What a run gets is decided by
 * the seed, the run's index and its attempt: complete (alone or in a batched
 * {@code runs:complete}), heartbeat and log first, fail retryably or for good. A worker can be
 * killed with its home instance ({@link #kill}): it then sends nothing more, and what it held
 * is left to lease expiry; {@link #revive} starts it again under a new worker id, as a
 * restarted worker process would be.
 */
final class LoadWorker implements Runnable {
    private static final int IN_FLIGHT = 16;
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled", "expired");

    private final String name;
    private final int home;
    private final AnyInstance any;
    private final LoadState state;
    private final long seed;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final Random random;
    /** Runs this worker's handlers hold now. */
    final Set<String> held = ConcurrentHashMap.newKeySet();
    /**
     * Handlers working now (between calls, where a kill makes them abandon their runs), by a
     * run they hold, with when the work ends ({@link System#nanoTime}).
     */
    private final ConcurrentHashMap<String, Long> working = new ConcurrentHashMap<>();
    private volatile Life life;
    private volatile boolean stop;

    /** One life of the worker process: its id, and a latch counted down when it is killed. */
    private record Life(String workerId, CountDownLatch killed) {
        boolean dead() {
            return killed.getCount() == 0;
        }
    }

    LoadWorker(String name, int home, AnyInstance any, LoadState state, long seed) {
        this.name = name;
        this.home = home;
        this.any = any;
        this.state = state;
        this.seed = seed;
        this.random = new Random(seed ^ name.hashCode());
        this.life = new Life(name + ".1", new CountDownLatch(1));
    }

    int home() {
        return home;
    }

    /** The worker process dies: no call of it is sent from now on. */
    void kill() {
        life.killed().countDown();
    }

    /** A new process of this worker starts, under a new worker id. */
    synchronized void revive() {
        int generation = Integer.parseInt(life.workerId().substring(name.length() + 1)) + 1;
        life = new Life(name + "." + generation, new CountDownLatch(1));
        notifyAll();
    }

    synchronized void stop() {
        stop = true;
        notifyAll();
    }

    /** Waits until every lease this worker took has been handled (or abandoned). */
    boolean drained(Duration within) throws InterruptedException {
        if (!slots.tryAcquire(IN_FLIGHT, within.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        slots.release(IN_FLIGHT);
        return true;
    }

    @Override
    public void run() {
        while (!stop) {
            try {
                poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                state.anomaly(name + " lease loop: " + e);
            }
        }
    }

    /** One lease poll and the handlers of what it brought. */
    private void poll() throws InterruptedException {
        Life l = life;
        if (l.dead()) {
            awaitRevival(l);
            return;
        }
        int free = slots.availablePermits();
        if (free == 0) {
            slots.acquire();
            slots.release();
            return;
        }
        int max = Math.min(8, free);
        String body = "{\"workerId\":\"" + l.workerId() + "\",\"services\":[\"work\",\"tick\"],\"max\":" + max
                + ",\"waitSeconds\":1}";
        Http.Reply reply;
        try {
            if (home >= 0) {
                // Co-located with its instance: it leases there and dies with it.
                reply = any.http(home).post(P + "/workers/lease", body);
            } else {
                reply = any.call(random, h -> h.post(P + "/workers/lease", body)).reply();
            }
        } catch (java.io.UncheckedIOException e) {
            return; // its instance went away; kill() follows, or it is back
        }
        if (reply.status() != 200) {
            state.anomaly("lease answered " + reply);
            return;
        }
        List<JsonNode> leases = new ArrayList<>();
        reply.json().get("leases").forEach(leases::add);
        slots.acquire(leases.size());
        state.leased.addAndGet(leases.size());
        List<JsonNode> batched = new ArrayList<>();
        for (JsonNode lease : leases) {
            String runId = lease.get("runId").asText();
            if (l.dead()) {
                // The answer came back to a dead process: nobody works on these runs.
                abandon(runId);
                slots.release();
                continue;
            }
            held.add(runId);
            if (choice(lease) < 15 && !streamed(lease) && "work".equals(lease.get("service").asText())) {
                batched.add(lease);
            } else {
                Thread.ofVirtual().start(() -> handleOne(l, lease));
            }
        }
        if (!batched.isEmpty()) {
            Thread.ofVirtual().start(() -> completeBatch(l, batched));
        }
    }

    private synchronized void awaitRevival(Life dead) throws InterruptedException {
        while (!stop && life == dead) {
            wait();
        }
    }

    /** 0..99, from the seed, the run and its attempt: the same run and attempt choose alike. */
    private int choice(JsonNode lease) {
        int index = lease.path("input").path("i").asInt(-1);
        return new Random(seed * 31 + index * 1_000L + lease.get("attempt").asInt()).nextInt(100);
    }

    private static boolean streamed(JsonNode lease) {
        return lease.path("input").path("stream").asBoolean(false);
    }

    private void handleOne(Life l, JsonNode lease) {
        String runId = lease.get("runId").asText();
        String token = lease.get("leaseToken").asText();
        Random r = new Random(seed ^ runId.hashCode());
        try {
            if (!"work".equals(lease.get("service").asText())) {
                complete(l, r, runId, token);
            } else if (streamed(lease)) {
                streamedRun(l, r, runId, token);
            } else {
                int c = choice(lease);
                if (c < 60) {
                    if (work(l, r, runId)) {
                        complete(l, r, runId, token);
                    }
                } else if (c < 75) {
                    if (heartbeat(l, r, runId, token) && append(l, r, runId, token,
                            "[{\"type\":\"log\",\"data\":\"working\"}]") && work(l, r, runId)) {
                        complete(l, r, runId, token);
                    }
                } else if (c < 90) {
                    fail(l, r, runId, token, true);
                } else {
                    fail(l, r, runId, token, false);
                }
            }
        } catch (Abandoned e) {
            abandon(runId);
        } catch (RuntimeException e) {
            state.anomaly("handling " + runId + ": " + e);
        } finally {
            held.remove(runId);
            slots.release();
        }
    }

    /**
     * A followed run: one progress event, then the work waits until the run's stream reader
     * has dropped its first connection (heartbeating meanwhile), then more events and the end;
     * so each followed stream is resumed in the middle of its run.
     */
    private void streamedRun(Life l, Random r, String runId, String token) {
        if (!append(l, r, runId, token, "[{\"type\":\"progress\",\"data\":{\"step\":1}}]")) {
            return;
        }
        CountDownLatch dropped = state.dropped(runId);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try {
            while (!dropped.await(700, TimeUnit.MILLISECONDS)) {
                if (!heartbeat(l, r, runId, token)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    state.anomaly("the stream reader of " + runId + " never dropped its first connection");
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (append(l, r, runId, token,
                "[{\"type\":\"progress\",\"data\":{\"step\":2}},{\"type\":\"log\",\"data\":\"after the drop\"}]")) {
            complete(l, r, runId, token);
        }
    }

    private void completeBatch(Life l, List<JsonNode> leases) {
        Random r = new Random(seed ^ leases.getFirst().get("runId").asText().hashCode());
        try {
            if (!work(l, r, leases.getFirst().get("runId").asText())) {
                return;
            }
            ObjectNode body = Http.JSON.createObjectNode();
            ArrayNode items = body.putArray("items");
            for (JsonNode lease : leases) {
                items.addObject().put("runId", lease.get("runId").asText())
                        .put("leaseToken", lease.get("leaseToken").asText())
                        .putObject("output").put("i", lease.path("input").path("i").asInt());
            }
            Http.Reply reply = call(l, r, h -> h.post(P + "/runs:complete", body.toString()));
            if (reply.status() != 200) {
                state.anomaly("runs:complete answered " + reply);
                return;
            }
            for (JsonNode item : reply.json().get("items")) {
                if (item.has("error")) {
                    refusal(item.get("error").path("code").asText(), "runs:complete item " + item);
                } else if ("succeeded".equals(item.path("status").asText())
                        || "cancelled".equals(item.path("status").asText())) {
                    state.batchCompleted.incrementAndGet();
                } else {
                    state.anomaly("runs:complete item " + item);
                }
            }
        } catch (Abandoned e) {
            leases.forEach(lease -> abandon(lease.get("runId").asText()));
        } catch (RuntimeException e) {
            state.anomaly("completing " + leases.size() + " runs: " + e);
        } finally {
            leases.forEach(lease -> held.remove(lease.get("runId").asText()));
            slots.release(leases.size());
        }
    }

    /** Works a little on {@code runId}: until killed, or for up to 100 ms; a kill abandons the run. */
    private boolean work(Life l, Random r, String runId) {
        int millis = r.nextInt(100);
        working.put(runId, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
        try {
            if (l.killed().await(millis, TimeUnit.MILLISECONDS)) {
                throw new Abandoned();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned();
        } finally {
            working.remove(runId);
        }
    }

    /**
     * Whether a handler of this worker is working with at least {@code left} of its work to
     * go: killed now, the worker abandons that run to lease expiry. (A handler in the middle of
     * its last call would still settle its run.)
     */
    boolean workingFor(Duration left) {
        long until = System.nanoTime() + left.toNanos();
        return working.values().stream().anyMatch(end -> end - until >= 0);
    }

    private void complete(Life l, Random r, String runId, String token) {
        Http.Reply reply = call(l, r, h -> h.post(P + "/runs/" + runId + "/complete",
                "{\"leaseToken\":\"" + token + "\",\"output\":{\"done\":true}}"));
        if (reply.status() == 200 && TERMINAL.contains(reply.json().path("status").asText())) {
            state.completed.incrementAndGet();
        } else {
            refused(reply, "complete " + runId);
        }
    }

    private void fail(Life l, Random r, String runId, String token, boolean retryable) {
        String body = "{\"leaseToken\":\"" + token + "\",\"error\":{\"code\":\"" + (retryable ? "flaky" : "broken")
                + "\",\"message\":\"load test\"},\"retryable\":" + retryable
                + (retryable ? ",\"retryAfterSeconds\":0" : "") + "}";
        Http.Reply reply = call(l, r, h -> h.post(P + "/runs/" + runId + "/fail", body));
        if (reply.status() == 200) {
            String status = reply.json().path("status").asText();
            boolean expected = retryable ? Set.of("accepted", "failed", "cancelled").contains(status)
                    : Set.of("failed", "cancelled").contains(status);
            if (!expected) {
                state.anomaly("fail " + runId + " (retryable " + retryable + ") answered " + reply);
            }
            (retryable ? state.failedRetryable : state.failedFatal).incrementAndGet();
        } else {
            refused(reply, "fail " + runId);
        }
    }

    /** A heartbeat; a requested stop is obeyed at once (fail: the run settles cancelled). */
    private boolean heartbeat(Life l, Random r, String runId, String token) {
        Http.Reply reply = call(l, r, h -> h.post(P + "/runs/" + runId + "/heartbeat",
                "{\"leaseToken\":\"" + token + "\"}"));
        if (reply.status() != 200) {
            refused(reply, "heartbeat " + runId);
            return false;
        }
        state.heartbeats.incrementAndGet();
        if (reply.json().path("stopRequested").asBoolean()) {
            state.stopsSeen.incrementAndGet();
            Http.Reply stopped = call(l, r, h -> h.post(P + "/runs/" + runId + "/fail", "{\"leaseToken\":\"" + token
                    + "\",\"error\":{\"code\":\"stopped\",\"message\":\"stop requested\"}}"));
            if (stopped.status() != 200 || !"cancelled".equals(stopped.json().path("status").asText())) {
                refused(stopped, "fail after a stop " + runId);
            }
            return false;
        }
        return true;
    }

    private boolean append(Life l, Random r, String runId, String token, String events) {
        Http.Reply reply = call(l, r, h -> h.post(P + "/runs/" + runId + "/events",
                "{\"leaseToken\":\"" + token + "\",\"events\":" + events + "}"));
        if (reply.status() != 200) {
            refused(reply, "events " + runId);
            return false;
        }
        return true;
    }

    /** A 409 that the load can meet (the lease ran out under load); anything else is an anomaly. */
    private void refused(Http.Reply reply, String what) {
        if (reply.status() == 409) {
            refusal(reply.json().path("code").asText(), what + ": " + reply);
        } else {
            state.anomaly(what + " answered " + reply);
        }
    }

    private void refusal(String code, String what) {
        switch (code) {
            case "lease_lost" -> state.leaseLost.incrementAndGet();
            case "run_already_settled" -> state.alreadySettled.incrementAndGet();
            default -> state.anomaly(what);
        }
    }

    private Http.Reply call(Life l, Random r, Function<Http, Http.Reply> request) {
        if (l.dead()) {
            throw new Abandoned();
        }
        return any.call(r, request).reply();
    }

    private void abandon(String runId) {
        state.abandoned.add(runId);
    }

    /** The worker died before it could send the run's next call. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }
}
