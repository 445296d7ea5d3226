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

    /**
     * How a stream ended. {@code EXPIRED}: the run access token it was opened with expired, so
     * a reconnect must bring a new one.
     */
    public enum End { TERMINAL, CLIENT_GONE, DRAINED, EXPIRED, FAILED }

    /**
     * What to stream: the run's events after {@code after}, each with its {@code event:} line
     * or not ({@code eventNames}), for at most {@code lifetime} (the validity left to the run
     * access token it is read with; null for a key, which does not expire).
     */
    public record Request(String scope, String runId, long after, boolean eventNames, Duration lifetime) {
    }

    /**
     * The client resumed after the run's terminal event: 204, which tells a browser's
     * {@code EventSource} to stop reconnecting (an empty 200 would have it reconnect forever).
     */
    public void ended(Context ctx) {
        ctx.status(204);
        ctx.header("Cache-Control", "no-cache");
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
    public End stream(Context ctx, Request request) {
        metrics.streamOpened();
        try {
            return streamOpen(ctx, request);
        } finally {
            metrics.streamClosed();
        }
    }

    private End streamOpen(Context ctx, Request request) {
        headers(ctx);
        String runId = request.runId();
        long seq = request.after();
        long started = System.nanoTime();
        // The feed holds the run's wake-up: between pages it reads the ledger only when an
        // append wakes it (or at its slow safety re-check), not at every keep-alive.
        try (EventFeed feed = runs.follow(request.scope(), runId, request.after())) {
            SseWriter sse = new SseWriter(ctx.res());
            sse.open();
            long nextKeepAlive = System.nanoTime() + keepAlive.toNanos();
            while (!polls.draining()) {
                long now = System.nanoTime();
                long untilKeepAlive = Math.max(0, nextKeepAlive - now);
                if (request.lifetime() != null) {
                    // A token reads until it expires, not for as long as the connection lasts.
                    long left = request.lifetime().toNanos() - (now - started);
                    if (left <= 0) {
                        sse.flush();
                        return End.EXPIRED;
                    }
                    untilKeepAlive = Math.min(untilKeepAlive, left);
                }
                EventPage page = feed.next(Duration.ofNanos(untilKeepAlive));
                for (RunEvent event : page.items()) {
                    sse.event(event, request.eventNames());
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
