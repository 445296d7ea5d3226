package io.runledger.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a URI it cannot accept, such as an encoded NUL, or a malformed
 * request line) happen before any route; this makes them problem+json documents too
 * instead of Jetty's HTML error page.
 */
public final class JettyProblems extends ErrorHandler {
    private static final String BAD_MESSAGE_PATH = "/badMessage";

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        if (BAD_MESSAGE_PATH.equals(path)) {
            path = null; // Jetty's stand-in for a URI it could not accept; not the caller's path
        }
        response.write(true, ByteBuffer.wrap(ServerJson.bytes(body(status, message, path))), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE));
        return ByteBuffer.wrap(ServerJson.bytes(body(status, reason, null)));
    }

    private static ObjectNode body(int status, String message, String path) {
        String code = status >= 500 ? "internal_error" : status == 413 || status == 431 ? "payload_too_large"
                : "bad_request";
        ObjectNode body = ServerJson.MAPPER.createObjectNode();
        body.put("type", "urn:runledger:problem:" + code);
        body.put("title", status >= 500 ? "Internal Server Error" : "Bad Request");
        body.put("status", status);
        body.put("detail", message == null || message.isBlank() ? "the request was refused" : message);
        if (path != null) {
            body.put("instance", path);
        }
        body.put("code", code);
        return body;
    }
}
