package io.runledger.server.batches;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.BatchReceipt;
import io.runledger.api.Batches;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.TriggerRequest;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.HttpProblem;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import io.runledger.server.runs.TriggerBody;
import io.runledger.server.wire.Each;
import io.runledger.server.wire.Range;
import io.runledger.server.wire.Required;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Batches of runs registered in one transaction. */
public final class BatchRoutes {
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Batches batches;
    private final Authenticator auth;

    /** The body of {@code POST .../batches}. */
    public record BatchBody(@Required @Range(min = 1, max = 1000) @Each(TriggerBody.class) List<JsonNode> items) {
    }

    public BatchRoutes(Batches batches, Authenticator auth) {
        this.batches = Objects.requireNonNull(batches, "batches");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.BATCHES, this::create);
        routes.get(Paths.BATCH, this::get);
    }

    private static String service(Context ctx) {
        return InvalidNameException.requireValid("service", ctx.pathParam("service"));
    }

    private void create(Context ctx) {
        String scope = auth.scope(ctx);
        String service = service(ctx);
        BatchBody b = JsonBodies.object(ctx, BatchBody.class);
        if (b.items() == null) {
            throw new InvalidArgumentException("items is required");
        }
        List<TriggerRequest> requests = new ArrayList<>(b.items().size());
        for (int i = 0; i < b.items().size(); i++) {
            requests.add(item(b.items().get(i), "items[" + i + "]"));
        }
        BatchReceipt receipt = batches.register(scope, service, requests);
        ctx.header("Location", Paths.batch(scope, receipt.batchId()));
        Responses.json(ctx, 202, Views.batchReceipt(receipt));
    }

    /** One item: exactly a trigger body (without the streaming-only onDisconnect). */
    private static TriggerRequest item(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw HttpProblem.invalidJson(path + " must be a JSON object");
        }
        try {
            return JsonBodies.bind(node, TriggerBody.class).toRequest(null);
        } catch (HttpProblem e) {
            if ("unknown_field".equals(e.code())) {
                throw HttpProblem.unknownField(path + "." + e.details().getOrDefault("field", "?"));
            }
            throw e;
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException(path + ": " + e.getMessage());
        }
    }

    private void get(Context ctx) {
        String scope = auth.scope(ctx);
        String batchId = ctx.pathParam("batchId");
        if (!BATCH_ID.matcher(batchId).matches()) {
            throw io.runledger.api.NotFoundException.of("batch_not_found", "batch '" + batchId + "' does not exist");
        }
        Responses.json(ctx, 200, Views.batch(batches.get(scope, batchId)));
    }
}
