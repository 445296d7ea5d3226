package io.runledger.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

/** Writes JSON answers. */
public final class Responses {
    public static final String JSON = "application/json";

    private Responses() {
    }

    public static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType(JSON).result(ServerJson.bytes(body));
    }
}
