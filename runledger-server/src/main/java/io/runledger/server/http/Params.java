package io.runledger.server.http;

import io.javalin.http.Context;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.NotFoundException;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/** Path and query parameters, checked before they reach the engine. */
public final class Params {
    /**
     * What a run id may look like at all. Deliberately looser than the engine's current
     * format ({@code run_} + ULID) so a format change cannot break lookups; anything else
     * (NUL, spaces, 10 kB of text) never reaches the database and is simply not found.
     */
    private static final int MAX_TEXT = 255;
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private Params() {
    }

    /** The path's run id; one that cannot exist is simply not found (invariant 11). */
    public static String runId(Context ctx) {
        String runId = checkedRunId(ctx.pathParam("runId"));
        MDC.put("runId", runId);
        return runId;
    }

    /** A run id as given (in a path or a body); one that cannot be an id is a run not found. */
    public static String checkedRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw NotFoundException.run(runId);
        }
        return runId;
    }

    public static long longParam(Context ctx, String name, long defaultValue, long min, long max) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return defaultValue;
        }
        return parseLong(name, raw, min, max);
    }

    public static long parseLong(String name, String raw, long min, long max) {
        long value;
        try {
            value = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(name + " must be an integer between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw new InvalidArgumentException(name + " must be between " + min + " and " + max);
        }
        return value;
    }

    /** A {@code true} or {@code false} parameter; anything else is refused with invalid_argument. */
    public static boolean bool(Context ctx, String name, boolean defaultValue) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return defaultValue;
        }
        return switch (raw.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidArgumentException(name + " must be true or false");
        };
    }

    /** A text filter: at most 255 characters and no control characters (PostgreSQL refuses NUL). */
    public static String text(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        if (raw.length() > MAX_TEXT || raw.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidArgumentException(name + " must be 1.." + MAX_TEXT + " characters without control characters");
        }
        return raw;
    }

    /** An RFC 3339 timestamp parameter (e.g. {@code createdAfter}); null when absent. */
    public static java.time.Instant instant(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        return raw == null || raw.isEmpty() ? null : parseInstant(name, raw);
    }

    /** {@code raw} as an instant; anything but an RFC 3339 timestamp is refused with invalid_argument. */
    public static java.time.Instant parseInstant(String name, String raw) {
        if (raw.length() > 64) {
            throw new InvalidArgumentException(name + " must be an RFC 3339 timestamp, e.g. 2026-01-31T12:00:00Z");
        }
        try {
            return java.time.OffsetDateTime.parse(raw.strip()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidArgumentException(name + " must be an RFC 3339 timestamp, e.g. 2026-01-31T12:00:00Z");
        }
    }
}
