package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Completion;
import io.runledger.api.Failure;
import io.runledger.api.Heartbeat;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRef;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunError;
import io.runledger.api.RunLedgerException;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Settlement;
import io.runledger.api.Signal;
import io.runledger.api.TriggerRequest;
import io.runledger.api.Workers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The batched worker calls ({@code completeAll}, {@code failAll}, {@code heartbeatAll}):
 * each item fenced and answered on its own, in order, one refusal never failing its
 * neighbours, and the ledger's guarantees (one terminal event per run, gapless seqs) kept.
 */
public abstract class WorkerBatchesContract extends ContractBase {
    private static final String STALE = "00000000-0000-0000-0000-000000000000";
    private static final String MISSING_RUN = "run_01jzzzzzzzzzzzzzzzzzzzzzzz";

    private Workers workers() {
        return ledger.workers();
    }

    private List<Lease> leaseRuns(int n) {
        for (int i = 0; i < n; i++) {
            trigger(TriggerRequest.of(json().put("i", i)));
        }
        List<Lease> leases = lease("w", n);
        assertThat(leases).hasSize(n);
        return leases;
    }

    private static Completion done(Lease l, JsonNode output) {
        return new Completion(l.runId(), l.leaseToken(), output);
    }

    @Test
    void aBatchCompleteAnswersEachItemOnItsOwn() {
        List<Lease> l = leaseRuns(6);
        JsonNode first = json().put("v", 1);
        workers().complete(SCOPE, l.get(0).runId(), l.get(0).leaseToken(), first);
        workers().complete(SCOPE, l.get(5).runId(), l.get(5).leaseToken(), first);

        List<ItemOutcome<Settlement>> answers = workers().completeAll(SCOPE, List.of(
                done(l.get(1), json().put("v", 2)),
                new Completion(l.get(2).runId(), STALE, json()),
                done(l.get(0), json().put("v", 9)),
                done(l.get(3), null),
                new Completion(MISSING_RUN, l.get(4).leaseToken(), json()),
                done(l.get(4), json().put("v", 4)),
                done(l.get(5), first)));

        assertThat(answers).hasSize(7);
        assertOk(answers.get(0), l.get(1).runId(), RunStatus.SUCCEEDED);
        assertRefused(answers.get(1), "lease_lost");
        assertRefused(answers.get(2), "run_already_settled");
        assertThat(((RunAlreadySettledException) answers.get(2).error()).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertOk(answers.get(3), l.get(3).runId(), RunStatus.SUCCEEDED);
        assertRefused(answers.get(4), "run_not_found");
        assertOk(answers.get(5), l.get(4).runId(), RunStatus.SUCCEEDED);
        assertOk(answers.get(6), l.get(5).runId(), RunStatus.SUCCEEDED); // a replay of the same outcome

        assertThat(ledger.runs().get(SCOPE, l.get(1).runId()).output()).isEqualTo(json().put("v", 2));
        assertThat(ledger.runs().get(SCOPE, l.get(0).runId()).output()).isEqualTo(first);
        assertThat(ledger.runs().get(SCOPE, l.get(2).runId()).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(count("select count(*) from run_events where type = 'run.succeeded'")).isEqualTo(5);
        assertOneTerminalEventEachAndGaplessSeqs();
    }

    @Test
    void aBatchFailRetriesFailsAndCancelsEachAsItsRun() {
        List<Lease> l = leaseRuns(4);
        ledger.runs().cancel(SCOPE, l.get(2).runId(), "enough");
        RunError boom = new RunError("boom", "it broke", null);

        List<ItemOutcome<Settlement>> answers = workers().failAll(SCOPE, List.of(
                new Failure(l.get(0).runId(), l.get(0).leaseToken(), boom, true),
                new Failure(l.get(1).runId(), l.get(1).leaseToken(), boom, false),
                new Failure(l.get(2).runId(), l.get(2).leaseToken(), boom, true),
                new Failure(l.get(3).runId(), STALE, boom, false),
                new Failure(l.get(3).runId() + "x", l.get(3).leaseToken(), null, false)));

        assertOk(answers.get(0), l.get(0).runId(), RunStatus.ACCEPTED);
        assertThat(answers.get(0).value().attempt()).isEqualTo(2);
        assertOk(answers.get(1), l.get(1).runId(), RunStatus.FAILED);
        assertOk(answers.get(2), l.get(2).runId(), RunStatus.CANCELLED);
        assertRefused(answers.get(3), "lease_lost");
        assertRefused(answers.get(4), "invalid_argument");
        assertThat(ledger.runs().get(SCOPE, l.get(1).runId()).error().code()).isEqualTo("boom");

        // The same report again is a replay: the same answer, nothing written twice.
        long events = count("select count(*) from run_events");
        List<ItemOutcome<Settlement>> again = workers().failAll(SCOPE, List.of(
                new Failure(l.get(1).runId(), l.get(1).leaseToken(), boom, false),
                new Failure(l.get(0).runId(), l.get(0).leaseToken(), new RunError("other", "m", null), false)));
        assertOk(again.get(0), l.get(1).runId(), RunStatus.FAILED);
        assertRefused(again.get(1), "lease_lost");
        assertThat(count("select count(*) from run_events")).isEqualTo(events);

        assertThat(count("select count(*) from run_events where type = 'run.retrying'")).isEqualTo(1);
        assertThat(count("select count(*) from run_events where type = 'run.failed'")).isEqualTo(1);
        assertThat(count("select count(*) from run_events where type = 'run.cancelled'")).isEqualTo(1);
        assertOneTerminalEventEachAndGaplessSeqs();
        // The retried run is back in the queue.
        assertThat(lease("w2", 10)).extracting(Lease::runId).containsExactly(l.get(0).runId());
    }

    @Test
    void aBatchHeartbeatExtendsTheLeasesThatHoldAndRefusesTheOthers() {
        List<Lease> l = leaseRuns(4);
        ledger.signals().send(SCOPE, l.get(0).runId(), Signal.of("pause", json().put("why", "x")));
        ledger.runs().cancel(SCOPE, l.get(3).runId(), "stop please");
        workers().complete(SCOPE, l.get(2).runId(), l.get(2).leaseToken(), json());

        List<ItemOutcome<Heartbeat>> answers = workers().heartbeatAll(SCOPE, List.of(
                new LeaseRef(l.get(0).runId(), l.get(0).leaseToken()),
                new LeaseRef(l.get(1).runId(), STALE),
                new LeaseRef(l.get(2).runId(), l.get(2).leaseToken()),
                new LeaseRef(l.get(3).runId(), l.get(3).leaseToken()),
                new LeaseRef(l.get(1).runId() + "x", "")));

        assertThat(answers.get(0).isOk()).isTrue();
        assertThat(answers.get(0).value().leaseExpiresAt()).isAfterOrEqualTo(l.get(0).leaseExpiresAt());
        assertThat(answers.get(0).value().stopRequested()).isFalse();
        assertThat(answers.get(0).value().messages()).extracting(m -> m.type()).containsExactly("pause");
        assertRefused(answers.get(1), "lease_lost");
        assertRefused(answers.get(2), "run_already_settled");
        assertThat(answers.get(3).isOk()).isTrue();
        assertThat(answers.get(3).value().stopRequested()).isTrue();
        assertThat(answers.get(3).value().messages()).isEmpty();
        assertRefused(answers.get(4), "invalid_argument");
        assertThat(ledger.runs().get(SCOPE, l.get(1).runId()).status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void twoBatchesCompletingOverlappingRunsSettleEachOnce() throws Exception {
        List<Lease> l = leaseRuns(300);
        List<List<ItemOutcome<Settlement>>> answers = race(2, n -> {
            List<Completion> items = new ArrayList<>();
            for (Lease lease : n == 0 ? l.subList(0, 200) : l.subList(100, 300)) {
                items.add(done(lease, json().put("by", "anyone")));
            }
            if (n == 1) {
                Collections.reverse(items); // the other order: the runs are locked in one order anyway
            }
            return workers().completeAll(SCOPE, items);
        });
        for (List<ItemOutcome<Settlement>> batch : answers) {
            assertThat(batch).hasSize(200).allSatisfy(a -> assertThat(a.isOk()).as("%s", a).isTrue());
        }
        assertThat(count("select count(*) from run_events where type = 'run.succeeded'")).isEqualTo(300);
        assertThat(count("select count(*) from runs where status = 'succeeded'")).isEqualTo(300);
        assertOneTerminalEventEachAndGaplessSeqs();
    }

    @Test
    void aLeaseOfOneThousandGetsOneThousandDistinctRunsThatOneCallCompletes() {
        List<TriggerRequest> requests = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            requests.add(TriggerRequest.of(json().put("i", i)));
        }
        ledger.batches().register(SCOPE, SERVICE, requests);
        List<Lease> leases = lease("w", 1000);
        Set<String> ids = new HashSet<>();
        leases.forEach(x -> ids.add(x.runId()));
        assertThat(leases).hasSize(1000);
        assertThat(ids).hasSize(1000);

        List<ItemOutcome<Settlement>> answers = workers().completeAll(SCOPE,
                leases.stream().map(x -> done(x, null)).toList());
        assertThat(answers).hasSize(1000).allSatisfy(a -> assertThat(a.isOk()).isTrue());
        for (int i = 0; i < 1000; i++) {
            assertThat(answers.get(i).value().runId()).isEqualTo(leases.get(i).runId());
        }
        assertThat(count("select count(*) from runs where status = 'succeeded'")).isEqualTo(1000);
        assertOneTerminalEventEachAndGaplessSeqs();
    }

    @Test
    void aBatchCompleteHandsOverConcurrencyKeysAndFreesCappedSlots() {
        ledger.admin().servicePut(SCOPE, "capped", new ServiceSpec(1, 30, null, 2, null));
        String holder = trigger(TriggerRequest.builder().input(json()).concurrencyKey("k").build()).runId();
        String waiter = trigger(TriggerRequest.builder().input(json()).concurrencyKey("k")
                .onConflict(io.runledger.api.OnConflict.ENQUEUE).build()).runId();
        for (int i = 0; i < 3; i++) {
            ledger.runs().trigger(SCOPE, "capped", TriggerRequest.of(json()));
        }
        Lease held = leaseOne("w");
        assertThat(held.runId()).isEqualTo(holder);
        List<Lease> capped = workers().lease(SCOPE, io.runledger.api.LeaseRequest.of("w", List.of("capped"), 10,
                java.time.Duration.ZERO));
        assertThat(capped).hasSize(2);

        List<ItemOutcome<Settlement>> answers = workers().completeAll(SCOPE, List.of(done(held, json()),
                done(capped.get(0), json()), done(capped.get(1), json())));
        assertThat(answers).allSatisfy(a -> assertThat(a.isOk()).isTrue());
        assertThat(leaseOne("w").runId()).isEqualTo(waiter);
        assertThat(workers().lease(SCOPE, io.runledger.api.LeaseRequest.of("w", List.of("capped"), 10,
                java.time.Duration.ZERO))).hasSize(1);
    }

    @Test
    void aCallWithoutItemsTooManyANullOrOneRunTwiceIsRefusedAsAWhole() {
        Lease l = leaseRuns(1).get(0);
        Completion good = done(l, json());
        List<Completion> tooMany = new ArrayList<>();
        for (int i = 0; i < Workers.MAX_ITEMS + 1; i++) {
            tooMany.add(new Completion("run_" + i, "t", null));
        }
        refused("invalid_argument", () -> workers().completeAll(SCOPE, List.of()));
        refused("invalid_argument", () -> workers().completeAll(SCOPE, tooMany));
        refused("invalid_argument", () -> workers().completeAll(SCOPE, Arrays.asList(good, null)));
        refused("invalid_argument", () -> workers().completeAll(SCOPE, List.of(good, good)));
        refused("invalid_argument", () -> workers().failAll(SCOPE, List.of()));
        refused("invalid_argument", () -> workers().heartbeatAll(SCOPE, List.of()));
        assertThat(ledger.runs().get(SCOPE, l.runId()).status()).isEqualTo(RunStatus.RUNNING);
    }

    private static void assertOk(ItemOutcome<Settlement> answer, String runId, RunStatus status) {
        assertThat(answer.isOk()).as("%s", answer).isTrue();
        assertThat(answer.value().runId()).isEqualTo(runId);
        assertThat(answer.value().status()).isEqualTo(status);
    }

    private static void assertRefused(ItemOutcome<?> answer, String code) {
        assertThat(answer.isOk()).as("%s", answer).isFalse();
        RunLedgerException e = answer.error();
        assertThat(e.code()).isEqualTo(code);
    }

    /** Every run: at most one terminal event, seqs 1..last_seq with no gap. */
    private static void assertOneTerminalEventEachAndGaplessSeqs() {
        assertThat(count("select count(*) from (select run_id from run_events where type in"
                + " ('run.succeeded', 'run.failed', 'run.cancelled', 'run.expired')"
                + " group by scope_id, run_id having count(*) > 1) t")).isZero();
        assertThat(count("select count(*) from runs r where r.last_seq <> (select count(*) from run_events e"
                + " where e.scope_id = r.scope_id and e.run_id = r.run_id)"
                + " or r.last_seq <> (select coalesce(max(seq), 0) from run_events e"
                + " where e.scope_id = r.scope_id and e.run_id = r.run_id)")).isZero();
    }
}
