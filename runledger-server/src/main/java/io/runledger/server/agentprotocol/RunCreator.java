package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.api.Admin;
import io.runledger.api.AgentThread;
import io.runledger.api.ConflictException;
import io.runledger.api.NotFoundException;
import io.runledger.api.OnConflict;
import io.runledger.api.Receipt;
import io.runledger.api.RunStatus;
import io.runledger.api.Runs;
import io.runledger.api.ThreadRun;
import io.runledger.api.ThreadStatus;
import io.runledger.api.Threads;
import io.runledger.api.TriggerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a protocol run: a trigger of the assistant's service whose input carries the
 * request ({@code input}, {@code command}, {@code config}, {@code context}, {@code thread_id},
 * {@code stream_mode}, {@code multitask_strategy}), on the thread's concurrency key with the
 * multitask strategy as {@code onConflict}. A {@code command.resume} creates nothing: it
 * completes the interrupted run's tokens, and that run goes on.
 */
final class RunCreator {
    private static final Logger log = LoggerFactory.getLogger(RunCreator.class);
    private static final List<RunStatus> QUEUED = List.of(RunStatus.ACCEPTED, RunStatus.SCHEDULED);

    private final Runs runs;
    private final Threads threads;
    private final Admin admin;
    private final Interrupts interrupts;
    private final RunWebhooks webhooks;

    RunCreator(Runs runs, Threads threads, Admin admin, Interrupts interrupts, RunWebhooks webhooks) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
    }

    /**
     * The run created (or resumed), its thread (null for a run without one), and where a stream
     * of it starts: the beginning, or for a resume the events after the suspend, as a new run.
     */
    record Created(ThreadRun run, String threadId, StreamPosition streamFrom, boolean resumed) {
    }

    /** Checks everything that can be checked without writing: the body and the assistant. */
    RunCreateBody checked(String scope, String threadId, RunCreateBody body) {
        body.validate(threadId != null);
        admin.serviceGet(scope, body.assistantId()); // 404 service_not_found before anything is written
        if (body.webhook() != null) {
            webhooks.check(body.webhook());
        }
        return body;
    }

    Created create(String scope, String threadId, RunCreateBody body) {
        checked(scope, threadId, body);
        AgentThread thread = null;
        boolean newThread = false;
        if (threadId != null) {
            try {
                thread = threads.get(scope, threadId);
            } catch (NotFoundException e) {
                if (!"create".equals(body.ifNotExists()) || !"thread_not_found".equals(e.code())) {
                    throw e;
                }
                var created = threads.create(scope, threadId, null, false);
                thread = created.thread();
                newThread = created.created();
            }
        } else if ("keep".equals(body.onCompletion())) {
            thread = threads.create(scope, null, null, true).thread();
            newThread = true;
        }
        JsonNode resume = body.resume();
        Created created;
        if (resume != null) {
            created = resume(scope, thread, resume);
        } else {
            try {
                created = trigger(scope, thread, body);
            } catch (RuntimeException e) {
                if (newThread) {
                    threads.delete(scope, thread.threadId()); // the request wrote nothing, thread included
                }
                throw e;
            }
        }
        if (body.webhook() != null) {
            webhooks.add(scope, created.run().run().runId(), body.webhook());
        }
        return created;
    }

    private Created trigger(String scope, AgentThread thread, RunCreateBody body) {
        String strategy = body.strategy();
        List<String> dropped = new ArrayList<>();
        if (thread != null && thread.status() == ThreadStatus.INTERRUPTED) {
            // New input to a thread that waits on an interrupt abandons that interrupt, as in LangGraph
            // (where the interrupted run is over already): the run waiting on it is cancelled.
            runs.cancel(scope, thread.activeRunId(), "superseded by a new run on its thread");
        } else if (thread != null && thread.activeRunId() != null
                && (strategy.equals(RunCreateBody.INTERRUPT) || strategy.equals(RunCreateBody.ROLLBACK))) {
            // The engine's interrupt stops the run holding the key; the protocol's stops every
            // run in flight on the thread, so the queued ones are cancelled here.
            for (ThreadRun queued : threads.runs(scope, thread.threadId(), QUEUED, 1000, 0)) {
                if (!queued.run().runId().equals(thread.activeRunId())) {
                    runs.cancel(scope, queued.run().runId(), "interrupted by a new run on its thread");
                    dropped.add(queued.run().runId());
                }
            }
            dropped.add(thread.activeRunId());
        }
        Receipt receipt = runs.trigger(scope, body.assistantId(), request(thread, body));
        if (strategy.equals(RunCreateBody.ROLLBACK)) {
            for (String runId : dropped) {
                if (!runId.equals(receipt.runId())) {
                    removeQuietly(scope, thread.threadId(), runId);
                }
            }
        }
        String threadId = thread == null ? null : thread.threadId();
        log.debug("protocol run {} created on thread {}", receipt.runId(), threadId);
        return new Created(threads.run(scope, threadId, receipt.runId()), threadId, StreamPosition.START, false);
    }

    private void removeQuietly(String scope, String threadId, String runId) {
        try {
            threads.runRemove(scope, threadId, runId);
        } catch (NotFoundException e) {
            // removed meanwhile: nothing left to do
        }
    }

    private static TriggerRequest request(AgentThread thread, RunCreateBody body) {
        ObjectNode input = ApJson.object();
        input.set("input", ApJson.orNull(body.input()));
        input.set("command", ApJson.orNull(body.command()));
        input.set("config", body.config() == null || body.config().isNull() ? ApJson.object() : body.config());
        input.set("context", ApJson.orNull(body.context()));
        input.put("thread_id", thread == null ? null : thread.threadId());
        ArrayNode modes = input.putArray("stream_mode");
        body.modes().forEach(modes::add);
        input.put("multitask_strategy", thread == null ? null : body.strategy());
        TriggerRequest.Builder b = TriggerRequest.builder().input(input);
        JsonNode metadata = ApJson.optionalObject("metadata", body.metadata());
        if (metadata != null) {
            b.metadata(metadata);
        }
        if (thread != null) {
            b.concurrencyKey(thread.concurrencyKey()).onConflict(switch (body.strategy()) {
                case RunCreateBody.ENQUEUE -> OnConflict.ENQUEUE;
                case RunCreateBody.INTERRUPT, RunCreateBody.ROLLBACK -> OnConflict.INTERRUPT;
                default -> OnConflict.REJECT;
            });
        }
        if (body.afterSeconds() != null && body.afterSeconds() > 0) {
            b.delaySeconds((long) Math.ceil(body.afterSeconds()));
        }
        return b.build();
    }

    /** Completes the interrupts of the thread's interrupted run; that run is the one answered. */
    private Created resume(String scope, AgentThread thread, JsonNode value) {
        if (thread.status() != ThreadStatus.INTERRUPTED || thread.activeRunId() == null) {
            throw new ConflictException("thread_not_interrupted", "thread '" + thread.threadId()
                    + "' has no interrupted run to resume (it is " + thread.status().wireName() + ")",
                    Map.of("threadStatus", thread.status().wireName()));
        }
        ThreadRun interrupted = threads.run(scope, thread.threadId(), thread.activeRunId());
        Interrupts.Pending pending = interrupts.current(scope, interrupted);
        long suspendedAt = interrupted.run().lastSeq();
        interrupts.resume(scope, pending, value);
        log.debug("protocol run {} resumed on thread {}", interrupted.run().runId(), thread.threadId());
        return new Created(threads.run(scope, thread.threadId(), interrupted.run().runId()), thread.threadId(),
                new StreamPosition(suspendedAt, -1), true);
    }
}
