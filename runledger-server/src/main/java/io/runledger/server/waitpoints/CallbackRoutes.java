package io.runledger.server.waitpoints;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.runledger.api.Waitpoints;
import io.runledger.server.http.JsonBodies;
import io.runledger.server.http.Paths;
import io.runledger.server.http.Responses;
import io.runledger.server.http.Views;
import java.util.Objects;

/**
 * {@code POST /v1/callbacks/{secret}}: completes a token waitpoint without an API key. The
 * secret in the path is the only authority, so it is handled like a key: never logged, never
 * echoed (the request log and problem documents show {@link Paths#redacted}), looked up by its
 * SHA-256 only, and every unknown or malformed secret gets the same 404. Whatever JSON the
 * body holds (an empty body is {@code null}) is the waitpoint's data. The answer says only
 * that the completion holds ({@link Views#callbackAnswer}), nothing else of the scope.
 */
public final class CallbackRoutes {
    private final Waitpoints waitpoints;

    public CallbackRoutes(Waitpoints waitpoints) {
        this.waitpoints = Objects.requireNonNull(waitpoints, "waitpoints");
    }

    public void register(RoutesConfig routes) {
        routes.post(Paths.CALLBACK, this::complete);
    }

    private void complete(Context ctx) {
        // The engine refuses a secret of the wrong shape before touching the database and
        // looks a well-formed one up by its hash, so no comparison of the secret itself leaks time.
        String secret = ctx.pathParam("secret");
        var data = JsonBodies.value(ctx);
        Responses.json(ctx, 200, Views.callbackAnswer(waitpoints.completeByCallback(secret, data)));
    }
}
