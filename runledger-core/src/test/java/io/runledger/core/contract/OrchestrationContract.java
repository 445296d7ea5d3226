package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.CancelResult;
import io.runledger.api.ConflictException;
import io.runledger.api.Lease;
import io.runledger.api.LeaseLostException;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.OnTimeout;
import io.runledger.api.Receipt;
import io.runledger.api.RetryPolicy;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.StepRecord;
import io.runledger.api.SuspendRequest;
import io.runledger.api.SuspendResult;
import io.runledger.api.Timestamps;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WaitResult;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointFilter;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointRef;
import io.runledger.api.WaitpointStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Orchestration through the api, against the embedded engine and the HTTP server alike:
 * backoff, token and duration waitpoints with suspend and resume, durable steps, children,
 * cascade cancel and replay, each with its exact ledger.
 */
public abstract class OrchestrationContract extends ContractBase {

    private SuspendResult suspend(Lease lease, String step, List<WaitpointRef> waits) {
        return ledger.workers().suspend(SCOPE, lease.runId(), new SuspendRequest(lease.leaseToken(), step, waits,
                null, null));
    }

    private NewWaitpoint token() {
        return ledger.waitpoints().create(SCOPE, WaitpointCreate.token());
    }

    private List<String> types(String runId) {
        return ledger.runs().events(SCOPE, runId, 0, 1000).items().stream().map(RunEvent::type).toList();
    }

    @Test
    void aTokenSuspendEndsTheLeaseAndItsCompletionResumesTheRunWithTheData() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        Waitpoint token = token().waitpoint();
        assertThat(token.status()).isEqualTo(WaitpointStatus.PENDING);
        assertThat(token.kind()).isEqualTo(WaitpointKind.TOKEN);

