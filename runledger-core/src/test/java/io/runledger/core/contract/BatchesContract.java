package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.BatchInfo;
import io.runledger.api.BatchReceipt;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.NotFoundException;
import io.runledger.api.Receipt;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code Batches}: many runs registered in one transaction, all or none, and read back. */
public abstract class BatchesContract extends ContractBase {

    @Test
    void aThousandRunBatchIsRegisteredInOneTransaction() {
        List<TriggerRequest> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(TriggerRequest.builder().input(json().put("i", i)).idempotencyKey("item-" + i).build());
        }
        BatchReceipt receipt = ledger.batches().register(SCOPE, SERVICE, items);
        assertThat(receipt.receipts()).hasSize(1000);
        assertThat(count("select count(*) from runs")).isEqualTo(1000);
        BatchInfo info = ledger.batches().get(SCOPE, receipt.batchId());
        assertThat(info.batchId()).isEqualTo(receipt.batchId());
        assertThat(info.scope()).isEqualTo(SCOPE);
        assertThat(info.service()).isEqualTo(SERVICE);
        assertThat(info.size()).isEqualTo(1000);
        assertThat(info.counts()).containsEntry("accepted", 1000);
        assertThat(info.runIds()).containsExactlyElementsOf(receipt.receipts().stream().map(Receipt::runId).toList());
        // per-item idempotency keys are honoured: the same batch again replays every item
        BatchReceipt again = ledger.batches().register(SCOPE, SERVICE, items);
        assertThat(again.receipts()).allMatch(Receipt::replayed);
        assertThat(count("select count(*) from runs")).isEqualTo(1000);
    }

    @Test
    void aBatchCountsItsRunsByStatus() {
        BatchReceipt receipt = ledger.batches().register(SCOPE, SERVICE, List.of(
                TriggerRequest.of(json().put("i", 1)), TriggerRequest.of(json().put("i", 2)),
                TriggerRequest.of(json().put("i", 3))));
        Lease lease = leaseOne("w");
        ledger.workers().complete(SCOPE, lease.runId(), lease.leaseToken(), json());
        leaseOne("w");
        BatchInfo info = ledger.batches().get(SCOPE, receipt.batchId());
        assertThat(info.size()).isEqualTo(3);
        assertThat(info.counts()).containsEntry("succeeded", 1).containsEntry("running", 1).containsEntry("accepted", 1);
        assertThat(info.createdAt()).isNotNull();
        assertThatThrownBy(() -> ledger.batches().get(SCOPE, "batch_missing"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("batch_not_found"));
    }

    @Test
    void aBatchWithOneInvalidItemWritesNothing() {
        ledger.admin().servicePut(SCOPE, "typed", new ServiceSpec(1, 30,
                json("{\"type\": \"object\", \"required\": [\"n\"]}"), null, null));
        List<TriggerRequest> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add(TriggerRequest.of(i == 37 ? json() : json().put("n", i)));
        }
        refused("invalid_input", () -> ledger.batches().register(SCOPE, "typed", items));
        items.set(37, TriggerRequest.builder().input(json().put("n", 1)).delaySeconds(-5).build());
        assertThatThrownBy(() -> ledger.batches().register(SCOPE, "typed", items))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("items[37]");
        refused("service_not_found", () -> ledger.batches().register(SCOPE, "ghost", List.of(TriggerRequest.of(json()))));
        refused("invalid_argument", () -> ledger.batches().register(SCOPE, SERVICE, List.of()));
        List<TriggerRequest> tooMany = java.util.Collections.nCopies(1001, TriggerRequest.of(json()));
        refused("invalid_argument", () -> ledger.batches().register(SCOPE, SERVICE, tooMany));
        assertThat(count("select count(*) from runs")).isZero();
        assertThat(count("select count(*) from batches")).isZero();
        assertThat(count("select count(*) from run_events")).isZero();
    }
}
