package io.runledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.Admin;
import io.runledger.api.BatchInfo;
import io.runledger.api.BatchReceipt;
import io.runledger.api.Batches;
import io.runledger.api.CancelResult;
import io.runledger.api.Completion;
import io.runledger.api.EventDraft;
import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import io.runledger.api.Failure;
import io.runledger.api.Heartbeat;
import io.runledger.api.ItemOutcome;
import io.runledger.api.Lease;
import io.runledger.api.LeaseRef;
import io.runledger.api.LeaseRequest;
import io.runledger.api.Ledger;
import io.runledger.api.NewScopeKey;
import io.runledger.api.NewWaitpoint;
import io.runledger.api.QueueStat;
import io.runledger.api.Receipt;
import io.runledger.api.StepRecord;
import io.runledger.api.SuspendRequest;
import io.runledger.api.Waitpoint;
import io.runledger.api.WaitpointCreate;
import io.runledger.api.WaitpointFilter;
import io.runledger.api.WaitpointRef;
import io.runledger.api.WaitpointStatus;
import io.runledger.api.Waitpoints;
import io.runledger.api.Run;
import io.runledger.api.RunError;
import io.runledger.api.RunEvent;
import io.runledger.api.RunFilter;
import io.runledger.api.RunMessage;
import io.runledger.api.RunStatus;
import io.runledger.api.Runs;
import io.runledger.api.Schedule;
import io.runledger.api.ScheduleSpec;
import io.runledger.api.Schedules;
import io.runledger.api.ServiceSpec;
import io.runledger.api.Signal;
import io.runledger.api.Signals;
import io.runledger.api.TriggerRequest;
import io.runledger.api.WebhookInfo;
import io.runledger.api.WebhookSpec;
import io.runledger.api.Webhooks;
import io.runledger.api.Workers;
import io.runledger.client.RunLedgerClient;
import io.runledger.core.testing.TestDatabase;
import io.runledger.core.testing.WebhookReceiver;
import io.runledger.server.testing.Http;
import io.runledger.server.testing.TestServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every method of every {@link Ledger} interface, called once through {@link RunLedgerClient}
 * against a real server, reaches every documented API operation (but the operational ones:
 * health, metrics, the document itself). An operation added to {@code /openapi.json} without
 * a client method that calls it fails this test, and so does an interface method it forgets.
 *
 * <p>Which operation a request matched is read off the server's own request metric
 * ({@code runledger_http_server_responses_total{method, route, status}}), whose route
 * label is the pattern Javalin matched. This test has its own server, so every request it
 * counts came from the client.
 */
