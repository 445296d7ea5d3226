package io.runledger.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runledger.api.BulkAction;
import io.runledger.api.BulkActionRequest;
import io.runledger.api.BulkActionStatus;
import io.runledger.api.BulkFilter;
import io.runledger.api.Lease;
import io.runledger.api.Ledger;
import io.runledger.api.OnConflict;
import io.runledger.api.Page;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunFilter;
import io.runledger.api.RunHealth;
import io.runledger.api.RunLedgerException;
import io.runledger.api.RunStatus;
import io.runledger.api.ServiceSpec;
import io.runledger.api.TriggerRequest;
import io.runledger.core.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Bulk actions: exactly the runs that matched when the action was created are processed,
 * each once, page by page (500 runs per page), whatever else happens in the scope meanwhile.
 * The tests drive the pages themselves ({@code bulkActionPages}), so every count is exact.
 */
public abstract class BulkActionsContract extends ContractBase {
    private static final String OTHER = "other";

    private List<String> triggerMany(String service, int n) {
        return IntStream.range(0, n).mapToObj(i -> ledger.runs().trigger(SCOPE, service,
                TriggerRequest.of(json().put("i", i))).runId()).toList();
    }

    private BulkAction finish(BulkAction action) {
        while (maintenance().bulkActionPages(10) > 0) {
            // every page of every running action
        }
        return ledger.bulkActions().get(SCOPE, action.bulkActionId());
    }

    private static void counts(BulkAction a, BulkActionStatus status, long matched, long processed, long skipped,
                               long failed) {
        assertThat(a.status()).as("status of %s", a).isEqualTo(status);
        assertThat(new long[] {a.matched(), a.processed(), a.skipped(), a.failed()}).as("matched, processed, "
                + "skipped, failed of %s", a).containsExactly(matched, processed, skipped, failed);
    }

    @Test
    void aBulkCancelTakesExactlyTheRunsInTheWindowOfItsServiceAndScope() {
        ledger.admin().servicePut(SCOPE, OTHER, new ServiceSpec(3, 30, null, null, null));
        Ledger elsewhere = target.open("elsewhere");
        elsewhere.admin().servicePut("elsewhere", SERVICE, new ServiceSpec(3, 30, null, null, null));

        List<String> before = triggerMany(SERVICE, 2);
        Instant after = ledger.runs().get(SCOPE, before.getLast()).createdAt();
        List<String> window = new ArrayList<>(triggerMany(SERVICE, 3));
        String otherService = ledger.runs().trigger(SCOPE, OTHER, TriggerRequest.of(json())).runId();
        String otherScope = elsewhere.runs().trigger("elsewhere", SERVICE, TriggerRequest.of(json())).runId();
        List<String> late = triggerMany(SERVICE, 2);
        Instant beforeTime = ledger.runs().get(SCOPE, late.getFirst()).createdAt();

        // GET /runs with the same window: exactly the runs created strictly between the bounds
        RunFilter inWindow = RunFilter.all().withCreatedAfter(after).withCreatedBefore(beforeTime);
        assertThat(ledger.runs().list(SCOPE, inWindow).items()).extracting(Run::runId)
                .containsExactlyInAnyOrder(window.get(0), window.get(1), window.get(2), otherService);
        assertThat(ledger.runs().list(SCOPE, inWindow.withService(SERVICE)).items()).extracting(Run::runId)
                .containsExactlyElementsOf(window.reversed());
        assertThat(ledger.runs().list(SCOPE, RunFilter.all().withCreatedAfter(after)).items()).hasSize(6);
        assertThat(ledger.runs().list(SCOPE, RunFilter.all().withCreatedBefore(beforeTime)).items()).hasSize(6);
        assertThat(ledger.runs().list(SCOPE, inWindow.withLimit(2)).nextCursor()).isNotNull();

        BulkAction created = ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(
                BulkFilter.all().withService(SERVICE).withCreated(after, beforeTime), "clean up"));
        counts(created, BulkActionStatus.RUNNING, 3, 0, 0, 0);
        assertThat(created.filter().createdAfter()).isEqualTo(after);
        assertThat(created.reason()).isEqualTo("clean up");
        // created after the action: in no snapshot, though it would match the filter but for time
        String newcomer = trigger().runId();

