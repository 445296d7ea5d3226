package io.runledger.server.http;

import io.javalin.http.Context;

/** Writes JSON answers. */
public final class Responses {
    public static final String JSON = "application/json";

    private Responses() {
    }

    /** {@code body}: a wire record (see {@code io.runledger.server.wire}) or a JSON tree. */
    public static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(ServerJson.bytes(body));
    }
}
