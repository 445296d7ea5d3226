package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Ledger;
import io.runledger.api.Maintenance;
import io.runledger.api.Receipt;
import io.runledger.api.RunLedgerException;
import io.runledger.api.RetryPolicy;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract suite's fixture: an empty database, a fresh target, scope {@code acme} with
 * service {@code work}. Subclasses name the target; the tests are written once against the
 * api interfaces.
 */
public abstract class ContractBase {
    protected static final String SCOPE = "acme";
    protected static final String SERVICE = "work";
    /** Delivery attempts of a webhook before it is dead; both targets are built with it. */
    public static final int WEBHOOK_MAX_ATTEMPTS = 5;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    protected Target target;
    /** A ledger acting in {@link #SCOPE}. */
    protected Ledger ledger;
    /** A ledger with admin rights. */
    protected Ledger admin;

    /** A new target: the embedded engine, or a client of a real server. */
    protected abstract Target newTarget();

    @BeforeEach
    protected void openTarget() {
        TestDatabase.truncate();
        target = newTarget();
        admin = target.admin();
        ledger = target.open(SCOPE);
        ledger.admin().servicePut(SCOPE, SERVICE, new ServiceSpec(3, 30, null, null, null, IMMEDIATE));
    }

    /**
     * Retries at once: these contracts test what an attempt's end decides; the delay before a
     * retry has tests of its own.
     */
    protected static final RetryPolicy IMMEDIATE = new RetryPolicy(0.0, 0.0, 1.0, 0.0);

    @AfterEach
    protected void closeTarget() {
        if (target != null) {
            target.close();
        }
    }

    protected Maintenance maintenance() {
        return target.maintenance();
    }

    /** Service {@code work} with 1 s leases, for tests that let a lease run out. */
    protected void shortLeases(int maxAttempts) {
        ledger.admin().servicePut(SCOPE, SERVICE, new ServiceSpec(maxAttempts, 1, null, null, null, IMMEDIATE));
    }

    protected static ObjectNode json() {
        return MAPPER.createObjectNode();
    }

    protected static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    protected Receipt trigger() {
        return trigger(TriggerRequest.of(json().put("n", 1)));
    }

    protected Receipt trigger(TriggerRequest request) {
        return ledger.runs().trigger(SCOPE, SERVICE, request);
    }

    protected Lease leaseOne(String workerId) {
        List<Lease> leases = lease(workerId, 1);
        if (leases.size() != 1) {
            throw new AssertionError("expected one lease, got " + leases);
        }
        return leases.get(0);
    }

    protected List<Lease> lease(String workerId, int max) {
        return ledger.workers().lease(SCOPE, LeaseRequest.of(workerId, List.of(SERVICE), max, Duration.ZERO));
    }

    protected static long count(String query) {
        return TestDatabase.count(query);
    }

    /** The call fails with a typed error of this code and writes no run, event or idempotency key. */
    protected static void refused(String code, ThrowingCallable call) {
        long runs = count("select count(*) from runs");
        long events = count("select count(*) from run_events");
        long keys = count("select count(*) from idempotency_keys");
        assertThatThrownBy(call).isInstanceOfSatisfying(RunLedgerException.class,
                e -> assertThat(e.code()).isEqualTo(code));
        assertThat(count("select count(*) from runs")).isEqualTo(runs);
        assertThat(count("select count(*) from run_events")).isEqualTo(events);
        assertThat(count("select count(*) from idempotency_keys")).isEqualTo(keys);
    }

    protected interface Racer<T> {
        T run(int n) throws Exception;
    }

    /** Runs {@code racers} calls released at once; their answers in racer order. */
    protected static <T> List<T> race(int racers, Racer<T> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.run(n);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
