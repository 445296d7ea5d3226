package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A durable step's recorded output: written once per run and step name, across attempts
 * and resumes. {@code replayed} is true when this answer returns an output recorded before.
 * {@code seq} is the ledger seq of its {@code step.completed} event.
 *
 * @param step the step's name (see {@link #NAME})
 * @param output what the step returned
 * @param attempt the attempt that recorded it
 * @param seq the ledger seq of its {@code step.completed} event
 * @param createdAt when it was recorded
 * @param replayed true if this answer returns an output recorded before
 */
public record StepRecord(String step, JsonNode output, int attempt, long seq, Instant createdAt, boolean replayed) {
    /** Step names: letters, digits and {@code ._:/-}, 1 to 200 characters. */
    public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._:/-]{1,200}");
}