class ClientCoverageTest {
    private static final String SCOPE = "acme";
    private static final String SERVICE = "work";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern REQUEST_COUNT = Pattern.compile(
            "^runledger_http_server_responses_total\\{(.*)}\\s", Pattern.MULTILINE); // routes hold braces
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private TestServer server;
    private final Set<String> called = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        TestDatabase.truncate();
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyInterfaceMethodIsCalledAndEveryDocumentedOperationIsReached() throws Exception {
        RunLedgerClient adminClient = RunLedgerClient.builder().url(server.server.url()).key(TestServer.ADMIN_KEY)
                .build();
        Admin admin = recording(Admin.class, adminClient.admin());

        assertThat(admin.scopePut(SCOPE)).isTrue();
        assertThat(admin.scopeExists(SCOPE)).isTrue();
        assertThat(admin.scopeExists("nowhere")).isFalse();
        NewScopeKey key = admin.keyCreate(SCOPE, "coverage");
        assertThat(key.key()).isNotBlank();
        assertThat(admin.keysList(SCOPE)).extracting(k -> k.keyId()).contains(key.info().keyId());

        try (RunLedgerClient client = RunLedgerClient.builder().url(server.server.url()).key(key.key()).build()) {
            Runs runs = recording(Runs.class, client.runs());
            Workers workers = recording(Workers.class, client.workers());
            Signals signals = recording(Signals.class, client.signals());
            Batches batches = recording(Batches.class, client.batches());
            Webhooks webhooks = recording(Webhooks.class, client.webhooks());
            Admin scoped = recording(Admin.class, client.admin());

            assertThat(scoped.servicePut(SCOPE, SERVICE, new ServiceSpec(3, 30, null, null, "coverage"))
                    .description()).isEqualTo("coverage");
            assertThat(scoped.serviceGet(SCOPE, SERVICE).maxAttempts()).isEqualTo(3);
            assertThat(scoped.servicesList(SCOPE)).extracting(s -> s.service()).containsExactly(SERVICE);
            assertThat(scoped.servicePause(SCOPE, SERVICE).paused()).isTrue();
            assertThat(scoped.serviceResume(SCOPE, SERVICE).paused()).isFalse();
            assertThat(scoped.queues(SCOPE)).extracting(QueueStat::service).contains(SERVICE);
            assertThat(scoped.overview(SCOPE, io.runledger.api.OverviewWindow.MINUTES_15).services())
                    .extracting(s -> s.service()).containsExactly(SERVICE);

            // One run through its whole life: lease, heartbeat, events, a signal, complete.
            TriggerRequest request = TriggerRequest.of(Http.JSON.createObjectNode().put("n", 1));
            assertThat(runs.validate(SCOPE, SERVICE, request).valid()).isTrue();
            String runId = runs.trigger(SCOPE, SERVICE, request).runId();
            assertThat(runs.get(SCOPE, runId).status()).isEqualTo(RunStatus.ACCEPTED);
            assertThat(runs.list(SCOPE, RunFilter.all()).items()).extracting(Run::runId).containsExactly(runId);
            Lease lease = lease(workers);
            assertThat(lease.runId()).isEqualTo(runId);
            assertThat(workers.list(SCOPE)).extracting(w -> w.workerId()).containsExactly("w1");
            assertThat(workers.append(SCOPE, runId, lease.leaseToken(),
                    List.of(new EventDraft("progress", Http.JSON.createObjectNode().put("pct", 50))))).hasSize(1);
            RunMessage sent = signals.send(SCOPE, runId, Signal.of("user.message",
                    Http.JSON.createObjectNode().put("text", "hello")));
            Heartbeat hb = workers.heartbeat(SCOPE, runId, lease.leaseToken());
            assertThat(hb.messages()).extracting(RunMessage::messageId).containsExactly(sent.messageId());
            assertThat(workers.messageAck(SCOPE, runId, sent.messageId(), lease.leaseToken()).status())
                    .isEqualTo("acked");
            assertThat(signals.messages(SCOPE, runId)).extracting(RunMessage::status).containsExactly("acked");
            workers.complete(SCOPE, runId, lease.leaseToken(), Http.JSON.createObjectNode().put("ok", true));
            assertThat(runs.await(SCOPE, runId, WAIT).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(runs.events(SCOPE, runId, 0, 100).items()).extracting(RunEvent::type)
                    .startsWith("run.accepted", "run.started").endsWith("run.succeeded");
            assertThat(runs.rebuildProjection(SCOPE, runId).changed()).isFalse();
            assertThat(runs.issueAccessToken(SCOPE, runId, Duration.ofMinutes(5)).token()).startsWith("rlt_");
            try (EventFeed feed = runs.follow(SCOPE, runId, 0)) {
                assertThat(readToTheEnd(feed)).extracting(RunEvent::type).endsWith("run.succeeded");
                long asked = System.nanoTime();
                assertThat(feed.next(WAIT).items()).as("after the terminal event: empty").isEmpty();
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("at once").isLessThan(WAIT.dividedBy(4));
            }
            CancelResult cancel = runs.cancel(SCOPE, runId, "already done");
            assertThat(cancel.settled()).isTrue();
            // A stop by key before its run: recorded, and the run then registers cancelled.
            assertThat(runs.cancelByKey(SCOPE, SERVICE, "stop-first", "covered").recorded()).isTrue();
            assertThat(runs.trigger(SCOPE, SERVICE, TriggerRequest.builder().input(Http.JSON.createObjectNode())
                    .idempotencyKey("stop-first").build()).status()).isEqualTo(RunStatus.CANCELLED);

            // A failed attempt.
            String failing = runs.trigger(SCOPE, SERVICE, request).runId();
            Run failed = workers.fail(SCOPE, failing, lease(workers).leaseToken(), RunError.of("boom", "it broke"),
                    false);
            assertThat(failed.status()).isEqualTo(RunStatus.FAILED);

            // The batched calls: heartbeat, complete and fail many leases at once.
            String one = runs.trigger(SCOPE, SERVICE, request).runId();
            String two = runs.trigger(SCOPE, SERVICE, request).runId();
            Lease lone = lease(workers);
            Lease second = lease(workers);
            assertThat(workers.heartbeatAll(SCOPE, List.of(new LeaseRef(lone.runId(), lone.leaseToken()),
                    new LeaseRef(second.runId(), second.leaseToken())))).allMatch(ItemOutcome::isOk);
            assertThat(workers.completeAll(SCOPE, List.of(new Completion(lone.runId(), lone.leaseToken(), null)))
                    .getFirst().value().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(workers.failAll(SCOPE, List.of(new Failure(second.runId(), second.leaseToken(),
                    RunError.of("boom", "it broke"), false))).getFirst().value().status()).isEqualTo(RunStatus.FAILED);
            assertThat(List.of(lone.runId(), second.runId())).containsExactlyInAnyOrder(one, two);

            // Trigger and follow: the first event names the run.
            try (EventFeed feed = runs.triggerAndFollow(SCOPE, SERVICE, request)) {
                EventPage first = feed.next(WAIT);
                assertThat(first.items()).isNotEmpty();
                assertThat(first.items().getFirst().type()).isEqualTo("run.accepted");
                String followed = first.items().getFirst().runId();
                Lease l = lease(workers);
                assertThat(l.runId()).isEqualTo(followed);
                workers.complete(SCOPE, followed, l.leaseToken(), null);
                assertThat(readToTheEnd(feed)).extracting(RunEvent::type).endsWith("run.succeeded");
            }

            BatchReceipt batch = batches.register(SCOPE, SERVICE, List.of(request, request));
            assertThat(batch.receipts()).hasSize(2);
            BatchInfo info = batches.get(SCOPE, batch.batchId());
            assertThat(info.runIds()).containsExactlyElementsOf(batch.receipts().stream().map(r -> r.runId()).toList());

            WebhookInfo hook = webhooks.put(SCOPE, "hook", WebhookSpec.of("http://127.0.0.1:9/hook",
                    List.of("run.succeeded")));
            assertThat(hook.created()).isTrue();
            assertThat(hook.secret()).startsWith("whsec_");
            assertThat(webhooks.get(SCOPE, "hook").url()).isEqualTo("http://127.0.0.1:9/hook");
            assertThat(webhooks.list(SCOPE)).extracting(WebhookInfo::webhookId).containsExactly("hook");
            assertThat(webhooks.deliveries(SCOPE, "hook", null, 10)).isEmpty();
            webhooks.delete(SCOPE, "hook");
            redelivery(webhooks, scoped, runs);

            Schedules schedules = recording(Schedules.class, client.schedules());
            Schedule nightly = schedules.put(SCOPE, "nightly", new ScheduleSpec(SERVICE, "0 3 * * *", "Europe/Berlin",
                    Http.JSON.createObjectNode().put("n", 1), false, null, null));
            assertThat(nightly.created()).isTrue();
            assertThat(nightly.nextFireAt()).as("disabled").isNull();
            assertThat(schedules.get(SCOPE, "nightly").timezone()).isEqualTo("Europe/Berlin");
            assertThat(schedules.list(SCOPE)).extracting(Schedule::scheduleId).containsExactly("nightly");
            schedules.delete(SCOPE, "nightly");

            orchestration(client, runs, workers, scoped);
            bulkActions(client);
        }
        admin.keyDelete(SCOPE, key.info().keyId());
        assertThat(admin.keysList(SCOPE)).isEmpty();

        assertThat(called).as("interface methods called").containsAll(contractMethods());

        Set<String> documented = documentedOperations();
        assertThat(documented).hasSizeGreaterThanOrEqualTo(30);
        // The request metric of a stream is taken when the stream has ended: give it a moment.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(reachedOperations()).as("operations the client reached (with a 2xx answer)")
                        .containsAll(documented));
    }

    /**
     * Steps, a child, a suspend on a token completed by its callback URL, the token read and
     * listed, a replay; on a service of its own so that no run of the rest is leased here.
     */
    private void orchestration(RunLedgerClient client, Runs runs, Workers workers, Admin scoped) {
        Waitpoints waitpoints = recording(Waitpoints.class, client.waitpoints());
        String service = "orch";
        scoped.servicePut(SCOPE, service, new ServiceSpec(3, 30, null, null, null));
        JsonNode data = Http.JSON.createObjectNode().put("ok", true);
        NewWaitpoint token = waitpoints.create(SCOPE, new WaitpointCreate(600L, "wp-coverage", List.of(), null));
        String wp = token.waitpoint().waitpointId();
        String parent = runs.trigger(SCOPE, service, TriggerRequest.of(data)).runId();
        List<Lease> leases = workers.lease(SCOPE, LeaseRequest.of("w1", List.of(service), 1, Duration.ofSeconds(5)));
        assertThat(leases).extracting(Lease::runId).containsExactly(parent);
        String leaseToken = leases.getFirst().leaseToken();
        assertThat(workers.stepRecord(SCOPE, parent, "fetch/1", leaseToken, data).replayed()).isFalse();
        assertThat(runs.steps(SCOPE, parent, 0, 10).items()).extracting(StepRecord::step).containsExactly("fetch/1");
        Receipt child = workers.triggerChild(SCOPE, parent, leaseToken, "kid", service, TriggerRequest.of(data));
        assertThat(runs.get(SCOPE, child.runId()).parentRunId()).isEqualTo(parent);
        assertThat(workers.suspend(SCOPE, parent, new SuspendRequest(leaseToken, "approve",
                List.of(WaitpointRef.token(wp)), null, null)).suspended()).isTrue();
        String secret = token.callbackUrl().substring(token.callbackUrl().lastIndexOf('/') + 1);
        assertThat(waitpoints.completeByCallback(secret, data).status()).isEqualTo(WaitpointStatus.COMPLETED);
        assertThat(waitpoints.complete(SCOPE, wp, data).status()).isEqualTo(WaitpointStatus.COMPLETED);
        assertThat(waitpoints.get(SCOPE, wp).data()).isEqualTo(data);
        assertThat(waitpoints.list(SCOPE, new WaitpointFilter(WaitpointStatus.COMPLETED, null, 10, null)).items())
                .extracting(Waitpoint::waitpointId).containsExactly(wp);
        assertThat(runs.get(SCOPE, parent).status()).isEqualTo(RunStatus.ACCEPTED);
        assertThat(runs.get(SCOPE, runs.replay(SCOPE, parent, null, null).runId()).replayOf()).isEqualTo(parent);
        assertThat(runs.cancel(SCOPE, parent, "covered", true).settled()).isTrue();
        assertThat(runs.get(SCOPE, child.runId()).status()).isEqualTo(RunStatus.CANCELLED);
    }

    /** A delivery to a real receiver, delivered, then sent again; on a service of its own. */
    private static void redelivery(Webhooks webhooks, Admin scoped, Runs runs) {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            scoped.servicePut(SCOPE, "hooked", new ServiceSpec(3, 30, null, null, null));
            webhooks.put(SCOPE, "echo", WebhookSpec.of(receiver.url(), List.of("run.accepted")));
            runs.trigger(SCOPE, "hooked", TriggerRequest.of(Http.JSON.createObjectNode()));
            Awaitility.await().atMost(WAIT).until(() -> !webhooks.deliveries(SCOPE, "echo", "delivered", 10).isEmpty());
            String deliveryId = webhooks.deliveries(SCOPE, "echo", null, 10).getFirst().deliveryId();
            assertThat(webhooks.redeliver(SCOPE, "echo", deliveryId).status()).isEqualTo("pending");
            Awaitility.await().atMost(WAIT).until(() -> receiver.received().size() == 2);
            assertThat(receiver.received()).extracting(r -> r.headers().get("webhook-id"))
                    .containsExactly(deliveryId, deliveryId);
            webhooks.delete(SCOPE, "echo");
        }
    }