        BulkAction done = finish(created);
        counts(done, BulkActionStatus.COMPLETED, 3, 3, 0, 0);
        assertThat(done.finishedAt()).isNotNull();
        for (String runId : window) {
            Run run = ledger.runs().get(SCOPE, runId);
            assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(run.error().message()).isEqualTo("clean up");
        }
        for (String runId : concat(before, late, List.of(newcomer, otherService))) {
            assertThat(ledger.runs().get(SCOPE, runId).status()).as(runId).isEqualTo(RunStatus.ACCEPTED);
        }
        assertThat(elsewhere.runs().get("elsewhere", otherScope).status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(count("select count(*) from run_events where type = 'run.cancelled'")).isEqualTo(3);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    @Test
    void aBulkCancelStopsRunningRunsCancelsQueuedOnesAndSkipsSettledOnes() {
        List<String> runIds = triggerMany(SERVICE, 6);
        List<Lease> leases = lease("w1", 3); // the three oldest are running now
        Lease done = leases.getFirst();
        ledger.workers().complete(SCOPE, done.runId(), done.leaseToken(), json());

        BulkAction action = ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(
                BulkFilter.all().withService(SERVICE), null));
        action = finish(action);
        counts(action, BulkActionStatus.COMPLETED, 6, 5, 1, 0);

        assertThat(ledger.runs().get(SCOPE, done.runId()).status()).isEqualTo(RunStatus.SUCCEEDED);
        for (Lease lease : leases.subList(1, 3)) {
            Run run = ledger.runs().get(SCOPE, lease.runId());
            assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(run.stopRequestedAt()).isNotNull();
            // the worker learns of the stop and gives up: the run settles cancelled
            assertThat(ledger.workers().heartbeat(SCOPE, lease.runId(), lease.leaseToken()).stopRequested()).isTrue();
            assertThat(ledger.workers().fail(SCOPE, lease.runId(), lease.leaseToken(),
                    RunError.of("stopped", "asked to stop"), false).status()).isEqualTo(RunStatus.CANCELLED);
        }
        for (String runId : runIds) {
            assertThat(count("select count(*) from run_events where run_id = '" + runId + "' and type in "
                    + "('run.succeeded', 'run.failed', 'run.cancelled', 'run.expired')")).as(runId).isEqualTo(1);
        }
        assertThat(count("select count(*) from run_events where type = 'run.stop_requested' "
                + "and data::text like '%bulk action " + action.bulkActionId() + "%'")).isEqualTo(2);
        // the ledger of the action: one outcome per run
        assertThat(count("select count(*) from bulk_action_runs where outcome = 'skipped'")).isEqualTo(1);
        assertThat(count("select count(*) from bulk_action_runs where outcome is null")).isZero();
    }

    @Test
    void aWorkerSettlingItsRunsWhileAPageCancelsThemNeitherDeadlocksNorDoublesAnything() throws Exception {
        int n = 1_000;
        ledger.batches().register(SCOPE, SERVICE, IntStream.range(0, n)
                .mapToObj(i -> TriggerRequest.of(json().put("i", i))).toList());
        List<Lease> leases = lease("w1", n);
        assertThat(leases).hasSize(n);
        BulkAction action = ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(BulkFilter.all(), null));

        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.Future<?> pages = pool.submit(() -> {
            go.await();
            return finish(action);
        });
        java.util.concurrent.Future<?> worker = pool.submit(() -> {
            go.await();
            List<Lease> sorted = leases.stream().sorted(java.util.Comparator.comparing(Lease::runId)).toList();
            for (int from = 0; from < n; from += 100) {
                ledger.workers().completeAll(SCOPE, sorted.subList(from, from + 100).stream()
                        .map(l -> new io.runledger.api.Completion(l.runId(), l.leaseToken(), json())).toList());
            }
            return null;
        });
        go.countDown();
        pages.get(60, java.util.concurrent.TimeUnit.SECONDS);
        worker.get(60, java.util.concurrent.TimeUnit.SECONDS);
        pool.shutdown();

