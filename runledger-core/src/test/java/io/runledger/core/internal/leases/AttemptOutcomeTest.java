package io.runledger.core.internal.leases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.EventDraft;
import io.runledger.api.RetryPolicy;
import io.runledger.api.RunStatus;
import io.runledger.api.Timestamps;
import java.time.Duration;
import java.time.Instant;
import io.runledger.core.internal.leases.AttemptOutcome.Attempt;
import io.runledger.core.internal.leases.AttemptOutcome.WorkerFailed;
import io.runledger.core.internal.store.Json;
import org.junit.jupiter.api.Test;

/** The decision table of a failed or abandoned attempt, branch by branch, without a database. */
class AttemptOutcomeTest {
    private static final JsonNode WORKER_ERROR = Json.read("{\"code\":\"e\",\"message\":\"boom\",\"detail\":null}");

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    /** No backoff: retries are immediate, as the tests of the rules other than the delay want. */
    private static final RetryPolicy NO_DELAY = new RetryPolicy(0.0, 0.0, 1.0, 0.0);

    private static Attempt attempt(int attempt, int max) {
        return new Attempt(attempt, max, false, null, "w1", NO_DELAY);
    }

    private static Attempt stopped(int attempt, int max, String reason) {
        return new Attempt(attempt, max, true, reason, "w1", NO_DELAY);
    }

    private static AttemptOutcome decide(Attempt a, AttemptOutcome.Cause cause) {
        return AttemptOutcome.decide(a, cause, () -> NOW, 0.5);
    }

    private static WorkerFailed failed(boolean retryable) {
        return new WorkerFailed(WORKER_ERROR, retryable, null);
    }

    @Test
    void aRetryAfterTheDefaultPolicyWaitsScheduledOneTwoFourSeconds() {
        for (int failed = 1; failed <= 3; failed++) {
            AttemptOutcome o = AttemptOutcome.decide(new Attempt(failed, 5, false, null, "w1", RetryPolicy.DEFAULT),
                    failed(true), () -> NOW, 0.5); // the middle of the jitter band: no spread
            long seconds = 1L << (failed - 1);
            assertThat(o.status()).isEqualTo(RunStatus.SCHEDULED);
            assertThat(o.runAt()).isEqualTo(NOW.plusSeconds(seconds));
            assertThat(o.events().get(0).data().get("delaySeconds").asDouble()).isEqualTo(seconds);
            assertThat(o.events().get(0).data().get("runAt").asText()).isEqualTo(Timestamps.format(NOW.plusSeconds(seconds)));
        }
    }