    /** A bulk action that matches nothing (so it is completed at once): created, read, listed, cancelled. */
    private void bulkActions(RunLedgerClient client) {
        io.runledger.api.BulkActions bulk = recording(io.runledger.api.BulkActions.class, client.bulkActions());
        io.runledger.api.BulkAction action = bulk.create(SCOPE, io.runledger.api.BulkActionRequest.cancel(
                io.runledger.api.BulkFilter.all().withTag("no-run-has-this"), "coverage"));
        assertThat(action.matched()).isZero();
        assertThat(bulk.count(SCOPE, io.runledger.api.BulkActionRequest.cancel(io.runledger.api.BulkFilter.all()
                .withHealth(io.runledger.api.RunHealth.STUCK, 60, null), null))).isZero();
        assertThat(bulk.get(SCOPE, action.bulkActionId()).reason()).isEqualTo("coverage");
        assertThat(bulk.list(SCOPE, 10, null).items()).extracting(io.runledger.api.BulkAction::bulkActionId)
                .containsExactly(action.bulkActionId());
        assertThat(bulk.cancel(SCOPE, action.bulkActionId()).status())
                .isEqualTo(io.runledger.api.BulkActionStatus.COMPLETED);
    }

    private static Lease lease(Workers workers) {
        List<Lease> leases = workers.lease(SCOPE, LeaseRequest.of("w1", List.of(SERVICE), 1, Duration.ofSeconds(5)));
        assertThat(leases).hasSize(1);
        return leases.getFirst();
    }