        BulkAction done = ledger.bulkActions().get(SCOPE, action.bulkActionId());
        assertThat(done.status()).isEqualTo(BulkActionStatus.COMPLETED);
        assertThat(done.processed() + done.skipped()).isEqualTo(n);
        assertThat(done.failed()).isZero();
        // a run stopped by the page and then completed, or completed before the page came to it
        assertThat(count("select count(*) from run_events where type = 'run.stop_requested'"))
                .isEqualTo(done.processed());
        assertThat(count("select count(*) from bulk_action_runs where outcome = 'skipped'")).isEqualTo(done.skipped());
        assertThat(count("select count(*) from run_events where type in ('run.succeeded', 'run.failed',"
                + " 'run.cancelled', 'run.expired')")).isEqualTo(n);
        assertThat(count("select count(distinct run_id) from run_events where type in ('run.succeeded',"
                + " 'run.failed', 'run.cancelled', 'run.expired')")).isEqualTo(n);
    }

    @Test
    void aBulkReplayReplaysEachFailedRunOnceAndCountsARefusedReplayFailed() {
        ledger.admin().servicePut(SCOPE, SERVICE, new ServiceSpec(1, 30, null, null, null, IMMEDIATE));
        int n = 7;
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // the last one carries a concurrency key that a live run holds when it is replayed
            TriggerRequest request = i == n - 1
                    ? new TriggerRequest(json().put("i", i), null, "k", OnConflict.REJECT, null, null, null, null,
                            null, null, null, null)
                    : TriggerRequest.of(json().put("i", i));
            String runId = trigger(request).runId();
            Lease lease = leaseOne("w1");
            assertThat(lease.runId()).isEqualTo(runId);
            ledger.workers().fail(SCOPE, runId, lease.leaseToken(), RunError.of("boom", "broke"), false);
            failed.add(runId);
        }
        String succeeded = trigger().runId();
        ledger.workers().complete(SCOPE, succeeded, leaseOne("w1").leaseToken(), json());
        String holder = trigger(new TriggerRequest(json(), null, "k", OnConflict.REJECT, null, null, null, null,
                null, null, null, null)).runId();

        BulkAction action = ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(
                BulkFilter.all().withStatus(RunStatus.FAILED)));
        action = finish(action);
        counts(action, BulkActionStatus.COMPLETED, n, n - 1, 0, 1);

        for (String original : failed.subList(0, n - 1)) {
            assertThat(count("select count(*) from runs where replay_of = '" + original + "'")).as(original)
                    .isEqualTo(1);
        }
        assertThat(count("select count(*) from runs where replay_of = '" + failed.getLast() + "'")).isZero();
        assertThat(count("select count(*) from runs where replay_of is not null")).isEqualTo(n - 1);
        assertThat(count("select count(*) from bulk_action_runs where outcome = 'failed'"
                + " and detail like 'concurrency_conflict%'")).isEqualTo(1);
        assertThat(ledger.runs().get(SCOPE, holder).status()).isEqualTo(RunStatus.ACCEPTED);
        // replays are new runs, in no action's snapshot: a second pass finds nothing to do
        assertThat(maintenance().bulkActionPages(10)).isZero();
        assertThat(count("select count(*) from runs")).isEqualTo(n + 2 + n - 1);
    }

    @Test
    void pagesTakeAtMostFiveHundredRunsAndACancelledActionTakesNoMore() {
        int n = 1_200;
        ledger.batches().register(SCOPE, SERVICE, IntStream.range(0, 1000)
                .mapToObj(i -> TriggerRequest.of(json().put("i", i))).toList());
        ledger.batches().register(SCOPE, SERVICE, IntStream.range(0, 200)
                .mapToObj(i -> TriggerRequest.of(json().put("i", i))).toList());

        BulkAction action = ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(BulkFilter.all(), "stop"));
        counts(action, BulkActionStatus.RUNNING, n, 0, 0, 0);
        assertThat(maintenance().bulkActionPages(1)).isEqualTo(1);
        counts(ledger.bulkActions().get(SCOPE, action.bulkActionId()), BulkActionStatus.RUNNING, n, 500, 0, 0);

        BulkAction cancelled = ledger.bulkActions().cancel(SCOPE, action.bulkActionId());
        counts(cancelled, BulkActionStatus.CANCELLED, n, 500, 0, 0);
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(maintenance().bulkActionPages(10)).isZero();
        counts(ledger.bulkActions().get(SCOPE, action.bulkActionId()), BulkActionStatus.CANCELLED, n, 500, 0, 0);
        assertThat(count("select count(*) from runs where status = 'cancelled'")).isEqualTo(500);
        assertThat(count("select count(*) from runs where status = 'accepted'")).isEqualTo(n - 500);
        // the newest 500 were taken first, in the listing's order
        List<Run> newest = ledger.runs().list(SCOPE, RunFilter.all().withLimit(200)).items();
        assertThat(newest).allMatch(r -> r.status() == RunStatus.CANCELLED);
        // cancelling again answers the action as it is
        counts(ledger.bulkActions().cancel(SCOPE, action.bulkActionId()), BulkActionStatus.CANCELLED, n, 500, 0, 0);
    }

    @Test
    void anActionThatMatchesNothingIsCompletedAtOnceAndActionsAreListedNewestFirst() {
        BulkAction empty = ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(
                BulkFilter.all().withTag("nothing-has-this"), null));
        counts(empty, BulkActionStatus.COMPLETED, 0, 0, 0, 0);
        assertThat(empty.finishedAt()).isNotNull();
        trigger();
        BulkAction second = ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(BulkFilter.all()));
        BulkAction third = ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(
                BulkFilter.all().withStatus(RunStatus.SUCCEEDED)));

        Page<BulkAction> first = ledger.bulkActions().list(SCOPE, 2, null);
        assertThat(first.items()).extracting(BulkAction::bulkActionId)
                .containsExactly(third.bulkActionId(), second.bulkActionId());
        Page<BulkAction> rest = ledger.bulkActions().list(SCOPE, 2, first.nextCursor());
        assertThat(rest.items()).extracting(BulkAction::bulkActionId).containsExactly(empty.bulkActionId());
        assertThat(rest.nextCursor()).isNull();
        // the completed one cannot be cancelled any more: answered as it is
        counts(ledger.bulkActions().cancel(SCOPE, empty.bulkActionId()), BulkActionStatus.COMPLETED, 0, 0, 0, 0);
    }

    @Test
    void anotherScopesActionIsNotFoundAndBadRequestsWriteNothing() {
        trigger();
        Ledger elsewhere = target.open("elsewhere");
        BulkAction theirs = elsewhere.bulkActions().create("elsewhere", BulkActionRequest.cancel(BulkFilter.all(),
                null));
        for (ThrowingAction call : List.<ThrowingAction>of(
                () -> ledger.bulkActions().get(SCOPE, theirs.bulkActionId()),
                () -> ledger.bulkActions().cancel(SCOPE, theirs.bulkActionId()),
                () -> ledger.bulkActions().get(SCOPE, "bulk_nope"))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(RunLedgerException.class,
                    e -> assertThat(e.code()).isEqualTo("bulk_action_not_found"));
        }
        long before = count("select count(*) from bulk_actions");
        assertThatThrownBy(() -> ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(
                BulkFilter.all(), "x".repeat(1001)))).isInstanceOfSatisfying(RunLedgerException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_argument"));
        assertThatThrownBy(() -> ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(
                BulkFilter.all().withService("bad name!"), null))).isInstanceOf(RunLedgerException.class);
        assertThatThrownBy(() -> ledger.bulkActions().list(SCOPE, 0, null))
                .isInstanceOfSatisfying(RunLedgerException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_argument"));
        assertThat(count("select count(*) from bulk_actions")).isEqualTo(before);
    }

    @Test
    void aDryRunCountsWithoutWritingAndAHealthFilterTakesExactlyTheRunsTheListingShows() {
        List<String> all = triggerMany(SERVICE, 5);
        List<String> retrying = new ArrayList<>();
        for (Lease l : lease("w", 2)) {
            ledger.workers().fail(SCOPE, l.runId(), l.leaseToken(), RunError.of("flaky", "once"), true);
            retrying.add(l.runId());
        }
        BulkFilter unhealthy = BulkFilter.all().withHealth(RunHealth.RETRYING, null, null);
        assertThat(ledger.runs().list(SCOPE, RunFilter.all().withHealth(RunHealth.RETRYING)).items())
                .extracting(Run::runId).containsExactlyInAnyOrderElementsOf(retrying);

        assertThat(ledger.bulkActions().count(SCOPE, BulkActionRequest.cancel(unhealthy, "flaky"))).isEqualTo(2);
        assertThat(ledger.bulkActions().count(SCOPE, BulkActionRequest.replay(BulkFilter.all()))).isEqualTo(5);
        assertThat(ledger.bulkActions().count(SCOPE, BulkActionRequest.replay(
                BulkFilter.all().withHealth(RunHealth.STUCK, 1, null)))).isZero();
        assertThat(count("select count(*) from bulk_actions")).isZero();
        assertThat(count("select count(*) from bulk_action_runs")).isZero();

        BulkAction done = finish(ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(unhealthy, "flaky")));
        counts(done, BulkActionStatus.COMPLETED, 2, 2, 0, 0);
        assertThat(done.filter().health()).isEqualTo(RunHealth.RETRYING);
        for (String id : all) {
            assertThat(ledger.runs().get(SCOPE, id).status())
                    .isEqualTo(retrying.contains(id) ? RunStatus.CANCELLED : RunStatus.ACCEPTED);
        }
        assertThatThrownBy(() -> BulkFilter.all().withHealth(RunHealth.STUCK, 0, null))
                .isInstanceOfSatisfying(RunLedgerException.class, e -> assertThat(e.code()).isEqualTo("invalid_argument"));
        assertThatThrownBy(() -> ledger.bulkActions().count("nosuch", BulkActionRequest.replay(BulkFilter.all())))
                .isInstanceOf(RunLedgerException.class);
    }

    @Test
    void aFilterMatchingMoreThanTheLimitIsRefusedAndWritesNothing() {
        // 100,001 runs, written straight into the table: the trigger path is not what is tested
        TestDatabase.sql("insert into runs (scope_id, run_id, service, status, attempt, max_attempts,"
                + " lease_ttl_seconds, input, command_id, created_at, updated_at, expires_at, last_seq)"
                + " select 'acme', 'run_bulk' || lpad(g::text, 7, '0'), 'work', 'succeeded', 1, 1, 30, '{}',"
                + " 'cmd_bulk' || g, now(), now(), now() + interval '1 day', 0 from generate_series(1, 100001) g");
        assertThatThrownBy(() -> ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(BulkFilter.all())))
                .isInstanceOfSatisfying(RunLedgerException.class,
                        e -> assertThat(e.code()).isEqualTo("bulk_action_too_large"));
        assertThat(count("select count(*) from bulk_actions")).isZero();
        assertThat(count("select count(*) from bulk_action_runs")).isZero();
        assertThatThrownBy(() -> ledger.bulkActions().count(SCOPE, BulkActionRequest.replay(BulkFilter.all())))
                .isInstanceOfSatisfying(RunLedgerException.class,
                        e -> assertThat(e.code()).isEqualTo("bulk_action_too_large"));

        TestDatabase.sql("delete from runs where run_id = 'run_bulk0000001'");
        BulkAction fits = ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(BulkFilter.all()));
        counts(fits, BulkActionStatus.RUNNING, 100_000, 0, 0, 0);
        counts(ledger.bulkActions().cancel(SCOPE, fits.bulkActionId()), BulkActionStatus.CANCELLED, 100_000, 0, 0,
                0);
    }

    @Test
    void aScopeRunsAtMostTenActionsAtOnce() {
        trigger();
        // one that matches nothing is completed at once and does not count
        counts(ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(BulkFilter.all().withTag("none"))),
                BulkActionStatus.COMPLETED, 0, 0, 0, 0);
        List<BulkAction> running = new ArrayList<>();
        for (int i = 0; i < io.runledger.api.BulkActions.MAX_RUNNING; i++) {
            running.add(ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(BulkFilter.all())));
        }
        assertThatThrownBy(() -> ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(BulkFilter.all())))
                .isInstanceOfSatisfying(RunLedgerException.class,
                        e -> assertThat(e.code()).isEqualTo("too_many_bulk_actions"));
        // another scope has its own allowance
        Ledger elsewhere = target.open("elsewhere");
        elsewhere.admin().servicePut("elsewhere", SERVICE, new ServiceSpec(3, 30, null, null, null));
        elsewhere.runs().trigger("elsewhere", SERVICE, TriggerRequest.of(json()));
        counts(elsewhere.bulkActions().create("elsewhere", BulkActionRequest.replay(BulkFilter.all())),
                BulkActionStatus.RUNNING, 1, 0, 0, 0);
        ledger.bulkActions().cancel(SCOPE, running.getFirst().bulkActionId());
        counts(ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(BulkFilter.all())),
                BulkActionStatus.RUNNING, 1, 0, 0, 0);
    }

    @Test
    void racingCreatesNeverLeaveAScopeWithMoreThanTenRunningActions() throws Exception {
        trigger();
        int racers = 16;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        List<java.util.concurrent.Future<String>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            results.add(pool.submit(() -> {
                go.await();
                try {
                    ledger.bulkActions().create(SCOPE, BulkActionRequest.replay(BulkFilter.all()));
                    return "created";
                } catch (RunLedgerException e) {
                    return e.code();
                }
            }));
        }
        go.countDown();
        List<String> outcomes = new ArrayList<>();
        for (java.util.concurrent.Future<String> r : results) {
            outcomes.add(r.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(outcomes.stream().filter("created"::equals).count())
                .isEqualTo(io.runledger.api.BulkActions.MAX_RUNNING);
        assertThat(outcomes.stream().filter("too_many_bulk_actions"::equals).count())
                .isEqualTo(racers - io.runledger.api.BulkActions.MAX_RUNNING);
        assertThat(count("select count(*) from bulk_actions where status = 'running'"))
                .isEqualTo(io.runledger.api.BulkActions.MAX_RUNNING);
    }

    @Test
    void aCreateRepeatedWithItsIdempotencyKeyAnswersTheFirstActionAndReplaysNothingTwice() {
        trigger();
        BulkActionRequest request = BulkActionRequest.replay(BulkFilter.all().withCreated(
                Instant.parse("2020-01-01T00:00:00.123456789Z"), null)).withIdempotencyKey("replay-1");
        BulkAction first = ledger.bulkActions().create(SCOPE, request);
        finish(first);
        BulkAction again = ledger.bulkActions().create(SCOPE, request);
        assertThat(again.bulkActionId()).isEqualTo(first.bulkActionId());
        counts(again, BulkActionStatus.COMPLETED, 1, 1, 0, 0);
        assertThat(maintenance().bulkActionPages(10)).isZero();
        assertThat(count("select count(*) from runs where replay_of is not null")).isEqualTo(1);
        assertThat(count("select count(*) from bulk_actions")).isEqualTo(1);
        assertThatThrownBy(() -> ledger.bulkActions().create(SCOPE, BulkActionRequest.cancel(BulkFilter.all(), null)
                .withIdempotencyKey("replay-1"))).isInstanceOfSatisfying(RunLedgerException.class,
                        e -> assertThat(e.code()).isEqualTo("bulk_action_key_reused"));
        // another scope's key space is its own
        Ledger elsewhere = target.open("elsewhere");
        assertThat(elsewhere.bulkActions().create("elsewhere", request).bulkActionId())
                .isNotEqualTo(first.bulkActionId());
    }

    @FunctionalInterface
    interface ThrowingAction {
        void run();
    }
}
