package io.runledger.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.Receipt;
import io.runledger.api.Runs;
import io.runledger.server.http.HttpProblem;
import io.runledger.server.http.JsonBodies;
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

    /** A parsed trigger: the body (for streaming options) and the receipt of the registered run. */
    public record Triggered(TriggerBody body, Receipt receipt) {
    }

    /** Parses, checks and registers; nothing is written unless every check passes. */
    public Triggered trigger(Context ctx, String scope, boolean streaming) {
        String service = InvalidNameException.requireValid("service", ctx.pathParam("service"));
        JsonNode node = JsonBodies.object(ctx);
        if (!streaming && node.has(TriggerBody.ON_DISCONNECT)) {
            throw HttpProblem.unknownField(TriggerBody.ON_DISCONNECT);
        }
        TriggerBody body = JsonBodies.bind(node, TriggerBody.class);
        if (streaming) {
            body.cancelOnDisconnect(); // refuses a bad value before anything is written
        }
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
        return new Triggered(body, receipt);
    }
}
