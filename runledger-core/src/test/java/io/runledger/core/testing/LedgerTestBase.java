package io.runledger.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Receipt;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.RunLedger;
import io.runledger.core.internal.store.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh scope {@code acme} with service {@code work} on an empty database, per test. */
public abstract class LedgerTestBase {
    protected static final String SCOPE = "acme";
    protected static final String SERVICE = "work";

    protected RunLedger ledger;

    @BeforeEach
    void openLedger() {
        TestDatabase.truncate();
        ledger = TestDatabase.ledgerBuilder().build();
        ledger.admin().scopePut(SCOPE);
        ledger.admin().servicePut(SCOPE, SERVICE, serviceSpec());
    }

    @AfterEach
    void closeLedger() {
        if (ledger != null) {
            ledger.close();
        }
    }

    /** The service's defaults; override to change them. */
    protected ServiceSpec serviceSpec() {
        return new ServiceSpec(3, 30, null, null, null);
    }

    protected static ObjectNode json() {
        return Json.MAPPER.createObjectNode();
    }

    protected static JsonNode json(String text) {
        return Json.read(text);
    }

    protected Receipt trigger() {
        return ledger.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(json().put("n", 1)));
    }

    protected Receipt trigger(TriggerRequest request) {
        return ledger.runs().trigger(SCOPE, SERVICE, request);
    }

    protected Lease leaseOne(String workerId) {
        List<Lease> leases = ledger.workers().lease(SCOPE, LeaseRequest.of(workerId, List.of(SERVICE), 1, Duration.ZERO));
        if (leases.size() != 1) {
            throw new AssertionError("expected one lease, got " + leases);
        }
        return leases.get(0);
    }

    protected List<Lease> lease(String workerId, int max) {
        return ledger.workers().lease(SCOPE, LeaseRequest.of(workerId, List.of(SERVICE), max, Duration.ZERO));
    }
}
