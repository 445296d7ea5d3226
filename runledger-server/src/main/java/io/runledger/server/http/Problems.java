package io.runledger.server.http;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.runledger.api.ConcurrencyConflictException;
import io.runledger.api.ConflictException;
import io.runledger.api.IdempotencyKeyReusedException;
import io.runledger.api.IllegalTransitionException;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.InvalidInputException;
import io.runledger.api.InvalidNameException;
import io.runledger.api.LeaseLostException;
import io.runledger.api.NotFoundException;
import io.runledger.api.PayloadTooLargeException;
import io.runledger.api.RemoteProblemException;
import io.runledger.api.RunAlreadySettledException;
import io.runledger.api.RunLedgerException;
import io.runledger.api.UnavailableException;
import io.runledger.server.wire.ProblemView;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into one RFC 9457 {@code application/problem+json} document with a
 * stable {@code code}. This is the one place engine failure kinds meet HTTP statuses.
 */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    /** The HTTP status of an engine failure kind; the switch is exhaustive over the sealed type. */
    public static int status(RunLedgerException e) {
        return switch (e) {
            case NotFoundException x -> 404;
            case InvalidArgumentException x -> 400;
            case InvalidNameException x -> 400;
            case PayloadTooLargeException x -> 413;
            case InvalidInputException x -> 422;
            case IdempotencyKeyReusedException x -> 422;
            case LeaseLostException x -> 409;
            case RunAlreadySettledException x -> 409;
            case ConcurrencyConflictException x -> 409;
            case ConflictException x -> 409;
            case IllegalTransitionException x -> 409;
            case UnavailableException x -> 503;
            // Only a client proxying another server throws this; keep that server's status.
            case RemoteProblemException x -> x.status();
        };
    }

    public static void write(Context ctx, RunLedgerException e) {
        int status = status(e);
        if (status >= 500) {
            log.warn("{} {} -> {} {}", ctx.method(), Paths.redacted(ctx.path()), status, e.getMessage(), e);
        }
        write(ctx, status, e.code(), e.getMessage(), e.details());
    }

    public static void write(Context ctx, HttpProblem p) {
        p.headers().forEach(ctx::header);
        write(ctx, p.status(), p.code(), p.getMessage(), p.details());
    }

    /** Javalin's own refusals: no such route, method not allowed. */
    public static void write(Context ctx, HttpResponseException e) {
        write(ctx, e.getStatus(), code(e.getStatus()), e.getMessage(), Map.of());
    }

    /**
     * The contract's code for a status that Javalin or Jetty chose without a failure kind
     * of ours (no route, a malformed URI or header, a request head too large).
     */
    public static String code(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413, 414, 431 -> "payload_too_large";
            case 415 -> "invalid_json";
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "invalid_argument";
        };
    }

    /** Anything unexpected: a bug or an outage, never the caller's fault, and logged as such. */
    public static void writeUnexpected(Context ctx, Exception e) {
        log.error("{} {} failed unexpectedly", ctx.method(), Paths.redacted(ctx.path()), e);
        write(ctx, 500, "internal_error", "the server failed to handle the request", Map.of());
    }

    public static void write(Context ctx, int status, String code, String detail, Map<String, Object> details) {
        ProblemView body = document(status, code, Paths.redacted(detail, ctx.path()), Paths.redacted(ctx.path()),
                details);
        ctx.status(status).contentType(CONTENT_TYPE).result(ServerJson.bytes(body));
    }

    /**
     * The one shape of every problem document, whether a route or Jetty itself refused the
     * request; {@code instance} is left out when there is no path to name.
     */
    public static ProblemView document(int status, String code, String detail, String instance,
                                       Map<String, Object> details) {
        // A URN, not a URL: the type identifies the problem kind without promising a page.
        return new ProblemView("urn:runledger:problem:" + code, title(status), status, detail, instance, code,
                details);
    }

    /** RFC 9110's reason phrases where they differ from Jetty's older ones; Jetty's otherwise. */
    private static String title(int status) {
        return switch (status) {
            case 413 -> "Content Too Large";
            case 422 -> "Unprocessable Content";
            default -> {
                String reason = status >= 500 && status != 503 ? "Internal Server Error" : HttpStatus.getMessage(status);
                yield reason == null ? "Error" : reason;
            }
        };
    }
}
