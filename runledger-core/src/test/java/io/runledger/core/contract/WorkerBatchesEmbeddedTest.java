package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.runledger.api.Completion;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.RunStatus;
import io.runledger.api.Settlement;
import io.runledger.api.TriggerRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerBatchesEmbeddedTest extends WorkerBatchesContract {
    @Override
    protected Target newTarget() {
        return new EmbeddedTarget();
    }

    /**
     * Embedded only: over HTTP the server refuses such a body as a whole before the engine
     * sees it. PostgreSQL refuses U+0000 in jsonb, which fails the set statement; the batch
     * is redone item by item under savepoints, so only that item is refused.
     */
    @Test
    void anOutputPostgresqlCannotStoreIsRefusedAloneTheOthersCommit() {
        for (int i = 0; i < 3; i++) {
            trigger(TriggerRequest.of(json().put("i", i)));
        }
        List<Lease> l = lease("w", 3);
        List<ItemOutcome<Settlement>> answers = ledger.workers().completeAll(SCOPE, List.of(
                new Completion(l.get(0).runId(), l.get(0).leaseToken(), json().put("ok", 1)),
                new Completion(l.get(1).runId(), l.get(1).leaseToken(), json().put("bad", "a\u0000b")),
                new Completion(l.get(2).runId(), l.get(2).leaseToken(), json().put("ok", 2))));
        assertThat(answers.get(0).isOk()).isTrue();
        assertThat(answers.get(1).error().code()).isEqualTo("invalid_argument");
        assertThat(answers.get(2).isOk()).isTrue();
        assertThat(ledger.runs().get(SCOPE, l.get(1).runId()).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(count("select count(*) from run_events where type = 'run.succeeded'")).isEqualTo(2);
    }
}
