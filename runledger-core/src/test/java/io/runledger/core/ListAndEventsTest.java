package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.EventDraft;
import io.runledger.api.EventPage;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Lease;
import io.runledger.api.NotFoundException;
import io.runledger.api.Page;
import io.runledger.api.Run;
import io.runledger.api.RunFilter;
import io.runledger.api.RunStatus;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.LedgerTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Listing runs newest first with a keyset cursor, and reading the ledger after a seq. */
class ListAndEventsTest extends LedgerTestBase {

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
    void filtersNarrowTheList() {
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
        // another scope sees nothing of this one
        ledger.admin().scopePut("other-scope");
        assertThat(ledger.runs().list("other-scope", RunFilter.all()).items()).isEmpty();
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
        assertThat(ledger.runs().events(SCOPE, runId, 31, 10).items()).extracting(e -> e.type())
                .containsExactly("output.delta", "run.succeeded");
        assertThatThrownBy(() -> ledger.runs().events(SCOPE, "run_nope", 0, 10))
                .isInstanceOf(NotFoundException.class).hasFieldOrPropertyWithValue("code", "run_not_found");
        assertThatThrownBy(() -> ledger.runs().events(SCOPE, runId, -1, 10))
                .isInstanceOf(InvalidArgumentException.class);
    }

    private List<String> ids(RunFilter filter) {
        return ledger.runs().list(SCOPE, filter).items().stream().map(Run::runId).toList();
    }
}
