package io.runledger.server.stream;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.Receipt;
import io.runledger.api.Run;
import io.runledger.api.RunAccessGrant;
import io.runledger.api.Runs;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.HeldRequests;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.runs.Triggers;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET .../runs/{runId}/stream} (resumable with {@code Last-Event-ID} or
 * {@code ?after=}) and {@code POST .../services/{service}/runs:stream} (trigger, then stream).
 * Both take {@code ?eventNames=false}, which leaves out the {@code event:} lines so that a
 * browser's {@code EventSource} delivers every event to {@code onmessage}. The run's stream
 * may be read with a run access token ({@code ?access_token=}), until the token expires.
 */
public final class StreamRoutes {
    private static final Logger log = LoggerFactory.getLogger(StreamRoutes.class);
    /** One virtual thread per open stream, started with a shallow stack (see {@link #stream}). */
    private static final ExecutorService STREAMS =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("runledger-stream-", 0).factory());

    private final Runs runs;
    private final Authenticator auth;
    private final RunStreamer streamer;
    private final Triggers triggers;
    private final HeldRequests held;

    public StreamRoutes(Runs runs, Authenticator auth, RunStreamer streamer, HeldRequests held) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.streamer = Objects.requireNonNull(streamer, "streamer");
        this.triggers = new Triggers(runs);
        this.held = Objects.requireNonNull(held, "held");
    }

    public void register(RoutesConfig routes) {
        routes.get(Paths.RUN_STREAM, this::stream);
        routes.post(Paths.TRIGGER_STREAM, this::triggerAndStream);
    }

    private void stream(Context ctx) {
        Authenticator.Access access = auth.readRun(ctx);
        String scope = access.scope();
        String runId = Params.runId(ctx);
        long after = resumeAfter(ctx);
        boolean eventNames = eventNames(ctx);
        Run run = runs.get(scope, runId); // 404 before any byte of the stream is sent
        if (run.status().isTerminal() && after >= run.lastSeq()) {
            streamer.ended(ctx); // resumed after the terminal event: nothing more will come
            return;
        }
        RunAccessGrant token = access.caller().token();
        RunStreamer.Request request = new RunStreamer.Request(scope, runId, after, eventNames,
                token == null ? null : token.validFor());
        // Answered asynchronously: the request's thread returns to Jetty, and the stream runs on
        // a fresh virtual thread of its own. A parked thread keeps its whole stack in the heap,
        // and the request's is ~60 frames deep (Jetty, the servlet, Javalin, this handler);
        // with thousands of streams open that stack was most of each one's memory, and each
        // wake-up re-wrote it into the old generation, where young collections must scan it.
        // The slot is taken inside the future's supplier, which Javalin calls after it has
        // started async mode, so a refusal is still an ordinary 429.
        ctx.future(() -> held.holdAsync(ctx, HeldRequests.Kind.STREAM, access.caller(), scope,
                () -> CompletableFuture.supplyAsync(() -> streamer.stream(ctx, request), STREAMS)
                        .thenApply(end -> null)));
    }

    private void triggerAndStream(Context ctx) {
        Authenticator.Access access = auth.access(ctx);
        String scope = access.scope();
        eventNames(ctx); // a bad value is refused before the slot is taken or the run registered
        // The slot before the trigger: a refused stream must not leave a run registered.
        held.hold(ctx, HeldRequests.Kind.STREAM, access.caller(), scope, () -> triggerAndStream(ctx, scope));
    }

    private RunStreamer.End triggerAndStream(Context ctx, String scope) {
        Triggers.Triggered triggered = triggers.trigger(ctx, scope, true);
        Receipt receipt = triggered.receipt();
        ctx.header("Content-Location", Paths.run(scope, receipt.runId()));
        if (receipt.replayed()) {
            ctx.header("Idempotent-Replayed", "true");
        }
        RunStreamer.End end = streamer.stream(ctx, new RunStreamer.Request(scope, receipt.runId(), 0,
                eventNames(ctx), null));
        if (end == RunStreamer.End.CLIENT_GONE && triggered.options().cancelOnDisconnect()) {
            log.info("client of run {} disconnected with onDisconnect=cancel; cancelling", receipt.runId());
            runs.cancel(scope, receipt.runId(), "the streaming client disconnected (onDisconnect: cancel)");
        }
        return end;
    }

    private static boolean eventNames(Context ctx) {
        return Params.bool(ctx, "eventNames", true);
    }

    /** {@code Last-Event-ID} wins over {@code ?after=}: a browser reconnect adds it to the original URL. */
    private static long resumeAfter(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            return Params.parseLong("Last-Event-ID", header, 0, Long.MAX_VALUE);
        }
        return Params.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
    }
}
