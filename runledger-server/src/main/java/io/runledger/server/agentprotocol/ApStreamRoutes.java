package io.runledger.server.agentprotocol;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.Runs;
import io.runledger.api.ThreadRun;
import io.runledger.api.Threads;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.HeldRequests;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run streams: create and stream ({@code POST [/threads/{t}]/runs/stream}) and join a run's
 * stream ({@code GET [/threads/{t}]/runs/{r}/stream}, resumable with {@code Last-Event-ID}).
 * Dropping a stream never stops its run, unless the create said {@code on_disconnect: cancel}
 * or the join {@code cancel_on_disconnect=1}.
 */
final class ApStreamRoutes {
    private static final Logger log = LoggerFactory.getLogger(ApStreamRoutes.class);

    private final Runs runs;
    private final Threads threads;
    private final RunCreator creator;
    private final ApStreamer streamer;
    private final HeldRequests held;
    private final Authenticator auth;

    ApStreamRoutes(Runs runs, Threads threads, RunCreator creator, ApStreamer streamer, HeldRequests held,
                   Authenticator auth) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.creator = Objects.requireNonNull(creator, "creator");
        this.streamer = Objects.requireNonNull(streamer, "streamer");
        this.held = Objects.requireNonNull(held, "held");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    void register(RoutesConfig routes) {
        routes.post(ApPaths.THREAD_RUNS_STREAM, ctx -> createAndStream(ctx, ctx.pathParam("threadId")));
        routes.post(ApPaths.RUNS_STREAM, ctx -> createAndStream(ctx, null));
        routes.get(ApPaths.THREAD_RUN_STREAM, ctx -> join(ctx, ctx.pathParam("threadId")));
        routes.get(ApPaths.RUN_STREAM, ctx -> join(ctx, null));
    }

    private void createAndStream(Context ctx, String threadId) {
        Authenticator.Access access = auth.accessByApiKey(ctx);
        // The slot before the run: a refused stream must not leave a run created.
        held.hold(ctx, HeldRequests.Kind.STREAM, access.caller(), access.scope(), () -> {
            RunCreateBody body = ApJson.body(ctx, RunCreateBody.class);
            RunCreator.Created c = creator.create(access.scope(), threadId, body);
            String runId = c.run().run().runId();
            ApStreamer.End end = streamer.stream(ctx, new ApStreamer.Request(access.scope(), c.threadId(), runId,
                    c.streamFrom(), body.modes(), c.resumed()));
            if (end == ApStreamer.End.CLIENT_GONE && body.cancelOnDisconnect()) {
                cancelGone(access.scope(), runId, "on_disconnect: cancel");
            }
            return end;
        });
    }

    private void join(Context ctx, String threadId) {
        Authenticator.Access access = auth.accessByApiKey(ctx);
        String canonical = threadId == null ? null : threads.get(access.scope(), threadId).threadId();
        ThreadRun tr = threads.run(access.scope(), canonical, ApRunRoutes.runId(ctx));
        String header = ctx.header("Last-Event-ID");
        StreamPosition from = StreamPosition.after(header);
        boolean cancelOnDisconnect = ApRunRoutes.flag(ctx, "cancel_on_disconnect");
        List<String> modes = StreamModes.of(ctx.queryParams("stream_mode"), storedModes(tr));
        String streamThread = canonical != null ? canonical : ApViews.threadIdOf(tr.run());
        held.hold(ctx, HeldRequests.Kind.STREAM, access.caller(), access.scope(), () -> {
            ApStreamer.End end = streamer.stream(ctx, new ApStreamer.Request(access.scope(), streamThread,
                    tr.run().runId(), from, modes, false));
            if (end == ApStreamer.End.CLIENT_GONE && cancelOnDisconnect) {
                cancelGone(access.scope(), tr.run().runId(), "cancel_on_disconnect");
            }
            return end;
        });
    }

    /** The modes the run was created with (a join without {@code stream_mode} streams those). */
    private static List<String> storedModes(ThreadRun tr) {
        var input = tr.run().input();
        if (input != null && input.isObject() && input.has("stream_mode")) {
            try {
                return StreamModes.parse(input.get("stream_mode"));
            } catch (RuntimeException e) {
                // not a run of this layer: the default
            }
        }
        return StreamModes.parse(null);
    }

    private void cancelGone(String scope, String runId, String why) {
        log.info("client of protocol run {} disconnected with {}; cancelling", runId, why);
        runs.cancel(scope, runId, "the streaming client disconnected (" + why + ")");
    }
}
