package io.runledger.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** RFC 3339 UTC timestamps with exactly six fractional digits, so they sort as strings. */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /**
     * Formats an instant, truncated to microseconds, as {@code 2025-01-31T12:00:00.123456Z}.
     *
     * @param instant the instant, or null
     * @return its text, or null for null
     */
    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * Parses an RFC 3339 timestamp such as the ones {@link #format} writes.
     *
     * @param text the timestamp, or null
     * @return the instant, or null for null
     * @throws java.time.format.DateTimeParseException if {@code text} is no RFC 3339 timestamp
     */
    public static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
