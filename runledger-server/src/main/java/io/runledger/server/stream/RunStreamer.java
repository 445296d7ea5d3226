package io.runledger.server.stream;

import io.javalin.http.Context;
import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import io.runledger.api.RunEvent;
import io.runledger.api.Runs;
import io.runledger.server.http.LongPolls;
import io.runledger.server.metrics.ServerMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one run's ledger as SSE from a seq on. The ledger is the data path:
 * {@link RunLedger#eventsFollow} reads it and is only woken by NOTIFY, so any instance on
 * the database serves any run, and a reconnect from {@code Last-Event-ID} loses nothing.
 * Ends after the terminal event, when the client goes away, or when the server drains.
 */
public final class RunStreamer {
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(RunStreamer.class);

    private final Runs runs;
    private final LongPolls polls;
    private final Duration keepAlive;
    private final ServerMetrics metrics;

    public RunStreamer(Runs runs, LongPolls polls, Duration keepAlive, ServerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.polls = Objects.requireNonNull(polls, "polls");
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
    }

    /** How a stream ended. */
    public enum End { TERMINAL, CLIENT_GONE, DRAINED, FAILED }

    /** An empty stream: the client resumed after the run's terminal event. */
    public void ended(Context ctx) {
        headers(ctx);
        ctx.result(new byte[0]);
    }

    private static void headers(Context ctx) {
        ctx.status(200);
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        ctx.res().setContentType(SseWriter.CONTENT_TYPE);
        ctx.res().setCharacterEncoding("utf-8");
    }

    /**
     * Writes the events after {@code after} until the stream ends. The caller has checked
     * that the run exists and set any extra headers; this sends status 200.
     */
    public End stream(Context ctx, String scope, String runId, long after) {
        metrics.streamOpened();
        try {
            return streamOpen(ctx, scope, runId, after);
        } finally {
            metrics.streamClosed();
        }
    }

    private End streamOpen(Context ctx, String scope, String runId, long after) {
        headers(ctx);
        long seq = after;
        // The feed holds the run's wake-up: between pages it reads the ledger only when an
        // append wakes it (or at its slow safety re-check), not at every keep-alive.
        try (EventFeed feed = runs.follow(scope, runId, after)) {
            SseWriter sse = new SseWriter(ctx.res());
            sse.open();
            long nextKeepAlive = System.nanoTime() + keepAlive.toNanos();
            while (!polls.draining()) {
                long untilKeepAlive = Math.max(0, nextKeepAlive - System.nanoTime());
                EventPage page = feed.next(Duration.ofNanos(untilKeepAlive));
                for (RunEvent event : page.items()) {
                    sse.event(event);
                    seq = event.seq();
                    if (event.isTerminal()) {
                        sse.flush();
                        return End.TERMINAL;
                    }
                }
                if (page.items().isEmpty() && System.nanoTime() - nextKeepAlive >= 0) {
                    sse.comment("keep-alive");
                    nextKeepAlive = System.nanoTime() + keepAlive.toNanos();
                }
                sse.flush();
            }
            return End.DRAINED;
        } catch (IOException e) {
            log.debug("stream of run {} ended at seq {}: client gone ({})", runId, seq, e.toString());
            return End.CLIENT_GONE;
        } catch (RuntimeException e) {
            // Headers are sent, so no problem document can follow; the client reconnects
            // with Last-Event-ID and loses nothing.
            log.warn("stream of run {} ended at seq {}: {}", runId, seq, e.toString());
            return End.FAILED;
        }
    }
}
