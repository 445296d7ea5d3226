package io.runledger.server.waitpoints;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.OnTimeout;
import io.runledger.api.SuspendRequest;
import io.runledger.api.SuspendResult;
import io.runledger.api.WaitpointKind;
import io.runledger.api.WaitpointRef;
import io.runledger.api.Workers;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.wire.OneOf;
import io.runledger.server.wire.Range;
import io.runledger.server.wire.Required;
import io.runledger.server.wire.SuspendResultView;
import io.runledger.server.wire.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST .../runs/{runId}/suspend}: the lease holder suspends its run on waitpoints. */
public final class SuspendRoutes {
    private static final Logger log = LoggerFactory.getLogger(SuspendRoutes.class);

    private final Workers workers;
    private final Authenticator auth;

    /** One waitpoint of a suspend; which fields a kind takes is the engine's rule. */
    public record WaitpointRefBody(
            @Required @OneOf(of = WaitpointKind.class) String kind,
            @JsonPropertyDescription("duration: how long to wait") Double seconds,
            @JsonPropertyDescription("duration: until when to wait (instead of seconds)") @Timestamp String until,
            @JsonPropertyDescription("token: the token waitpoint") String waitpointId,
            @JsonPropertyDescription("run: the run to wait for") String runId,
            @JsonPropertyDescription("batch: the batch to wait for") String batchId) {
        WaitpointRef toRef(int index) {
            if (kind == null) {
                throw new InvalidArgumentException("waitpoints[" + index + "].kind is required (duration, token,"
                        + " run, batch)");
            }
            return new WaitpointRef(WaitpointKind.fromWire(kind), seconds, parseUntil(index), waitpointId, runId,
                    batchId);
        }

        private Instant parseUntil(int index) {
            if (until == null) {
                return null;
            }
            try {
                return Instant.parse(until);
            } catch (DateTimeParseException e) {
                throw new InvalidArgumentException("waitpoints[" + index + "].until must be an RFC 3339 UTC"
                        + " timestamp, e.g. 2026-11-21T23:24:50.123456Z");
            }
        }
    }

    public record SuspendBody(
            @Required String leaseToken,
            @Required @JsonPropertyDescription("the step the handler waits at; its resume results are kept by it")
            String step,
            @Required @Range(min = 1, max = SuspendRequest.MAX_WAITPOINTS) List<WaitpointRefBody> waitpoints,
            @JsonPropertyDescription("give up waiting after this many seconds") Long timeoutSeconds,
            @JsonPropertyDescription("what a timeout does (default resume)") @OneOf(of = OnTimeout.class)
            String onTimeout) {
        SuspendRequest toRequest() {
            if (waitpoints == null) {
                throw new InvalidArgumentException("waitpoints is required");
            }
            List<WaitpointRef> refs = new ArrayList<>(waitpoints.size());
            for (int i = 0; i < waitpoints.size(); i++) {
                WaitpointRefBody ref = waitpoints.get(i);
                if (ref == null) {
                    throw new InvalidArgumentException("waitpoints[" + i + "] must be an object");
                }
                refs.add(ref.toRef(i));
            }
            return new SuspendRequest(leaseToken, step, refs, timeoutSeconds,
                    onTimeout == null ? null : OnTimeout.fromWire(onTimeout));
        }
    }

    public SuspendRoutes(Workers workers, Authenticator auth) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.RUN_SUSPEND, this::suspend);
    }

    private void suspend(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        SuspendRequest request = JsonBodies.object(ctx, SuspendBody.class).toRequest();
        SuspendResult result = workers.suspend(scope, runId, request);
        log.debug("run {} at step {}: {}", runId, request.step(), result.suspended() ? "suspended" : "not suspended");
        Responses.json(ctx, 200, new SuspendResultView(result.suspended(),
                result.results().stream().map(Views::waitResult).toList()));
    }
}
