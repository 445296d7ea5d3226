package io.runledger.core.internal.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import io.runledger.api.InvalidArgumentException;
import io.runledger.api.RetryPolicy;
import io.runledger.core.internal.store.Json;

/**
 * Retry policies as the engine checks, stores and reads them. A policy is stored only when
 * it differs from the default, so most rows carry none.
 */
public final class Retries {
    private static final double MAX_FACTOR = 100;

    private Retries() {
    }

    /** Refuses a policy with a field out of range; null is no policy. */
    public static void requireValid(String what, RetryPolicy p) {
        if (p == null) {
            return;
        }
        seconds(what + ".initialDelaySeconds", p.initialDelaySeconds());
        seconds(what + ".maxDelaySeconds", p.maxDelaySeconds());
        if (p.factor() != null && !(p.factor() >= 1 && p.factor() <= MAX_FACTOR)) {
            throw new InvalidArgumentException(what + ".factor must be between 1 and " + (int) MAX_FACTOR);
        }
        if (p.jitter() != null && !(p.jitter() >= 0 && p.jitter() <= 1)) {
            throw new InvalidArgumentException(what + ".jitter must be between 0 and 1");
        }
    }

    /** A delay in seconds: 0 to one week ({@code >=} also refuses NaN). */
    public static void seconds(String what, Double value) {
        if (value != null && !(value >= 0 && value <= RetryPolicy.MAX_DELAY_SECONDS)) {
            throw new InvalidArgumentException(what + " must be between 0 and " + (long) RetryPolicy.MAX_DELAY_SECONDS);
        }
    }

    /** The complete policy of a service whose stored policy is {@code stored} (null: the default). */
    public static RetryPolicy complete(JsonNode stored) {
        return stored == null || stored.isNull() ? RetryPolicy.DEFAULT
                : Json.MAPPER.convertValue(stored, RetryPolicy.class).over(RetryPolicy.DEFAULT);
    }

    /** What to store for a complete policy: nothing when it is the default. */
    public static JsonNode stored(RetryPolicy complete) {
        return complete == null || complete.equals(RetryPolicy.DEFAULT) ? null : Json.MAPPER.valueToTree(complete);
    }

    /** A run's policy: the trigger's over its service's, stored only if not the default. */
    public static JsonNode forRun(RetryPolicy trigger, RetryPolicy service) {
        RetryPolicy base = service == null ? RetryPolicy.DEFAULT : service;
        return stored(trigger == null ? base : trigger.over(base));
    }
}
