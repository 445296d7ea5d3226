package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runledger.api.InvalidInputException;
import io.runledger.api.LeaseRequest;
import io.runledger.api.NotFoundException;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import io.runledger.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Triggers read service definitions from memory; a change made through any instance must
 * reach every other one (by NOTIFY) without a restart, and at once on the instance that
 * made it.
 */
class ServiceCacheTest extends LedgerTestBase {

    private static ServiceSpec requiringName(int maxAttempts) {
        return new ServiceSpec(maxAttempts, 30, json("""
                {"type": "object", "required": ["name"]}"""), null, null);
    }

    @Test
    void aServiceChangedOnOneInstanceIsSeenByTheOthersTriggers() {
        try (RunLedger other = TestDatabase.ledgerBuilder().backgroundLoops(false).build()) {
            // the other instance caches the service as it is now
            String first = other.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(json())).runId();
            assertThat(other.runs().get(SCOPE, first).maxAttempts()).isEqualTo(3);

            ledger.admin().servicePut(SCOPE, SERVICE, requiringName(7));

            // here at once, there as soon as the notification arrives
            assertThatThrownBy(() -> trigger(TriggerRequest.of(json())))
                    .isInstanceOf(InvalidInputException.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> other.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(json())))
                            .isInstanceOf(InvalidInputException.class));
            String named = other.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(json().put("name", "x"))).runId();
            assertThat(other.runs().get(SCOPE, named).maxAttempts()).isEqualTo(7);
        }
    }

    @Test
    void aLimitSetThroughOneInstanceHoldsForTheLeasesOfAnotherThatKeptTheServiceUnlimited() {
        try (RunLedger other = TestDatabase.ledgerBuilder().backgroundLoops(false).build()) {
            // the other instance's lease poll reads the service (no limit) and keeps it
            assertThat(other.workers().lease(SCOPE, LeaseRequest.of("w", List.of(SERVICE), 5, Duration.ZERO)))
                    .isEmpty();
            for (int i = 0; i < 3; i++) {
                trigger(TriggerRequest.of(json().put("name", "x")));
            }

            ledger.admin().servicePut(SCOPE, SERVICE, new ServiceSpec(3, 30, json("""
                    {"type": "object", "required": ["name"]}"""), 1, null));

            // once the change reached it (its triggers see the new schema), its leases see the limit
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> other.runs().trigger(SCOPE, SERVICE, TriggerRequest.of(json())))
                            .isInstanceOf(InvalidInputException.class));
            assertThat(other.workers().lease(SCOPE, LeaseRequest.of("w", List.of(SERVICE), 5, Duration.ZERO)))
                    .hasSize(1);
            assertThat(other.workers().lease(SCOPE, LeaseRequest.of("w", List.of(SERVICE), 5, Duration.ZERO)))
                    .isEmpty();
        }
    }

    @Test
    void aServiceCreatedAfterAMissIsFoundAtOnce() {
        assertThatThrownBy(() -> ledger.runs().trigger(SCOPE, "later", TriggerRequest.of(json())))
                .isInstanceOf(NotFoundException.class);
        ledger.admin().servicePut(SCOPE, "later", null);
        assertThat(ledger.runs().trigger(SCOPE, "later", TriggerRequest.of(json())).service()).isEqualTo("later");
    }
}
