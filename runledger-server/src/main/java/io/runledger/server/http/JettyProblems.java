package io.runledger.server.http;

import io.runledger.server.wire.ProblemView;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a URI it cannot accept, such as an encoded NUL or bad UTF-8, a
 * malformed request line or header, a head too large) happen before any route; this makes
 * them problem+json documents with a code of the contract too, instead of Jetty's HTML page
 * or, for methods other than GET and POST, an empty body.
 */
public final class JettyProblems extends ErrorHandler {
    private static final String BAD_MESSAGE_PATH = "/badMessage";

    /** Jetty writes no body for PUT, DELETE and the like by default; every answer here has one. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        int answered = callerStatus(status);
        if (answered != status) {
            response.setStatus(answered);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        // Jetty closes the connection after refusing a request it could not parse or route
        // (a bad URI, say) but does not always say so; a keep-alive client would then send
        // its next request into a closed connection. Say it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        if (BAD_MESSAGE_PATH.equals(path)) {
            path = null; // Jetty's stand-in for a URI it could not accept; not the caller's path
        }
        String redacted = Paths.redacted(path);
        if (redacted != null && !redacted.equals(path)) {
            path = redacted;
            message = null; // a callback URL's secret is never echoed, not even inside Jetty's reason
        }
        response.write(true, ByteBuffer.wrap(ServerJson.bytes(body(answered, message, path))), callback);
    }

    @Override
    @SuppressWarnings("removal")
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE));
        return ByteBuffer.wrap(ServerJson.bytes(body(callerStatus(status), reason, null)));
    }

    /**
     * An HTTP version or method Jetty does not implement (505, 501) is the caller's malformed
     * request, not an outage: 400.
     */
    static int callerStatus(int status) {
        return status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 || status == HttpStatus.NOT_IMPLEMENTED_501
                ? HttpStatus.BAD_REQUEST_400 : status;
    }

    private static ProblemView body(int status, String message, String path) {
        return Problems.document(status, Problems.code(status),
                message == null || message.isBlank() ? "the request was refused" : message, path, Map.of());
    }
}
