package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.EventDraft;
import io.runledger.api.EventPage;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.Ledger;
import io.runledger.api.NotFoundException;
import io.runledger.api.Page;
import io.runledger.api.RebuildResult;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunFilter;
import io.runledger.api.RunStatus;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code Runs}: trigger, read, list, events, rebuild. The rest of {@code Runs} is in
 * {@link FollowContract}, {@link ScheduleContract}, {@link CancelContract} and
 * {@link TriggerRulesContract}.
 */
public abstract class RunsContract extends ContractBase {

    @Test
    void triggerLeaseAppendComplete() {
        Receipt receipt = trigger();
        assertThat(receipt.runId()).matches("run_[0-9a-z]{26}");
        assertThat(receipt.status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(receipt.replayed()).isFalse();
        assertThat(receipt.scope()).isEqualTo(SCOPE);
        assertThat(receipt.service()).isEqualTo(SERVICE);

        Lease lease = leaseOne("w1");
        assertThat(lease.runId()).isEqualTo(receipt.runId());
        assertThat(lease.attempt()).isEqualTo(1);

        List<Long> seqs = ledger.workers().append(SCOPE, lease.runId(), lease.leaseToken(), List.of(
                new EventDraft("progress", json().put("pct", 50)),
                new EventDraft("output.delta", json().put("text", "hello"))));
        assertThat(seqs).containsExactly(3L, 4L);

        Run done = ledger.workers().complete(SCOPE, lease.runId(), lease.leaseToken(), json().put("answer", 42));
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.output().get("answer").asInt()).isEqualTo(42);
        assertThat(done.lastSeq()).isEqualTo(5);
        assertThat(ledger.runs().get(SCOPE, lease.runId())).isEqualTo(done);

        List<RunEvent> events = ledger.runs().events(SCOPE, lease.runId(), 0, 100).items();
        assertThat(events).extracting(RunEvent::type)
                .containsExactly("run.accepted", "run.started", "progress", "output.delta", "run.succeeded");
        assertThat(events).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(ledger.runs().rebuildProjection(SCOPE, lease.runId()).changed()).isFalse();
    }

    @Test
    void aRunCarriesEverythingItWasTriggeredWith() {
        String parent = trigger().runId();
        Receipt receipt = trigger(TriggerRequest.builder().input(json().put("q", "why")).idempotencyKey("cmd-1")
                .concurrencyKey("chat-9").correlationId("corr-1").parentRunId(parent).tags(List.of("a", "b"))
                .metadata(json().put("user", "u1")).delaySeconds(3600).ttlSeconds(7200).maxAttempts(7).build());
        assertThat(receipt.status()).isEqualTo(RunStatus.SCHEDULED);
        assertThat(receipt.commandId()).isEqualTo("cmd-1");
        assertThat(receipt.correlationId()).isEqualTo("corr-1");
        Run run = ledger.runs().get(SCOPE, receipt.runId());
        assertThat(run.runId()).isEqualTo(receipt.runId());
        assertThat(run.scope()).isEqualTo(SCOPE);
        assertThat(run.service()).isEqualTo(SERVICE);
        assertThat(run.status()).isEqualTo(RunStatus.SCHEDULED);
        assertThat(run.attempt()).isEqualTo(1);
        assertThat(run.maxAttempts()).isEqualTo(7);
        assertThat(run.input()).isEqualTo(json().put("q", "why"));
        assertThat(run.output()).isNull();
        assertThat(run.error()).isNull();
        assertThat(run.commandId()).isEqualTo("cmd-1");
        assertThat(run.correlationId()).isEqualTo("corr-1");
        assertThat(run.concurrencyKey()).isEqualTo("chat-9");
        assertThat(run.parentRunId()).isEqualTo(parent);
        assertThat(run.tags()).containsExactly("a", "b");
        assertThat(run.metadata()).isEqualTo(json().put("user", "u1"));
        assertThat(run.workerId()).isNull();
        assertThat(run.createdAt()).isEqualTo(receipt.createdAt());
        assertThat(run.runAt()).isAfter(run.createdAt().plusSeconds(3599));
        assertThat(run.startedAt()).isNull();
        assertThat(run.finishedAt()).isNull();
        assertThat(run.stopRequestedAt()).isNull();
        assertThat(run.leaseExpiresAt()).isNull();
        assertThat(run.updatedAt()).isNotNull();
        assertThat(run.lastSeq()).isEqualTo(2);
        // without a key the command id is generated
        assertThat(trigger().commandId()).isNotBlank();
    }