    /** Every event up to and including the terminal one. */
    private static List<RunEvent> readToTheEnd(EventFeed feed) {
        List<RunEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (events.isEmpty() || !events.getLast().isTerminal()) {
            assertThat(System.nanoTime()).as("the terminal event within " + WAIT).isLessThan(deadline);
            events.addAll(feed.next(Duration.ofSeconds(1)).items());
        }
        return events;
    }

    /** {@code method path} of every operation in /openapi.json but the operational ones. */
    private Set<String> documentedOperations() {
        Http.Reply reply = server.admin().get("/openapi.json");
        assertThat(reply.status()).isEqualTo(200);
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : reply.json().get("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                boolean operational = false;
                for (JsonNode tag : op.getValue().path("tags")) {
                    operational |= tag.asText().equals("operations");
                }
                if (!operational) {
                    operations.add(op.getKey().toLowerCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return operations;
    }

    /** {@code method path} of every route pattern a request matched and that answered 2xx. */
    private Set<String> reachedOperations() {
        Set<String> reached = new TreeSet<>();
        Matcher m = REQUEST_COUNT.matcher(server.metrics.scrape());
        while (m.find()) {
            Map<String, String> labels = new java.util.HashMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            if (labels.getOrDefault("status", "").startsWith("2")) {
                reached.add(labels.get("method").toLowerCase(Locale.ROOT) + " " + labels.get("route"));
            }
        }
        return reached;
    }

    /** {@code Interface.method} of every method of the interfaces a {@link Ledger} hands out. */
    private static Set<String> contractMethods() {
        return Arrays.stream(Ledger.class.getDeclaredMethods())
                .map(Method::getReturnType)
                .filter(Class::isInterface)
                .flatMap(type -> Arrays.stream(type.getMethods())
                        .filter(m -> !m.isDefault() && !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
                        .map(m -> type.getSimpleName() + "." + m.getName()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code target}, recording in {@link #called} each of its interface's methods called. */
    private <T> T recording(Class<T> type, T target) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            called.add(type.getSimpleName() + "." + method.getName());
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
