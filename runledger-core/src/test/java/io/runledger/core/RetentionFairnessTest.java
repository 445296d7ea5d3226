package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Completion;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRequest;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A service with a large backlog of old runs does not keep another's old runs waiting:
 * passes so short that each ends after its first transaction still reach every service.
 */
class RetentionFairnessTest extends LedgerTestBase {
    private static final ServiceSpec SEVEN_DAYS = new ServiceSpec(3, 30, null, null, null, null, 7);

    @Override
    protected ServiceSpec serviceSpec() {
        return SEVEN_DAYS;
    }

    private void settled(String service, int runs) {
        ledger.admin().servicePut(SCOPE, service, SEVEN_DAYS);
        for (int done = 0; done < runs; done += 500) {
            List<TriggerRequest> items = new ArrayList<>();
            for (int i = 0; i < Math.min(500, runs - done); i++) {
                items.add(TriggerRequest.of(json().put("i", i)));
            }
            ledger.batches().register(SCOPE, service, items);
            List<Lease> leases = ledger.workers().lease(SCOPE, LeaseRequest.of("w", List.of(service), 500,
                    Duration.ZERO));
            ledger.workers().completeAll(SCOPE, leases.stream()
                    .map(l -> new Completion(l.runId(), l.leaseToken(), json())).toList());
        }
    }

    private static long runsOf(String service) {
        return TestDatabase.count("select count(*) from runs where service = '" + service + "'");
    }

    @Test
    void aBacklogInOneServiceDoesNotStarveTheOthers() {
        settled("a-busy", 3_500);
        settled("z-small", 10);
        TestDatabase.sql("update runs set finished_at = now() - interval '30 days'");

        // a 1 ms pass: one transaction, then out of time
        try (RunLedger brief = TestDatabase.ledgerBuilder().retentionInterval(Duration.ofMillis(1)).build()) {
            for (int pass = 0; pass < 3; pass++) {
                brief.maintenance().retention();
            }
        }
        assertThat(runsOf("z-small")).as("the small service's old runs").isZero();
        assertThat(runsOf("a-busy")).as("the busy service's backlog, still being worked off").isPositive();
    }
}
