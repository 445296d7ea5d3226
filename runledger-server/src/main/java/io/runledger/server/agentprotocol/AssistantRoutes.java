package io.runledger.server.agentprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.Admin;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.ServiceInfo;
import io.runledger.server.auth.Authenticator;
import io.runledger.server.http.Responses;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Assistants are the scope's services: search, count, get one and its input schema. They are
 * managed with the services API; the protocol's assistant writes are not served.
 */
final class AssistantRoutes {
    private final Admin admin;
    private final Authenticator auth;

    AssistantRoutes(Admin admin, Authenticator auth) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** The search body; an assistant's metadata is empty, so a metadata filter matches none. */
    record SearchBody(String graphId, String name, JsonNode metadata, Integer limit, Integer offset, String sortBy,
                      String sortOrder, List<String> select) {
    }

    record CountBody(String graphId, String name, JsonNode metadata) {
    }

    void register(RoutesConfig routes) {
        routes.post(ApPaths.ASSISTANTS_SEARCH, this::search);
        routes.post(ApPaths.ASSISTANTS_COUNT, this::count);
        routes.get(ApPaths.ASSISTANT, this::get);
        routes.get(ApPaths.ASSISTANT_SCHEMAS, this::schemas);
    }

    private void search(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        SearchBody b = ApJson.body(ctx, SearchBody.class);
        int limit = Paging.limit(b.limit());
        int offset = Paging.offset(b.offset());
        List<ServiceInfo> matching = matching(scope, b.graphId(), b.name(), b.metadata()).stream()
                .sorted(order(b.sortBy(), b.sortOrder())).toList();
        List<ObjectNode> page = matching.stream().skip(offset).limit(limit).map(ApViews::assistant).toList();
        if (offset + page.size() < matching.size()) {
            ctx.header(Paging.NEXT, Integer.toString(offset + page.size()));
        }
        ctx.header(Paging.TOTAL, Integer.toString(matching.size()));
        Responses.json(ctx, 200, ApViews.select(page, b.select()));
    }

    private void count(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        CountBody b = ApJson.body(ctx, CountBody.class);
        Responses.json(ctx, 200, ApJson.object().numberNode(matching(scope, b.graphId(), b.name(), b.metadata()).size()));
    }

    private List<ServiceInfo> matching(String scope, String graphId, String name, JsonNode metadata) {
        boolean anyMetadata = ApJson.optionalObject("metadata", metadata) == null || metadata.isEmpty();
        return admin.servicesList(scope).stream()
                .filter(s -> graphId == null || s.service().equals(graphId))
                .filter(s -> name == null || s.service().contains(name))
                .filter(s -> anyMetadata)
                .toList();
    }

    private static Comparator<ServiceInfo> order(String sortBy, String sortOrder) {
        Function<ServiceInfo, Comparable<?>> key = switch (sortBy == null ? "created_at" : sortBy) {
            case "assistant_id", "graph_id", "name" -> ServiceInfo::service;
            case "created_at" -> ServiceInfo::createdAt;
            case "updated_at" -> ServiceInfo::updatedAt;
            default -> throw new InvalidArgumentException(
                    "sort_by must be one of assistant_id, graph_id, name, created_at, updated_at");
        };
        @SuppressWarnings("unchecked")
        Comparator<ServiceInfo> c = Comparator.comparing(s -> (Comparable<Object>) key.apply(s));
        c = c.thenComparing(ServiceInfo::service);
        return Paging.ascending(sortOrder, false) ? c : c.reversed();
    }

    private void get(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        ServiceInfo s = admin.serviceGet(scope, assistant(ctx));
        Responses.json(ctx, 200, ApViews.assistant(s));
    }

    private void schemas(Context ctx) {
        String scope = auth.accessByApiKey(ctx).scope();
        ServiceInfo s = admin.serviceGet(scope, assistant(ctx));
        ObjectNode n = ApJson.object();
        n.put("graph_id", s.service());
        n.set("input_schema", ApJson.orNull(s.inputSchema()));
        for (String other : List.of("output_schema", "state_schema", "config_schema", "context_schema")) {
            n.putNull(other);
        }
        Responses.json(ctx, 200, n);
    }

    private static String assistant(Context ctx) {
        return InvalidNameException.requireValid("assistant_id", ctx.pathParam("assistantId"));
    }
}