    @Test
    void everyReceiptIsVisibleToAnotherConnectionAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Connection observer = TestDatabase.connect();
             PreparedStatement check = observer.prepareStatement(
                     "select r.status, e.type from runs r join run_events e"
                             + " on e.scope_id = r.scope_id and e.run_id = r.run_id and e.seq = 1"
                             + " where r.scope_id = ? and r.run_id = ?")) {
            List<Future<Receipt>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                futures.add(pool.submit(() -> trigger(TriggerRequest.of(json().put("n", n)))));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Receipt> f : futures) {
                Receipt receipt = f.get();
                // Checked from a separate connection the moment the receipt is in hand.
                check.setString(1, SCOPE);
                check.setString(2, receipt.runId());
                try (ResultSet rs = check.executeQuery()) {
                    assertThat(rs.next()).as("run %s committed before its receipt", receipt.runId()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("accepted");
                    assertThat(rs.getString(2)).isEqualTo("run.accepted");
                }
                ids.add(receipt.runId());
            }
            assertThat(ids).hasSize(200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pagesWalkEveryRunNewestFirstWithoutGapsOrDuplicates() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 47; i++) {
            ids.add(trigger(TriggerRequest.builder().input(json().put("i", i))
                    .tags(List.of(i % 2 == 0 ? "even" : "odd")).build()).runId());
        }
        List<String> seen = new ArrayList<>();
        RunFilter filter = RunFilter.all().withLimit(10);
        int pages = 0;
        while (true) {
            Page<Run> page = ledger.runs().list(SCOPE, filter);
            pages++;
            page.items().forEach(r -> seen.add(r.runId()));
            if (page.nextCursor() == null) {
                break;
            }
            filter = filter.withCursor(page.nextCursor());
        }
        assertThat(pages).isEqualTo(5);
        assertThat(seen).containsExactlyElementsOf(ids.reversed());
    }

    @Test
    void filtersNarrowTheListAndAnotherScopeSeesNothing() {
        ledger.admin().servicePut(SCOPE, "other", null);
        String parent = trigger().runId();
        String child = trigger(TriggerRequest.builder().input(json()).parentRunId(parent).tags(List.of("x"))
                .concurrencyKey("ck").build()).runId();
        String elsewhere = ledger.runs().trigger(SCOPE, "other", TriggerRequest.of(json())).runId();
        Lease lease = leaseOne("w");
        ledger.workers().complete(SCOPE, lease.runId(), lease.leaseToken(), json());

        assertThat(ids(RunFilter.all().withService("other"))).containsExactly(elsewhere);
        assertThat(ids(RunFilter.all().withTag("x"))).containsExactly(child);
        assertThat(ids(RunFilter.all().withParentRunId(parent))).containsExactly(child);
        assertThat(ids(RunFilter.all().withConcurrencyKey("ck"))).containsExactly(child);
        assertThat(ids(RunFilter.all().withStatus(RunStatus.SUCCEEDED))).containsExactly(lease.runId());
        assertThat(ids(RunFilter.all().withService(SERVICE).withStatus(RunStatus.ACCEPTED)))
                .hasSize(1).doesNotContain(lease.runId());

        Ledger other = target.open("other-scope");
        assertThat(other.runs().list("other-scope", RunFilter.all()).items()).isEmpty();
        assertThatThrownBy(() -> other.runs().get("other-scope", child))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("run_not_found"));
        assertThatThrownBy(() -> ledger.runs().get("other-scope", child)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void badListArgumentsAreRefused() {
        assertThatThrownBy(() -> RunFilter.all().withLimit(0)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> RunFilter.all().withLimit(201)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ledger.runs().list(SCOPE, RunFilter.all().withCursor("%%%")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("cursor");
    }

    @Test
    void eventsAfterASeqArriveInOrderInPages() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        List<EventDraft> drafts = IntStream.range(0, 30)
                .mapToObj(i -> new EventDraft("output.delta", json().put("text", "t" + i))).toList();
        ledger.workers().append(SCOPE, runId, lease.leaseToken(), drafts);
        ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json());
        long after = 0;
        List<Long> seqs = new ArrayList<>();
        while (true) {
            EventPage page = ledger.runs().events(SCOPE, runId, after, 7);
            if (page.items().isEmpty()) {
                assertThat(page.nextAfter()).isEqualTo(after);
                break;
            }
            page.items().forEach(e -> seqs.add(e.seq()));
            after = page.nextAfter();
        }
        assertThat(seqs).containsExactlyElementsOf(IntStream.rangeClosed(1, 33).mapToObj(i -> (long) i).toList());
        List<RunEvent> tail = ledger.runs().events(SCOPE, runId, 31, 10).items();
        assertThat(tail).extracting(RunEvent::type).containsExactly("output.delta", "run.succeeded");
        assertThat(tail.get(0).data().get("text").asText()).isEqualTo("t29");
        assertThat(tail.get(0).runId()).isEqualTo(runId);
        assertThat(tail.get(0).schemaVersion()).isEqualTo(1);
        assertThat(tail.get(0).createdAt()).isNotNull();
        assertThatThrownBy(() -> ledger.runs().events(SCOPE, "run_nope", 0, 10))
                .isInstanceOf(NotFoundException.class).hasFieldOrPropertyWithValue("code", "run_not_found");
        assertThatThrownBy(() -> ledger.runs().events(SCOPE, runId, -1, 10))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ledger.runs().events(SCOPE, runId, 0, 0))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ledger.runs().events(SCOPE, runId, 0, 1001))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void rebuildReportsAndRepairsACorruptedRow() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w");
        Run done = ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("answer", 42));
        RebuildResult clean = ledger.runs().rebuildProjection(SCOPE, runId);
        assertThat(clean.changed()).isFalse();
        assertThat(clean.after()).isEqualTo(done);
        // corrupt the projection behind the engine's back; the repair flag lets the
        // status go "backwards", which the transition trigger otherwise forbids
        TestDatabase.sql("begin; select set_config('runledger.repair', 'on', true);"
                + " update runs set status = 'running', output = '{\"answer\": 7}', attempt = 5, last_seq = 2"
                + " where run_id = '" + runId + "'; commit;");
        RebuildResult result = ledger.runs().rebuildProjection(SCOPE, runId);
        assertThat(result.changed()).isTrue();
        assertThat(result.before().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(result.before().attempt()).isEqualTo(5);
        assertThat(result.after().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.after().output()).isEqualTo(done.output());
        assertThat(result.after().attempt()).isEqualTo(1);
        assertThat(result.after().lastSeq()).isEqualTo(3);
        assertThat(ledger.runs().get(SCOPE, runId).output().get("answer").asInt()).isEqualTo(42);
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
        assertThatThrownBy(() -> ledger.runs().rebuildProjection(SCOPE, "run_nope"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("run_not_found"));
    }

    private List<String> ids(RunFilter filter) {
        return ledger.runs().list(SCOPE, filter).items().stream().map(Run::runId).toList();
    }
}
