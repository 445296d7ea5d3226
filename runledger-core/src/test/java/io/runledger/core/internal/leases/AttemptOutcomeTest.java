package io.runledger.core.internal.leases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.EventDraft;
import io.runledger.api.RunStatus;
import io.runledger.core.internal.leases.AttemptOutcome.Attempt;
import io.runledger.core.internal.leases.AttemptOutcome.WorkerFailed;
import io.runledger.core.internal.store.Json;
import org.junit.jupiter.api.Test;

/** The decision table of a failed or abandoned attempt, branch by branch, without a database. */
class AttemptOutcomeTest {
    private static final JsonNode WORKER_ERROR = Json.read("{\"code\":\"e\",\"message\":\"boom\",\"detail\":null}");

    private static Attempt attempt(int attempt, int max) {
        return new Attempt(attempt, max, false, null, "w1");
    }

    private static Attempt stopped(int attempt, int max, String reason) {
        return new Attempt(attempt, max, true, reason, "w1");
    }

    @Test
    void aRetryableWorkerFailureWithAttemptsLeftIsRetried() {
        AttemptOutcome o = AttemptOutcome.decide(attempt(1, 3), new WorkerFailed(WORKER_ERROR, true));
        assertThat(o.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(o.attempt()).isEqualTo(2);
        assertThat(o.error()).isEqualTo(WORKER_ERROR);
        assertThat(o.finished()).isFalse();
        assertThat(o.releasesKey()).isFalse();
        assertThat(o.events()).extracting(EventDraft::type).containsExactly("run.retrying");
        assertThat(o.events().get(0).data()).isEqualTo(Json.read(
                "{\"attempt\":2,\"error\":{\"code\":\"e\",\"message\":\"boom\",\"detail\":null}}"));
    }

    @Test
    void aRetryableWorkerFailureOnTheLastAttemptFails() {
        AttemptOutcome o = AttemptOutcome.decide(attempt(3, 3), new WorkerFailed(WORKER_ERROR, true));
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
        AttemptOutcome o = AttemptOutcome.decide(attempt(1, 3), new WorkerFailed(WORKER_ERROR, false));
        assertThat(o.status()).isEqualTo(RunStatus.FAILED);
        assertThat(o.attempt()).isEqualTo(1);
        assertThat(o.finished()).isTrue();
        assertThat(o.releasesKey()).isTrue();
        assertThat(o.events()).extracting(EventDraft::type).containsExactly("run.failed");
    }

    @Test
    void aWorkerFailureAfterAStopRequestCancelsWithTheWorkersErrorAsDetail() {
        AttemptOutcome o = AttemptOutcome.decide(stopped(1, 3, "operator"), new WorkerFailed(WORKER_ERROR, true));
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
        AttemptOutcome o = AttemptOutcome.decide(stopped(2, 2, null), new WorkerFailed(WORKER_ERROR, false));
        assertThat(o.error().get("message").asText()).isEqualTo("stop requested");
        assertThat(o.events().get(0).data().get("reason").isNull()).isTrue();
    }

    @Test
    void anExpiredLeaseWithAttemptsLeftIsRetried() {
        AttemptOutcome o = AttemptOutcome.decide(attempt(1, 2), AttemptOutcome.LEASE_EXPIRED);
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
                .set("error", error));
    }

    @Test
    void anExpiredLeaseOnTheLastAttemptFails() {
        AttemptOutcome o = AttemptOutcome.decide(attempt(2, 2), AttemptOutcome.LEASE_EXPIRED);
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
        AttemptOutcome o = AttemptOutcome.decide(stopped(1, 3, "bye"), AttemptOutcome.LEASE_EXPIRED);
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
