package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.EventDraft;
import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import io.runledger.api.Lease;
import io.runledger.api.NotFoundException;
import io.runledger.api.Run;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.TriggerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code Runs.follow}, {@code Runs.triggerAndFollow} and {@code Runs.await}: waiting on a run and its events. */
public abstract class FollowContract extends ContractBase {

    @Test
    void aFeedReturnsTheEventsInOrderAndWaitsForNewOnes() throws Exception {
        String runId = trigger().runId();
        List<RunEvent> seen = new ArrayList<>();
        try (EventFeed feed = ledger.runs().follow(SCOPE, runId, 0)) {
            seen.addAll(feed.next(Duration.ofSeconds(5)).items());
            assertThat(seen).extracting(RunEvent::type).containsExactly("run.accepted");
            // nothing new: an empty page once the wait is over
            assertThat(feed.next(Duration.ofMillis(300)).items()).isEmpty();

            CompletableFuture<EventPage> waiting = CompletableFuture.supplyAsync(() -> feed.next(Duration.ofSeconds(20)));
            Lease lease = leaseOne("w");
            EventPage woken = waiting.get(10, TimeUnit.SECONDS);
            assertThat(woken.items()).extracting(RunEvent::type).startsWith("run.started");
            seen.addAll(woken.items());

            ledger.workers().append(SCOPE, runId, lease.leaseToken(), List.of(
                    new EventDraft("progress", json().put("pct", 1)), new EventDraft("log", json().put("line", "x"))));
            ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("ok", true));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                seen.addAll(feed.next(Duration.ofSeconds(1)).items());
                return seen.get(seen.size() - 1).isTerminal();
            });
        }
        assertThat(seen).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(seen).extracting(RunEvent::type)
                .containsExactly("run.accepted", "run.started", "progress", "log", "run.succeeded");
        assertThat(seen.get(2).data().get("pct").asInt()).isEqualTo(1);

        // a feed from a seq on resumes after it
        try (EventFeed resumed = ledger.runs().follow(SCOPE, runId, 3)) {
            List<RunEvent> rest = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                rest.addAll(resumed.next(Duration.ofSeconds(1)).items());
                return !rest.isEmpty() && rest.get(rest.size() - 1).isTerminal();
            });
            assertThat(rest).extracting(RunEvent::seq).containsExactly(4L, 5L);
        }
    }

    @Test
    void followingAnUnknownRunIsNotFound() {
        assertThatThrownBy(() -> {
            try (EventFeed feed = ledger.runs().follow(SCOPE, "run_00000000000000000000000000", 0)) {
                feed.next(Duration.ofMillis(200));
            }
        }).isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("run_not_found"));
    }

    @Test
    void triggerAndFollowStartsWithTheRunsAcceptedEvent() {
        String runId;
        List<RunEvent> seen = new ArrayList<>();
        try (EventFeed feed = ledger.runs().triggerAndFollow(SCOPE, SERVICE, TriggerRequest.of(json().put("q", 1)))) {
            seen.addAll(feed.next(Duration.ofSeconds(5)).items());
            assertThat(seen).isNotEmpty();
            RunEvent first = seen.get(0);
            assertThat(first.type()).isEqualTo("run.accepted");
            assertThat(first.seq()).isEqualTo(1);
            runId = first.runId();
            assertThat(ledger.runs().get(SCOPE, runId).input().get("q").asInt()).isEqualTo(1);

            Lease lease = leaseOne("w");
            assertThat(lease.runId()).isEqualTo(runId);
            ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                seen.addAll(feed.next(Duration.ofSeconds(1)).items());
                return seen.get(seen.size() - 1).isTerminal();
            });
        }
        assertThat(seen).extracting(RunEvent::type).containsExactly("run.accepted", "run.started", "run.succeeded");

        // closing the feed never cancels the run
        String detached;
        try (EventFeed feed = ledger.runs().triggerAndFollow(SCOPE, SERVICE, TriggerRequest.of(json()))) {
            detached = feed.next(Duration.ofSeconds(5)).items().get(0).runId();
        }
        assertThat(ledger.runs().get(SCOPE, detached).status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(leaseOne("w").runId()).isEqualTo(detached);
    }

    @Test
    void triggerAndFollowWithAKnownKeyFollowsTheOriginalRunAndARefusedOneWritesNothing() {
        String original = trigger(TriggerRequest.builder().input(json()).idempotencyKey("once").build()).runId();
        try (EventFeed feed = ledger.runs().triggerAndFollow(SCOPE, SERVICE,
                TriggerRequest.builder().input(json()).idempotencyKey("once").build())) {
            RunEvent first = feed.next(Duration.ofSeconds(5)).items().get(0);
            assertThat(first.runId()).isEqualTo(original);
            assertThat(first.type()).isEqualTo("run.accepted");
        }
        refused("service_not_found", () -> {
            try (EventFeed feed = ledger.runs().triggerAndFollow(SCOPE, "ghost", TriggerRequest.of(json()))) {
                feed.next(Duration.ofMillis(500));
            }
        });
        refused("invalid_argument", () -> {
            try (EventFeed feed = ledger.runs().triggerAndFollow(SCOPE, SERVICE,
                    TriggerRequest.builder().input(json()).delaySeconds(-1).build())) {
                feed.next(Duration.ofMillis(500));
            }
        });
        assertThat(count("select count(*) from runs")).isEqualTo(1);
    }

    @Test
    void aWaiterIsWokenWhenTheRunSettlesAndOtherwiseTimesOut() throws Exception {
        String runId = trigger().runId();
        assertThat(ledger.runs().await(SCOPE, runId, Duration.ofMillis(300)).status()).isEqualTo(RunStatus.ACCEPTED);
        CompletableFuture<Run> waiting = CompletableFuture.supplyAsync(
                () -> ledger.runs().await(SCOPE, runId, Duration.ofSeconds(30)));
        Lease lease = leaseOne("w");
        ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json().put("x", 1));
        Run settled = waiting.get(10, TimeUnit.SECONDS);
        assertThat(settled.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(settled.output().get("x").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> ledger.runs().await(SCOPE, "run_nope", Duration.ofMillis(100)))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("run_not_found"));
    }
}
