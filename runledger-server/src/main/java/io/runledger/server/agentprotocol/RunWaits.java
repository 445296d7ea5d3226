package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import io.runledger.api.EventTypes;
import io.runledger.api.RunEvent;
import io.runledger.api.RunStatus;
import io.runledger.api.Runs;
import io.runledger.api.ThreadRun;
import io.runledger.api.Threads;
import io.runledger.api.UnavailableException;
import io.runledger.server.auth.Caller;
import io.runledger.server.http.HeldRequests;
import io.runledger.server.http.LongPolls;
import io.runledger.server.http.Responses;
import io.runledger.server.http.ServerJson;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code runs.wait} and {@code runs.join}: wait until the run is over or waits for someone, then
 * answer what it came to: its output, {@code {"__error__": {error, message}}}, or the thread's
 * values with {@code "__interrupt__"}. The wait has no time limit (as the protocol's); a long
 * one writes a newline at each keep-alive interval so that no proxy or idle timeout cuts it
 * (JSON allows the leading whitespace), and holds no database connection meanwhile.
 */
final class RunWaits {
    private static final Logger log = LoggerFactory.getLogger(RunWaits.class);

    private final Runs runs;
    private final Threads threads;
    private final Interrupts interrupts;
    private final LongPolls polls;
    private final HeldRequests held;
    private final Duration keepAlive;

    RunWaits(Runs runs, Threads threads, Interrupts interrupts, LongPolls polls, HeldRequests held,
             Duration keepAlive) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
        this.polls = Objects.requireNonNull(polls, "polls");
        this.held = Objects.requireNonNull(held, "held");
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
    }

    /**
     * Waits for the run and answers 200 with its result (headers set before are kept); true
     * when the client went away before the answer.
     */
    boolean answer(Context ctx, Caller caller, String scope, String threadId, String runId) {
        return held.hold(ctx, HeldRequests.Kind.WAIT, caller, scope, () -> waitAndAnswer(ctx, scope, threadId, runId));
    }

    private boolean waitAndAnswer(Context ctx, String scope, String threadId, String runId) {
        ThreadRun tr = threads.run(scope, threadId, runId);
        if (ApStatus.done(tr)) {
            Responses.json(ctx, 200, result(scope, threadId, tr));
            return false;
        }
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType(Responses.JSON);
        try (EventFeed feed = runs.follow(scope, runId, tr.run().lastSeq())) {
            OutputStream out = res.getOutputStream();
            long nextKeepAlive = System.nanoTime() + keepAlive.toNanos();
            while (!polls.draining() && !ApStatus.done(tr)) {
                EventPage page = feed.next(Duration.ofNanos(Math.max(0, nextKeepAlive - System.nanoTime())));
                if (page.items().stream().anyMatch(RunWaits::mayEnd)) {
                    tr = threads.run(scope, threadId, runId);
                } else if (page.items().isEmpty() && System.nanoTime() - nextKeepAlive >= 0) {
                    out.write('\n');
                    out.flush();
                    res.flushBuffer();
                    nextKeepAlive = System.nanoTime() + keepAlive.toNanos();
                }
            }
            tr = threads.run(scope, threadId, runId);
            if (!ApStatus.done(tr) && !res.isCommitted()) {
                throw new UnavailableException("the server is stopping; join run '" + runId + "' to wait on it", null);
            }
            out.write(ServerJson.bytes(result(scope, threadId, tr)));
            out.flush();
            return false;
        } catch (IOException e) {
            log.debug("wait on protocol run {}: client gone ({})", runId, e.toString());
            return true;
        }
    }

    private static boolean mayEnd(RunEvent e) {
        return e.isTerminal() || e.type().equals(EventTypes.WAITING);
    }

    /** What the run came to, as {@code runs.wait} and {@code runs.join} answer it. */
    JsonNode result(String scope, String threadId, ThreadRun tr) {
        RunStatus status = tr.run().status();
        if (status == RunStatus.SUCCEEDED) {
            return ApJson.orNull(tr.run().output());
        }
        if (status == RunStatus.FAILED || status == RunStatus.EXPIRED) {
            ObjectNode error = ApJson.object();
            ObjectNode inner = error.putObject("__error__");
            inner.put("error", tr.run().error() == null ? status.wireName() : tr.run().error().code());
            inner.put("message", tr.run().error() == null ? "" : tr.run().error().message());
            return error;
        }
        JsonNode values = threadId == null ? null : threads.get(scope, threadId).values();
        if (!tr.interrupted()) {
            return ApJson.orNull(values);
        }
        ObjectNode withInterrupts = values != null && values.isObject() ? ((ObjectNode) values).deepCopy()
                : ApJson.object();
        withInterrupts.set("__interrupt__", Interrupts.json(interrupts.current(scope, tr).interrupts()));
        return withInterrupts;
    }
}