    @Test
    void jitterSpreadsTheDelayWithinItsBandAndTheMaximumCapsIt() {
        RetryPolicy p = new RetryPolicy(10.0, 30.0, 3.0, 0.2);
        Attempt a = new Attempt(1, 5, false, null, "w1", p);
        assertThat(AttemptOutcome.decide(a, failed(true), () -> NOW, 0.0).runAt()).isEqualTo(NOW.plusSeconds(8));
        assertThat(AttemptOutcome.decide(a, failed(true), () -> NOW, 0.999999999).runAt())
                .isBetween(NOW.plusMillis(11_999), NOW.plusSeconds(12));
        Attempt late = new Attempt(4, 5, false, null, "w1", p); // 10 * 3^3 = 270 s, capped at 30
        assertThat(AttemptOutcome.decide(late, failed(true), () -> NOW, 0.5).runAt()).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void retryAfterOverridesThePolicyOnceAndZeroRetriesAtOnce() {
        Attempt a = new Attempt(1, 3, false, null, "w1", RetryPolicy.DEFAULT);
        AttemptOutcome later = AttemptOutcome.decide(a, new WorkerFailed(WORKER_ERROR, true, Duration.ofSeconds(42)),
                () -> NOW, 0.5);
        assertThat(later.runAt()).isEqualTo(NOW.plusSeconds(42));
        AttemptOutcome now = AttemptOutcome.decide(a, new WorkerFailed(WORKER_ERROR, true, Duration.ZERO), () -> NOW, 0.5);
        assertThat(now.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(now.runAt()).isNull();
    }

    @Test
    void aLeaseRecoveryBacksOffToo() {
        AttemptOutcome o = AttemptOutcome.decide(new Attempt(2, 3, false, null, "w1", RetryPolicy.DEFAULT),
                AttemptOutcome.LEASE_EXPIRED, () -> NOW, 0.5);
        assertThat(o.status()).isEqualTo(RunStatus.SCHEDULED);
        assertThat(o.runAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(o.events()).extracting(EventDraft::type).containsExactly("run.lease_expired", "run.retrying");
    }

    @Test
    void aRetryableWorkerFailureWithAttemptsLeftIsRetried() {
        AttemptOutcome o = decide(attempt(1, 3), failed(true));
        assertThat(o.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(o.attempt()).isEqualTo(2);
        assertThat(o.error()).isEqualTo(WORKER_ERROR);
        assertThat(o.finished()).isFalse();
        assertThat(o.releasesKey()).isFalse();
        assertThat(o.events()).extracting(EventDraft::type).containsExactly("run.retrying");
        assertThat(o.events().get(0).data()).isEqualTo(Json.read(
                "{\"attempt\":2,\"delaySeconds\":0.0,\"error\":{\"code\":\"e\",\"message\":\"boom\",\"detail\":null}}"));
    }

    @Test
    void aRetryableWorkerFailureOnTheLastAttemptFails() {
        AttemptOutcome o = decide(attempt(3, 3), failed(true));
        assertThat(o.status()).isEqualTo(RunStatus.FAILED);
        assertThat(o.attempt()).isEqualTo(3);
        assertThat(o.error()).isEqualTo(WORKER_ERROR);
        assertThat(o.finished()).isTrue();
        assertThat(o.releasesKey()).isTrue();
        assertThat(o.events()).extracting(EventDraft::type).containsExactly("run.failed");
        assertThat(o.events().get(0).data()).isEqualTo(Json.read(
                "{\"attempt\":3,\"error\":{\"code\":\"e\",\"message\":\"boom\",\"detail\":null}}"));
    }

    @Test
    void aNonRetryableWorkerFailureFailsEvenWithAttemptsLeft() {
        AttemptOutcome o = decide(attempt(1, 3), failed(false));
        assertThat(o.status()).isEqualTo(RunStatus.FAILED);
        assertThat(o.attempt()).isEqualTo(1);
        assertThat(o.finished()).isTrue();
        assertThat(o.releasesKey()).isTrue();
        assertThat(o.events()).extracting(EventDraft::type).containsExactly("run.failed");
    }

    @Test
    void aWorkerFailureAfterAStopRequestCancelsWithTheWorkersErrorAsDetail() {
        AttemptOutcome o = decide(stopped(1, 3, "operator"), failed(true));
        assertThat(o.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(o.attempt()).isEqualTo(1);
        JsonNode error = Json.read("{\"code\":\"cancelled\",\"message\":\"operator\",\"detail\":"
                + "{\"code\":\"e\",\"message\":\"boom\",\"detail\":null}}");
        assertThat(o.error()).isEqualTo(error);
        assertThat(o.finished()).isTrue();
        assertThat(o.releasesKey()).isTrue();
        assertThat(o.events()).extracting(EventDraft::type).containsExactly("run.cancelled");
        assertThat(o.events().get(0).data().get("reason").asText()).isEqualTo("operator");
        assertThat(o.events().get(0).data().get("error")).isEqualTo(error);
    }

    @Test
    void aStopWithoutAReasonSaysStopRequested() {
        AttemptOutcome o = decide(stopped(2, 2, null), failed(false));
        assertThat(o.error().get("message").asText()).isEqualTo("stop requested");
        assertThat(o.events().get(0).data().get("reason").isNull()).isTrue();
    }

    @Test
    void anExpiredLeaseWithAttemptsLeftIsRetried() {
        AttemptOutcome o = decide(attempt(1, 2), AttemptOutcome.LEASE_EXPIRED);
        assertThat(o.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(o.attempt()).isEqualTo(2);
        JsonNode error = Json.read(
                "{\"code\":\"lease_expired\",\"message\":\"the lease of attempt 1 expired without a heartbeat\"}");
        assertThat(o.error()).isEqualTo(error);
        assertThat(o.finished()).isFalse();
        assertThat(o.releasesKey()).isFalse();
        assertThat(o.events()).extracting(EventDraft::type).containsExactly("run.lease_expired", "run.retrying");
        assertThat(o.events().get(0).data()).isEqualTo(Json.read("{\"attempt\":1,\"workerId\":\"w1\"}"));
        assertThat(o.events().get(1).data()).isEqualTo(Json.MAPPER.createObjectNode().put("attempt", 2)
                .put("delaySeconds", 0.0).set("error", error));
    }

    @Test
    void anExpiredLeaseOnTheLastAttemptFails() {
        AttemptOutcome o = decide(attempt(2, 2), AttemptOutcome.LEASE_EXPIRED);
        assertThat(o.status()).isEqualTo(RunStatus.FAILED);
        assertThat(o.attempt()).isEqualTo(2);
        assertThat(o.error().get("code").asText()).isEqualTo("lease_expired");
        assertThat(o.error().get("message").asText()).isEqualTo("the lease of attempt 2 expired without a heartbeat");
        assertThat(o.finished()).isTrue();
        assertThat(o.releasesKey()).isTrue();
        assertThat(o.events()).extracting(EventDraft::type).containsExactly("run.lease_expired", "run.failed");
        assertThat(o.events().get(1).data().get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void anExpiredLeaseAfterAStopRequestCancelsWithoutDetail() {
        AttemptOutcome o = decide(stopped(1, 3, "bye"), AttemptOutcome.LEASE_EXPIRED);
        assertThat(o.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(o.attempt()).isEqualTo(1);
        assertThat(o.error()).isEqualTo(Json.read("{\"code\":\"cancelled\",\"message\":\"bye\"}"));
        assertThat(o.finished()).isTrue();
        assertThat(o.releasesKey()).isTrue();
        assertThat(o.events()).extracting(EventDraft::type).containsExactly("run.lease_expired", "run.cancelled");
        assertThat(o.events().get(1).data()).isEqualTo(Json.read(
                "{\"reason\":\"bye\",\"error\":{\"code\":\"cancelled\",\"message\":\"bye\"}}"));
    }
}
