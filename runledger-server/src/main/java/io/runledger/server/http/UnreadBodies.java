package io.runledger.server.http;

import io.javalin.http.Context;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;


/**
 * Reads what is left of a request body that no handler read, because the request was
 * refused first (no key, no such route, a bad parameter). Left unread, Jetty would close the
 * connection after the answer without saying so, and a keep-alive client's next request on
 * it would fail with no answer at all. Past {@link JsonBodies#MAX_BODY_BYTES}, or if the body
 * is broken, the answer says {@code Connection: close} instead.
 */
public final class UnreadBodies {
    private UnreadBodies() {
    }

    public static void drain(Context ctx) {
        var req = ctx.req();
        if (req.getContentLengthLong() <= 0 && req.getHeader("Transfer-Encoding") == null) {
            return; // no body at all
        }
        try {
            ServletInputStream in = req.getInputStream();
            if (in.isFinished()) {
                return; // a handler read it all: the common case, and it costs nothing
            }
            long left = JsonBodies.MAX_BODY_BYTES + 1L;
            byte[] buffer = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                left -= n;
            }
            if (left <= 0) {
                closeAfterAnswer(ctx);
            }
        } catch (IOException | IllegalStateException e) {
            closeAfterAnswer(ctx); // broken framing, or the body was taken as a reader: no reuse
        }
    }

    private static void closeAfterAnswer(Context ctx) {
        if (!ctx.res().isCommitted()) {
            ctx.header("Connection", "close");
        }
    }
}