        SuspendResult result = suspend(lease, "approval", List.of(WaitpointRef.token(token.waitpointId())));
        assertThat(result.suspended()).isTrue();
        Run waiting = ledger.runs().get(SCOPE, runId);
        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING);
        assertThat(waiting.leaseExpiresAt()).isNull();
        assertThat(lease("w2", 10)).isEmpty(); // a waiting run is not leasable
        assertThatThrownBy(() -> ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken()))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> ledger.workers().complete(SCOPE, runId, lease.leaseToken(), json()))
                .isInstanceOf(LeaseLostException.class);
        // the suspend repeated (a retried call) answers the same, and changes nothing
        long seq = waiting.lastSeq();
        assertThat(suspend(lease, "approval", List.of(WaitpointRef.token(token.waitpointId()))).suspended()).isTrue();
        assertThat(ledger.runs().get(SCOPE, runId).lastSeq()).isEqualTo(seq);
        assertThat(ledger.waitpoints().list(SCOPE, new WaitpointFilter(null, runId, 50, null)).items())
                .extracting(Waitpoint::waitpointId).containsExactly(token.waitpointId());

        JsonNode data = json("{\"approved\": true}");
        Waitpoint done = ledger.waitpoints().complete(SCOPE, token.waitpointId(), data);
        assertThat(done.status()).isEqualTo(WaitpointStatus.COMPLETED);
        assertThat(done.data()).isEqualTo(data);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.ACCEPTED); // in the same transaction
        assertThat(ledger.waitpoints().complete(SCOPE, token.waitpointId(), data)).isEqualTo(done);
        assertThatThrownBy(() -> ledger.waitpoints().complete(SCOPE, token.waitpointId(), json("{\"approved\": false}")))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.code()).isEqualTo("waitpoint_already_completed"));

        Lease again = leaseOne("w2");
        assertThat(again.attempt()).isEqualTo(1); // a resume is not a retry
        assertThat(again.resumed()).containsOnlyKeys("approval");
        assertThat(again.resumed().get("approval")).containsExactly(
                new WaitResult(token.waitpointId(), WaitpointKind.TOKEN, WaitpointStatus.COMPLETED, data));
        // the handler executed again reaches its suspend: it is over, the results come back at once
        SuspendResult replayed = suspend(again, "approval", List.of(WaitpointRef.token(token.waitpointId())));
        assertThat(replayed.suspended()).isFalse();
        assertThat(replayed.results()).isEqualTo(again.resumed().get("approval"));
        ledger.workers().complete(SCOPE, runId, again.leaseToken(), data);
        assertThat(types(runId)).containsExactly("run.accepted", "run.started", "run.waiting", "run.resumed",
                "run.started", "run.succeeded");
        RunEvent resumed = ledger.runs().events(SCOPE, runId, 3, 1).items().get(0);
        assertThat(resumed.data().get("step").asText()).isEqualTo("approval");
        assertThat(resumed.data().get("results").get(0).get("data")).isEqualTo(data);
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void theCallbackSecretCompletesATokenAndAnythingElseIsNotFound() {
        NewWaitpoint created = token();
        assertThat(created.callbackUrl()).contains("/v1/callbacks/wpc_"); // absolute from a server
        String secret = created.callbackUrl().substring(created.callbackUrl().lastIndexOf('/') + 1);
        refusedWaitpoint("waitpoint_not_found", () -> ledger.waitpoints().completeByCallback(
                secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A"), json()));
        refusedWaitpoint("waitpoint_not_found", () -> ledger.waitpoints().completeByCallback("nonsense", json()));
        Waitpoint done = ledger.waitpoints().completeByCallback(secret, json("{\"ok\": 1}"));
        assertThat(done.waitpointId()).isEqualTo(created.waitpoint().waitpointId());
        assertThat(ledger.waitpoints().get(SCOPE, done.waitpointId()).data()).isEqualTo(json("{\"ok\": 1}"));
        assertThatThrownBy(() -> ledger.waitpoints().completeByCallback(secret, json("{\"ok\": 2}")))
                .isInstanceOf(ConflictException.class);
        // an idempotent create answers the first waitpoint, without a secret to show
        NewWaitpoint keyed = ledger.waitpoints().create(SCOPE, new WaitpointCreate(null, "k1", List.of(), null));
        NewWaitpoint again = ledger.waitpoints().create(SCOPE, new WaitpointCreate(null, "k1", List.of(), null));
        assertThat(again.replayed()).isTrue();
        assertThat(again.callbackUrl()).isNull();
        assertThat(again.waitpoint().waitpointId()).isEqualTo(keyed.waitpoint().waitpointId());
    }

    private static void refusedWaitpoint(String code, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(io.runledger.api.RunLedgerException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void aSuspendOnWaitpointsDoneAlreadyGoesOnUnderTheSameLease() {
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        Waitpoint token = token().waitpoint();
        ledger.waitpoints().complete(SCOPE, token.waitpointId(), json("{\"v\": 1}"));
        SuspendResult result = suspend(lease, "s", List.of(WaitpointRef.token(token.waitpointId()),
                WaitpointRef.duration(0)));
        assertThat(result.suspended()).isFalse();
        assertThat(result.results()).extracting(WaitResult::status)
                .containsExactly(WaitpointStatus.COMPLETED, WaitpointStatus.COMPLETED);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.RUNNING);
        ledger.workers().heartbeat(SCOPE, runId, lease.leaseToken());
    }

    @Test
    void aDurationResumesAfterItsTimeAndATimeoutCanFailTheRun() {
        String sleeper = trigger().runId();
        Lease first = leaseOne("w1");
        Instant before = Instant.now();
        assertThat(suspend(first, "nap", List.of(WaitpointRef.duration(1))).suspended()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            maintenance().queue();
            return ledger.runs().get(SCOPE, sleeper).status() == RunStatus.ACCEPTED;
        });
        assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        Lease woke = leaseOne("w1");
        assertThat(woke.resumed().get("nap")).singleElement()
                .satisfies(r -> assertThat(r.kind()).isEqualTo(WaitpointKind.DURATION))
                .satisfies(r -> assertThat(r.status()).isEqualTo(WaitpointStatus.COMPLETED));

        String impatient = trigger().runId();
        Lease lease = leaseOne("w1");
        Waitpoint never = token().waitpoint();
        assertThat(ledger.workers().suspend(SCOPE, impatient, new SuspendRequest(lease.leaseToken(), "approval",
                List.of(WaitpointRef.token(never.waitpointId())), 1L, OnTimeout.FAIL)).suspended()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            maintenance().queue();
            return ledger.runs().get(SCOPE, impatient).status().isTerminal();
        });
        Run failed = ledger.runs().get(SCOPE, impatient);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("waitpoint_timeout");
        assertThat(types(impatient)).containsExactly("run.accepted", "run.started", "run.waiting", "run.failed");
        assertThat(ledger.runs().rebuildProjection(SCOPE, impatient).changed()).isFalse();
        // the token itself is still pending: only that run's wait timed out
        assertThat(ledger.waitpoints().get(SCOPE, never.waitpointId()).status()).isEqualTo(WaitpointStatus.PENDING);
    }

    @Test
    void aStepIsRecordedOnceAndEveryLaterAttemptCarriesIt() {
        String runId = trigger().runId();
        Lease first = leaseOne("w1");
        StepRecord recorded = ledger.workers().stepRecord(SCOPE, runId, "fetch/1:a", first.leaseToken(),
                json("{\"rows\": 3}"));
        assertThat(recorded.replayed()).isFalse();
        assertThat(recorded.attempt()).isEqualTo(1);
        StepRecord second = ledger.workers().stepRecord(SCOPE, runId, "fetch/1:a", first.leaseToken(),
                json("{\"rows\": 99}"));
        assertThat(second.replayed()).isTrue();
        assertThat(second.output()).isEqualTo(json("{\"rows\": 3}"));
        ledger.workers().fail(SCOPE, runId, first.leaseToken(), RunError.of("flaky", "try again"), true);

        Lease retry = leaseOne("w2");
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(retry.steps()).isEqualTo(Map.of("fetch/1:a", json("{\"rows\": 3}")));
        assertThat(retry.stepsComplete()).isTrue();
        assertThatThrownBy(() -> ledger.workers().stepRecord(SCOPE, runId, "late", first.leaseToken(), json()))
                .isInstanceOf(LeaseLostException.class); // a stale attempt records nothing
        ledger.workers().stepRecord(SCOPE, runId, "second", retry.leaseToken(), json("2"));
        assertThat(ledger.runs().steps(SCOPE, runId, 0, 1).items()).extracting(StepRecord::step)
                .containsExactly("fetch/1:a");
        assertThat(ledger.runs().steps(SCOPE, runId, 0, 50).items()).extracting(StepRecord::step)
                .containsExactly("fetch/1:a", "second");
        assertThat(types(runId)).containsExactly("run.accepted", "run.started", "step.completed", "run.retrying",
                "run.started", "step.completed");
    }

    @Test
    void childrenAreTriggeredOncePerStepAndTheirOutcomesResumeTheParent() {
        String parent = trigger().runId();
        Lease lease = leaseOne("parent-worker");
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Receipt child = ledger.workers().triggerChild(SCOPE, parent, lease.leaseToken(), "child/" + i, SERVICE,
                    TriggerRequest.of(json().put("i", i)));
            assertThat(child.replayed()).isFalse();
            children.add(child.runId());
        }
        Receipt again = ledger.workers().triggerChild(SCOPE, parent, lease.leaseToken(), "child/0", SERVICE,
                TriggerRequest.of(json().put("i", 0)));
        assertThat(again.replayed()).isTrue();
        assertThat(again.runId()).isEqualTo(children.get(0));
        Run child0 = ledger.runs().get(SCOPE, children.get(0));
        assertThat(child0.parentRunId()).isEqualTo(parent);
        assertThat(child0.rootRunId()).isEqualTo(parent);
        assertThat(ledger.runs().get(SCOPE, parent).rootRunId()).isEqualTo(parent);

        assertThat(suspend(lease, "children", children.stream().map(WaitpointRef::run).toList()).suspended()).isTrue();
        for (int i = 0; i < 3; i++) {
            Lease c = leaseOne("child-worker");
            assertThat(children).contains(c.runId());
            ledger.workers().complete(SCOPE, c.runId(), c.leaseToken(), json().put("done", c.input().get("i").asInt()));
            // completed by the statement that settled the child, not by a later pass
            assertThat(ledger.waitpoints().list(SCOPE, new WaitpointFilter(null, parent, 50, null)).items())
                    .filteredOn(w -> c.runId().equals(w.targetRunId())).singleElement()
                    .satisfies(w -> assertThat(w.status()).isEqualTo(WaitpointStatus.COMPLETED));
        }
        // the database completes the run waitpoints as the children settle; a NOTIFY resumes the parent
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ledger.runs().get(SCOPE, parent).status() == RunStatus.ACCEPTED);
        Lease resumed = leaseOne("parent-worker");
        assertThat(resumed.runId()).isEqualTo(parent);
        List<WaitResult> results = resumed.resumed().get("children");
        assertThat(results).hasSize(3).allSatisfy(r -> assertThat(r.status()).isEqualTo(WaitpointStatus.COMPLETED));
        for (int i = 0; i < 3; i++) {
            assertThat(results.get(i).data().get("runId").asText()).isEqualTo(children.get(i));
            assertThat(results.get(i).data().get("status").asText()).isEqualTo("succeeded");
            assertThat(results.get(i).data().get("output")).isEqualTo(json().put("done", i));
        }
        // the parent executed again triggers no child twice
        assertThat(ledger.workers().triggerChild(SCOPE, parent, resumed.leaseToken(), "child/1", SERVICE,
                TriggerRequest.of(json().put("i", 1))).runId()).isEqualTo(children.get(1));
        assertThat(count("select count(*) from runs where parent_run_id = '" + parent + "'")).isEqualTo(3);
    }

    @Test
    void cancellingAWaitingParentCancelsItsDescendantsEachOnce() {
        String parent = trigger().runId();
        Lease lease = leaseOne("w1");
        String running = ledger.workers().triggerChild(SCOPE, parent, lease.leaseToken(), "a", SERVICE,
                TriggerRequest.of(json())).runId();
        String queued = ledger.workers().triggerChild(SCOPE, parent, lease.leaseToken(), "b", SERVICE,
                TriggerRequest.of(json())).runId();
        suspend(lease, "kids", List.of(WaitpointRef.run(running), WaitpointRef.run(queued)));
        Lease childLease = leaseOne("w2");
        assertThat(childLease.runId()).isEqualTo(running);
        String grandchild = ledger.workers().triggerChild(SCOPE, running, childLease.leaseToken(), "g", SERVICE,
                TriggerRequest.of(json())).runId();
        assertThat(ledger.runs().get(SCOPE, grandchild).rootRunId()).isEqualTo(parent);

        CancelResult result = ledger.runs().cancel(SCOPE, parent, "user pressed stop");
        assertThat(result.run().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(ledger.runs().get(SCOPE, queued).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(ledger.runs().get(SCOPE, grandchild).status()).isEqualTo(RunStatus.CANCELLED);
        Run runningChild = ledger.runs().get(SCOPE, running);
        assertThat(runningChild.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(runningChild.stopRequestedAt()).isNotNull();
        // its worker learns it on its heartbeat and settles it cancelled
        assertThat(ledger.workers().heartbeat(SCOPE, running, childLease.leaseToken()).stopRequested()).isTrue();
        ledger.workers().fail(SCOPE, running, childLease.leaseToken(), RunError.of("stopped", "stopped"), false);
        assertThat(count("select count(*) from suspensions where resumed_at is null")).isZero(); // no wait left open
        for (String id : List.of(parent, running, queued, grandchild)) {
            assertThat(ledger.runs().get(SCOPE, id).status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(types(id).stream().filter(t -> t.equals("run.cancelled"))).hasSize(1);
            assertThat(ledger.runs().rebuildProjection(SCOPE, id).changed()).isFalse();
        }
    }

    @Test
    void cancelWithoutCascadeLeavesTheChildren() {
        String parent = trigger().runId();
        Lease lease = leaseOne("w1");
        String child = ledger.workers().triggerChild(SCOPE, parent, lease.leaseToken(), "a", SERVICE,
                TriggerRequest.of(json())).runId();
        suspend(lease, "kid", List.of(WaitpointRef.run(child)));
        ledger.runs().cancel(SCOPE, parent, null, false);
        assertThat(ledger.runs().get(SCOPE, parent).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(ledger.runs().get(SCOPE, child).status()).isEqualTo(RunStatus.ACCEPTED);
    }

    @Test
    void aReplayIsANewRunWithTheOriginalsInput() {
        String original = trigger(TriggerRequest.builder().input(json().put("q", "why")).tags(List.of("t1"))
                .maxAttempts(1).build()).runId();
        Lease lease = leaseOne("w1");
        ledger.workers().fail(SCOPE, original, lease.leaseToken(), RunError.of("bad", "bad"), false);
        Receipt replay = ledger.runs().replay(SCOPE, original, null, null);
        Run run = ledger.runs().get(SCOPE, replay.runId());
        assertThat(run.replayOf()).isEqualTo(original);
        assertThat(run.input()).isEqualTo(json().put("q", "why"));
        assertThat(run.tags()).containsExactly("t1");
        assertThat(run.status()).isEqualTo(RunStatus.ACCEPTED);
        Lease again = leaseOne("w1");
        assertThat(again.runId()).isEqualTo(replay.runId());
        ledger.workers().complete(SCOPE, again.runId(), again.leaseToken(), json().put("ok", true));
        assertThat(ledger.runs().get(SCOPE, replay.runId()).status()).isEqualTo(RunStatus.SUCCEEDED);
        Receipt edited = ledger.runs().replay(SCOPE, original, json().put("q", "how"), null);
        assertThat(ledger.runs().get(SCOPE, edited.runId()).input()).isEqualTo(json().put("q", "how"));
        assertThat(ledger.runs().rebuildProjection(SCOPE, replay.runId()).changed()).isFalse();
    }

    @Test
    void aDelayedRetryWaitsScheduledAndComesDueAsTheLedgerSays() {
        ledger.admin().servicePut(SCOPE, SERVICE, new ServiceSpec(3, 30, null, null, null,
                new RetryPolicy(1.0, null, 2.0, 0.0)));
        String runId = trigger().runId();
        Lease lease = leaseOne("w1");
        ledger.workers().fail(SCOPE, runId, lease.leaseToken(), RunError.of("flaky", "flaky"), true);
        Run scheduled = ledger.runs().get(SCOPE, runId);
        assertThat(scheduled.status()).isEqualTo(RunStatus.SCHEDULED);
        RunEvent retrying = ledger.runs().events(SCOPE, runId, 2, 1).items().get(0);
        assertThat(retrying.type()).isEqualTo("run.retrying");
        assertThat(retrying.data().get("delaySeconds").asDouble()).isEqualTo(1.0);
        assertThat(Timestamps.parse(retrying.data().get("runAt").asText())).isEqualTo(scheduled.runAt())
                .isEqualTo(retrying.createdAt().plusSeconds(1));
        assertThat(lease("w1", 1)).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            maintenance().queue();
            return ledger.runs().get(SCOPE, runId).status() == RunStatus.ACCEPTED;
        });
        Lease second = leaseOne("w1");
        // retryAfterSeconds overrides the policy (2 s now) once
        ledger.workers().fail(SCOPE, runId, second.leaseToken(), RunError.of("flaky", "flaky"), true, 0.0);
        assertThat(ledger.runs().get(SCOPE, runId).status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(ledger.runs().rebuildProjection(SCOPE, runId).changed()).isFalse();
    }

    @Test
    void aBatchWaitpointResumesWhenTheBatchsLastRunSettles() {
        ledger.admin().servicePut(SCOPE, "other", null);
        String parent = trigger().runId();
        Lease lease = leaseOne("w1");
        var batch = ledger.batches().register(SCOPE, "other", List.of(TriggerRequest.of(json().put("k", 0)),
                TriggerRequest.of(json().put("k", 1))));
        assertThat(suspend(lease, "batch", List.of(WaitpointRef.batch(batch.batchId()))).suspended()).isTrue();
        for (int i = 0; i < 2; i++) {
            Lease item = ledger.workers().lease(SCOPE, io.runledger.api.LeaseRequest.of("w2", List.of("other"), 1,
                    Duration.ZERO)).get(0);
            assertThat(ledger.runs().get(SCOPE, parent).status()).isEqualTo(RunStatus.WAITING);
            ledger.workers().complete(SCOPE, item.runId(), item.leaseToken(), json().put("n", i));
        }
        assertThat(ledger.waitpoints().list(SCOPE, new WaitpointFilter(null, parent, 50, null)).items())
                .singleElement().satisfies(w -> assertThat(w.status()).isEqualTo(WaitpointStatus.COMPLETED));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ledger.runs().get(SCOPE, parent).status() == RunStatus.ACCEPTED);
        JsonNode data = leaseOne("w1").resumed().get("batch").get(0).data();
        assertThat(data.get("batchId").asText()).isEqualTo(batch.batchId());
        assertThat(data.get("runs")).hasSize(2);
        assertThat(data.get("runs").get(0).get("runId").asText()).isEqualTo(batch.receipts().get(0).runId());
        assertThat(data.get("runs").get(1).get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void tokensCompletedAtOnceResumeTheirRunExactlyOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            String runId = trigger().runId();
            Lease lease = leaseOne("w1");
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tokens.add(token().waitpoint().waitpointId());
            }
            suspend(lease, "all", tokens.stream().map(WaitpointRef::token).toList());
            race(4, n -> ledger.waitpoints().complete(SCOPE, tokens.get(n), json().put("n", n)));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> ledger.runs().get(SCOPE, runId).status() == RunStatus.ACCEPTED);
            assertThat(types(runId).stream().filter(t -> t.equals("run.resumed"))).hasSize(1);
            Lease resumed = leaseOne("w1");
            assertThat(resumed.resumed().get("all")).extracting(WaitResult::status).containsOnly(WaitpointStatus.COMPLETED);
            ledger.workers().complete(SCOPE, runId, resumed.leaseToken(), json());
        }
    }
}
