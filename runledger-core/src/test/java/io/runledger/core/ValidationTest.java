package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.EventDraft;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.RunError;
import io.runledger.api.RunLedgerException;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Illegal input raises a typed error with a stable code and writes nothing. */
class ValidationTest extends LedgerTestBase {

    private static String bigString(int bytes) {
        return String.join("", Collections.nCopies(bytes, "x"));
    }

    private void refused(String code, ThrowingCallable call) {
        long runs = TestDatabase.count("select count(*) from runs");
        long events = TestDatabase.count("select count(*) from run_events");
        long keys = TestDatabase.count("select count(*) from idempotency_keys");
        long services = TestDatabase.count("select count(*) from services");
        assertThatThrownBy(call).isInstanceOfSatisfying(RunLedgerException.class,
                e -> assertThat(e.code()).isEqualTo(code));
        assertThat(TestDatabase.count("select count(*) from runs")).isEqualTo(runs);
        assertThat(TestDatabase.count("select count(*) from run_events")).isEqualTo(events);
        assertThat(TestDatabase.count("select count(*) from idempotency_keys")).isEqualTo(keys);
        assertThat(TestDatabase.count("select count(*) from services")).isEqualTo(services);
    }

    @Test
    void triggerRefusals() {
        refused("scope_not_found", () -> ledger.runs().trigger("ghost", SERVICE, TriggerRequest.of(json())));
        refused("service_not_found", () -> ledger.runs().trigger(SCOPE, "ghost", TriggerRequest.of(json())));
        refused("invalid_name", () -> ledger.runs().trigger("Bad Scope", SERVICE, TriggerRequest.of(json())));
        refused("invalid_name", () -> ledger.runs().trigger(SCOPE, "-bad", TriggerRequest.of(json())));
        ObjectNode huge = json().put("blob", bigString(1024 * 1024 + 10));
        refused("payload_too_large", () -> trigger(TriggerRequest.of(huge)));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).delaySeconds(-1).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).delaySeconds(5)
                .runAt(Instant.now()).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).maxAttempts(0).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).ttlSeconds(0).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).idempotencyKey("").build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).metadata(json("[1]")).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json()).parentRunId("run_missing").build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json())
                .tags(Collections.nCopies(33, "t")).build()));
        refused("invalid_argument", () -> trigger(TriggerRequest.builder().input(json())
                .onConflict(io.runledger.api.OnConflict.ENQUEUE).build()));
    }

    @Test
    void workerRefusals() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        refused("invalid_argument", () -> ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(SERVICE), 0, Duration.ZERO)));
        refused("invalid_argument", () -> ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(SERVICE), 1, Duration.ofSeconds(-1))));
        refused("invalid_argument", () -> ledger.workers().lease(SCOPE, LeaseRequest.of(null, List.of(SERVICE), 1, Duration.ZERO)));
        refused("invalid_argument", () -> ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(), 1, Duration.ZERO)));
        refused("payload_too_large", () -> ledger.workers().append(SCOPE, runId, lease.leaseToken(),
                List.of(new EventDraft("progress", json().put("blob", bigString(64 * 1024))))));
        refused("invalid_argument", () -> ledger.workers().append(SCOPE, runId, lease.leaseToken(), List.of()));
        refused("invalid_argument", () -> ledger.workers().append(SCOPE, runId, lease.leaseToken(),
                List.of(new EventDraft("run.failed", json()))));
        refused("invalid_argument", () -> ledger.workers().append(SCOPE, runId, lease.leaseToken(),
                List.of(new EventDraft("custom.", json()))));
        refused("run_not_found", () -> ledger.workers().append(SCOPE, "run_missing", lease.leaseToken(),
                List.of(new EventDraft("log", json()))));
        refused("lease_lost", () -> ledger.workers().heartbeat(SCOPE, runId, "stale"));
        refused("invalid_argument", () -> ledger.workers().complete(SCOPE, runId, "", json()));
        refused("payload_too_large", () -> ledger.workers().complete(SCOPE, runId, lease.leaseToken(),
                json().put("blob", bigString(1024 * 1024 + 1))));
        refused("invalid_argument", () -> ledger.workers().fail(SCOPE, runId, lease.leaseToken(), null, false));
        refused("invalid_argument", () -> ledger.workers().fail(SCOPE, runId, lease.leaseToken(),
                RunError.of("", "empty code"), false));
        ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json());
        refused("run_already_settled", () -> ledger.workers().complete(SCOPE, runId, lease.leaseToken(),
                json().put("different", true)));
    }

    @Test
    void adminRefusals() {
        refused("invalid_name", () -> ledger.admin().scopePut("UPPER"));
        refused("invalid_name", () -> ledger.admin().scopePut("a".repeat(64)));
        refused("scope_not_found", () -> ledger.admin().servicePut("ghost", "svc", null));
        refused("invalid_argument", () -> ledger.admin().servicePut(SCOPE, "svc", new ServiceSpec(0, 30, null, null, null)));
        refused("invalid_argument", () -> ledger.admin().servicePut(SCOPE, "svc", new ServiceSpec(1, 0, null, null, null)));
        refused("invalid_argument", () -> ledger.admin().servicePut(SCOPE, "svc", new ServiceSpec(1, 30, null, 0, null)));
        refused("invalid_argument", () -> ledger.admin().servicePut(SCOPE, "svc",
                new ServiceSpec(1, 30, json("{\"type\": \"no-such-type\"}"), null, null)));
        refused("run_not_found", () -> ledger.runs().get(SCOPE, "not a run id at all"));
        refused("run_not_found", () -> ledger.runs().cancel(SCOPE, "run_00000000000000000000000000", null));
    }
}
