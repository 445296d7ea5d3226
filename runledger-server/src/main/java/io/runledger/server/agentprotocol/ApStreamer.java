package io.runledger.server.agentprotocol;

import io.javalin.http.Context;
import io.runledger.api.EventFeed;
import io.runledger.api.EventPage;
import io.runledger.api.EventTypes;
import io.runledger.api.RunEvent;
import io.runledger.api.Runs;
import io.runledger.api.ThreadRun;
import io.runledger.api.Threads;
import io.runledger.server.http.LongPolls;
import io.runledger.server.http.ServerJson;
import io.runledger.server.metrics.ServerMetrics;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a run as the protocol's SSE parts, read from the run's ledger (so any instance serves
 * any run, and a reconnect with {@code Last-Event-ID} loses nothing). Ends after the run's
 * {@code end} part, when the run is over or waits for someone before anything is left to send,
 * when the client goes away, or when the server drains (the client then reconnects at
 * {@code Location}).
 */
final class ApStreamer {
    private static final Logger log = LoggerFactory.getLogger(ApStreamer.class);

    private final Runs runs;
    private final Threads threads;
    private final Interrupts interrupts;
    private final LongPolls polls;
    private final Duration keepAlive;
    private final ServerMetrics metrics;

    ApStreamer(Runs runs, Threads threads, Interrupts interrupts, LongPolls polls, Duration keepAlive,
               ServerMetrics metrics) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
        this.polls = Objects.requireNonNull(polls, "polls");
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** How a stream ended. */
    enum End { DONE, CLIENT_GONE, DRAINED, FAILED }

    /**
     * What to stream: the run (of {@code threadId}, or of none), from {@code from}, the parts of
     * {@code modes}; {@code metadataFirst} sends a {@code metadata} part (without id) first, for a
     * stream that starts past the run's first event as if the run were new (a resume).
     */
    record Request(String scope, String threadId, String runId, StreamPosition from, List<String> modes,
                   boolean metadataFirst) {
    }

    /** Sends the headers (200, {@code Content-Location}, {@code Location}), then the parts. */
    End stream(Context ctx, Request request) {
        metrics.streamOpened();
        try {
            return streamOpen(ctx, request);
        } finally {
            metrics.streamClosed();
        }
    }

    private End streamOpen(Context ctx, Request r) {
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        res.setHeader("Content-Location", ApPaths.run(r.threadId(), r.runId()));
        res.setHeader("Location", ApPaths.stream(r.threadId(), r.runId()));
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("utf-8");
        Mapping mapping = new Mapping(r.scope(), r.threadId(), r.runId());
        long seq = r.from().seq();
        try (EventFeed feed = runs.follow(r.scope(), r.runId(), r.from().seq())) {
            OutputStream out = res.getOutputStream();
            res.flushBuffer();
            if (r.metadataFirst()) {
                write(out, null, new StreamParts.Part(StreamParts.METADATA, StreamParts.metadata(mapping)));
            }
            int skip = r.from().part();
            if (alreadyOver(r.scope(), r.runId(), r.from())) {
                out.flush();
                return End.DONE;
            }
            long nextKeepAlive = System.nanoTime() + keepAlive.toNanos();
            while (!polls.draining()) {
                EventPage page = feed.next(Duration.ofNanos(Math.max(0, nextKeepAlive - System.nanoTime())));
                for (RunEvent event : page.items()) {
                    List<StreamParts.Part> parts = StreamParts.of(event, mapping);
                    for (int i = skip + 1; i < parts.size(); i++) {
                        if (parts.get(i).wanted(r.modes())) {
                            write(out, StreamPosition.id(event.seq(), i, parts.size()), parts.get(i));
                        }
                    }
                    skip = -1;
                    seq = event.seq();
                    if (StreamParts.ends(parts) || event.isTerminal()) {
                        out.flush();
                        return End.DONE;
                    }
                }
                if (page.items().isEmpty()) {
                    if (System.nanoTime() - nextKeepAlive >= 0) {
                        if (alreadyOver(r.scope(), r.runId(), new StreamPosition(seq, -1))) {
                            out.flush();
                            return End.DONE;
                        }
                        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                        nextKeepAlive = System.nanoTime() + keepAlive.toNanos();
                    }
                }
                out.flush();
                res.flushBuffer();
            }
            return End.DRAINED;
        } catch (IOException e) {
            log.debug("protocol stream of run {} ended at seq {}: client gone ({})", r.runId(), seq, e.toString());
            return End.CLIENT_GONE;
        } catch (RuntimeException e) {
            // Headers are sent: no problem document can follow; the client resumes with Last-Event-ID.
            log.warn("protocol stream of run {} ended at seq {}: {}", r.runId(), seq, e.toString());
            return End.FAILED;
        }
    }

    /**
     * Whether nothing is left to send from {@code from}: the run is over or waits for someone,
     * and every event it has was delivered (a resume after the end, or a resume that finds the
     * run still interrupted).
     */
    private boolean alreadyOver(String scope, String runId, StreamPosition from) {
        ThreadRun tr = threads.run(scope, null, runId);
        return ApStatus.done(tr) && from.part() < 0 && from.seq() >= tr.run().lastSeq();
    }

    private static void write(OutputStream out, String id, StreamParts.Part part) throws IOException {
        StringBuilder message = new StringBuilder(256);
        if (id != null) {
            message.append("id: ").append(id).append('\n');
        }
        // Event names are the protocol's own (fixed, single-line); compact JSON escapes every
        // control character, so the data is one line.
        message.append("event: ").append(part.event()).append('\n');
        message.append("data: ").append(ServerJson.text(part.data())).append("\n\n");
        out.write(message.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The mapping's view of one run: its thread, its interrupts, whether it still waits. */
    private final class Mapping implements StreamParts.Context {
        private final String scope;
        private final String threadId;
        private final String runId;

        Mapping(String scope, String threadId, String runId) {
            this.scope = scope;
            this.threadId = threadId;
            this.runId = runId;
        }

        @Override
        public String runId() {
            return runId;
        }

        @Override
        public String threadId() {
            return threadId;
        }

        @Override
        public List<Interrupts.Interrupt> interrupts(RunEvent waiting) {
            return interrupts.at(scope, waiting);
        }

        @Override
        public boolean stillWaiting(RunEvent waiting) {
            ThreadRun tr = threads.run(scope, null, runId);
            if (!tr.interrupted()) {
                return false;
            }
            // Waiting now, and on this suspend: nothing resumed the run since.
            for (RunEvent later : runs.events(scope, runId, waiting.seq(), 1000).items()) {
                if (later.type().equals(EventTypes.RESUMED)) {
                    return false;
                }
            }
            return true;
        }
    }
}
