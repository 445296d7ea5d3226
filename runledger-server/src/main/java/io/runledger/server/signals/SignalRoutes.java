package io.runledger.server.signals;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.NotFoundException;
import io.runledger.api.RunMessage;
import io.runledger.api.Signal;
import io.runledger.api.Signals;
import io.runledger.api.Workers;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.wire.ListView;
import io.runledger.server.wire.OneOf;
import io.runledger.server.wire.Required;
import java.util.Objects;
import java.util.regex.Pattern;

/** Signals to a run and the outbound messages they become for its worker. */
public final class SignalRoutes {
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Signals signals;
    private final Workers workers;
    private final Authenticator auth;

    /** The body of {@code POST .../signals}. */
    public record SignalBody(
            @Required @JsonPropertyDescription("matches [a-z0-9][a-z0-9._-]{0,62}") String type,
            @JsonPropertyDescription("at most 64 KiB") JsonNode data,
            @JsonPropertyDescription("default info") @OneOf({"debug", "info", "warning", "error", "critical"})
            String severity) {
    }

    /** The body of {@code POST .../messages/{id}/ack}: the worker's lease token. */
    public record AckBody(@Required String leaseToken) {
    }

    public SignalRoutes(Signals signals, Workers workers, Authenticator auth) {
        this.signals = Objects.requireNonNull(signals, "signals");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.RUN_SIGNALS, this::signal);
        routes.get(Paths.RUN_MESSAGES, this::messages);
        routes.post(Paths.RUN_MESSAGE_ACK, this::ack);
    }

    private void signal(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        SignalBody b = JsonBodies.object(ctx, SignalBody.class);
        RunMessage m = signals.send(scope, runId, new Signal(b.type(), b.data(), b.severity()));
        Responses.json(ctx, 202, Views.message(m)); // the message as GET .../messages lists it
    }

    private void messages(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        Responses.json(ctx, 200, new ListView<>(signals.messages(scope, runId).stream().map(Views::message).toList()));
    }

    private void ack(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        String messageId = ctx.pathParam("messageId");
        if (!MESSAGE_ID.matcher(messageId).matches()) {
            throw NotFoundException.of("message_not_found", "message '" + messageId + "' does not exist");
        }
        AckBody b = JsonBodies.object(ctx, AckBody.class);
        Responses.json(ctx, 200, Views.message(workers.messageAck(scope, runId, messageId, b.leaseToken())));
    }
}
