package io.runledger.server.signals;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.core.RunLedger;
import io.runledger.core.RunMessage;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Params;
import io.runledger.server.http.Responses;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import java.util.Objects;
import java.util.regex.Pattern;

/** Signals to a run and the outbound messages they become for its worker. */
public final class SignalRoutes {
    public static final String SIGNALS = "/v1/scopes/{scope}/runs/{runId}/signals";
    public static final String MESSAGES = "/v1/scopes/{scope}/runs/{runId}/messages";
    public static final String MESSAGE_ACK = MESSAGES + "/{messageId}/ack";
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final RunLedger ledger;
    private final Authenticator auth;

    /** The body of {@code POST .../signals}. */
    public record SignalBody(String type, JsonNode data, String severity) {
    }

    /** The body of {@code POST .../messages/{id}/ack}: the worker's lease token. */
    public record AckBody(String leaseToken) {
    }

    public SignalRoutes(RunLedger ledger, Authenticator auth) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.post(SIGNALS, this::signal);
        routes.get(MESSAGES, this::messages);
        routes.post(MESSAGE_ACK, this::ack);
    }

    private void signal(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        SignalBody b = JsonBodies.object(ctx, SignalBody.class);
        RunMessage m = ledger.signal(scope, runId, b.type(), b.data(), b.severity());
        Responses.json(ctx, 202, ServerJson.MAPPER.createObjectNode().put("messageId", m.messageId())
                .put("seq", m.seq()).put("status", m.status()));
    }

    private void messages(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        var items = ledger.messages(scope, runId).stream().map(RunMessage::toJson).toList();
        Responses.json(ctx, 200, ServerJson.MAPPER.createObjectNode().set("items", Views.array(items)));
    }

    private void ack(Context ctx) {
        String scope = auth.scope(ctx);
        String runId = Params.runId(ctx);
        String messageId = ctx.pathParam("messageId");
        if (!MESSAGE_ID.matcher(messageId).matches()) {
            throw io.runledger.api.NotFoundException.of("message_not_found", "message '" + messageId + "' does not exist");
        }
        AckBody b = JsonBodies.object(ctx, AckBody.class);
        Responses.json(ctx, 200, ledger.messageAck(scope, runId, messageId, b.leaseToken()).toJson());
    }
}
