package io.runledger.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.Receipt;
import io.runledger.api.Runs;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.ServerJson;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Registers runs from a request; shared by the plain and the streaming trigger. */
public final class Triggers {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Logger log = LoggerFactory.getLogger(Triggers.class);

    private final Runs runs;

    public Triggers(Runs runs) {
        this.runs = Objects.requireNonNull(runs, "runs");
    }

    /** A registered trigger: its streaming options (none for a plain one) and its run's receipt. */
    public record Triggered(StreamOptions options, Receipt receipt) {
    }

    /** Parses, checks and registers; nothing is written unless every check passes. */
    public Triggered trigger(Context ctx, String scope, boolean streaming) {
        String service = InvalidNameException.requireValid("service", ctx.pathParam("service"));
        ObjectNode node = (ObjectNode) JsonBodies.object(ctx);
        StreamOptions options = new StreamOptions(null);
        if (streaming) {
            // Taken out first: the rest is a plain trigger body, which has no such field.
            ObjectNode own = ServerJson.MAPPER.createObjectNode();
            JsonNode onDisconnect = node.remove(StreamOptions.ON_DISCONNECT);
            if (onDisconnect != null) {
                own.set(StreamOptions.ON_DISCONNECT, onDisconnect);
            }
            options = JsonBodies.bind(own, StreamOptions.class);
            options.cancelOnDisconnect(); // refuses a bad value before anything is written
        }
        TriggerBody body = JsonBodies.bind(node, TriggerBody.class);
        if (!node.has(TriggerBody.INPUT)) {
            throw new InvalidArgumentException("input is required (it may be null)");
        }
        Receipt receipt = runs.trigger(scope, service, body.toRequest(ctx.header(IDEMPOTENCY_KEY)));
        MDC.put("runId", receipt.runId());
        // DEBUG, not INFO: a line per run costs more than the trigger itself at thousands a
        // second; the run's ledger and the metrics already say what happened.
        if (!receipt.replayed() && log.isDebugEnabled()) {
            log.debug("run {} triggered in {}/{}", receipt.runId(), scope, service);
        }
        return new Triggered(options, receipt);
    }
}
