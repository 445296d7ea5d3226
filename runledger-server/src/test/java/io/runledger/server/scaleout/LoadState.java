package io.runledger.server.scaleout;

import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** What the driver, its workers and its stream readers saw, shared between their threads. */
final class LoadState {
    static final String P = "/v1/scopes/load";

    /** Anything that should not happen: an unexpected status, a mismatched repeat... */
    final Queue<String> anomalies = new ConcurrentLinkedQueue<>();
    final Map<Integer, String> runIdByIndex = new ConcurrentHashMap<>();
    final Map<String, Integer> indexByRunId = new ConcurrentHashMap<>();
    /** Per streamed run: counted down when its reader has dropped its first connection. */
    final Map<String, CountDownLatch> dropped = new ConcurrentHashMap<>();
    /** Runs a killed worker held, with no final call sent: only lease expiry can end them. */
    final Set<String> abandoned = ConcurrentHashMap.newKeySet();

    final AtomicInteger triggered = new AtomicInteger();
    final AtomicInteger repeats = new AtomicInteger();
    final AtomicInteger repeatsElsewhere = new AtomicInteger();
    final AtomicInteger cancels = new AtomicInteger();
    final AtomicInteger leased = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger batchCompleted = new AtomicInteger();
    final AtomicInteger failedRetryable = new AtomicInteger();
    final AtomicInteger failedFatal = new AtomicInteger();
    final AtomicInteger heartbeats = new AtomicInteger();
    final AtomicInteger stopsSeen = new AtomicInteger();
    final AtomicInteger leaseLost = new AtomicInteger();
    final AtomicInteger alreadySettled = new AtomicInteger();

    void anomaly(String what) {
        anomalies.add(what);
    }

    CountDownLatch dropped(String runId) {
        return dropped.computeIfAbsent(runId, id -> new CountDownLatch(1));
    }

    void registered(int index, String runId) {
        String before = runIdByIndex.putIfAbsent(index, runId);
        if (before != null && !before.equals(runId)) {
            anomaly("run " + index + " registered as " + before + " and as " + runId);
        }
        indexByRunId.put(runId, index);
    }
}
