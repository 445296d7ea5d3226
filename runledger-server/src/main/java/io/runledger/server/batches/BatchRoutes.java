package io.runledger.server.batches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.BatchInfo;
import io.runledger.api.BatchReceipt;
import io.runledger.api.Batches;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.Receipt;
import io.runledger.api.RunStatus;
import io.runledger.api.Timestamps;
import io.runledger.api.TriggerRequest;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.HttpProblem;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.ServerJson;
import io.runledger.server.http.Views;
import io.runledger.server.runs.TriggerBody;
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
    public record BatchBody(List<JsonNode> items) {
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
        ObjectNode body = ServerJson.MAPPER.createObjectNode();
        body.put("batchId", receipt.batchId());
        ArrayNode ids = body.putArray("runIds");
        receipt.receipts().forEach(r -> ids.add(r.runId()));
        ArrayNode receipts = body.putArray("receipts");
        for (Receipt r : receipt.receipts()) {
            receipts.add(Views.receipt(r).put("replayed", r.replayed()));
        }
        ctx.header("Location", Paths.batch(scope, receipt.batchId()));
        Responses.json(ctx, 202, body);
    }

    /** One item: exactly a trigger body (without the streaming-only onDisconnect). */
    private static TriggerRequest item(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw HttpProblem.invalidJson(path + " must be a JSON object");
        }
        if (node.has(TriggerBody.ON_DISCONNECT)) {
            throw HttpProblem.unknownField(path + "." + TriggerBody.ON_DISCONNECT);
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
        BatchInfo info = batches.get(scope, batchId);
        ObjectNode body = ServerJson.MAPPER.createObjectNode();
        body.put("batchId", info.batchId());
        body.put("scope", info.scope());
        body.put("service", info.service());
        body.put("size", info.size());
        body.put("createdAt", Timestamps.format(info.createdAt()));
        ObjectNode counts = body.putObject("counts");
        info.counts().forEach(counts::put);
        long settled = info.counts().entrySet().stream()
                .filter(e -> RunStatus.fromWire(e.getKey()).isTerminal())
                .mapToLong(e -> e.getValue()).sum();
        body.put("settled", settled);
        body.put("done", settled == info.runIds().size());
        body.set("runIds", ServerJson.MAPPER.valueToTree(info.runIds()));
        Responses.json(ctx, 200, body);
    }
}
