package io.runledger.core.internal.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.PayloadTooLargeException;
import io.runledger.core.internal.store.Json;
import java.nio.charset.StandardCharsets;

/** Size and range limits of engine inputs, checked before anything is written. */
public final class Limits {
    public static final int MAX_INPUT_BYTES = 1024 * 1024;
    public static final int MAX_OUTPUT_BYTES = 1024 * 1024;
    public static final int MAX_EVENT_DATA_BYTES = 64 * 1024;
    public static final int MAX_METADATA_BYTES = 64 * 1024;
    public static final int MAX_EVENTS_PER_APPEND = 1000;
    public static final int MAX_KEY_LENGTH = 255;
    public static final int MAX_TAGS = 32;
    public static final int MAX_TAG_LENGTH = 128;
    public static final int MAX_ATTEMPTS = 100;
    public static final long MAX_DELAY_SECONDS = 366L * 24 * 3600;
    public static final long MAX_TTL_SECONDS = 366L * 24 * 3600;
    public static final int MAX_LEASE_TTL_SECONDS = 86_400;
    public static final int MAX_REASON_LENGTH = 1000;

    private Limits() {
    }

    /** Throws {@code payload_too_large} if {@code value} serialises to more than {@code max} bytes. */
    public static void requireSize(String what, JsonNode value, int max) {
        if (value == null) {
            return;
        }
        int size = Json.write(value).getBytes(StandardCharsets.UTF_8).length;
        if (size > max) {
            throw new PayloadTooLargeException(what + " is " + size + " bytes; the limit is " + max);
        }
    }

    /** Optional text: null passes; otherwise 1..max characters without control characters. */
    public static String optionalText(String what, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > max) {
            throw new InvalidArgumentException(what + " must be 1.." + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidArgumentException(what + " must not contain control characters");
            }
        }
        return value;
    }

    public static long range(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidArgumentException(what + " must be between " + min + " and " + max);
        }
        return value;
    }
}
