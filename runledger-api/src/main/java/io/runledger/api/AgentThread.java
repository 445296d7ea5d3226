package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A thread: a conversation whose runs share {@code concurrencyKey}, so at most one of them
 * runs at a time. Only its metadata is stored; the rest is derived from its runs when it is
 * read. Runs removed from the thread count for none of it, except that a removed run still
 * holding the key keeps the thread busy until it settles.
 *
 * @param scope the scope
 * @param threadId its id, a UUID in lower case
 * @param concurrencyKey the key its runs are triggered with ({@code thread:<threadId>:<random>})
 * @param metadata its metadata, an object
 * @param createdAt when it was created
 * @param updatedAt the latest change of the thread or of one of its runs
 * @param status what its runs say it is doing
 * @param activeRunId the run that holds its key, or null when none does
 * @param lastRunId its newest run, or null before its first
 * @param valuesRunId its newest succeeded run, or null before one succeeded
 * @param values the output of {@code valuesRunId}, or null
 */
public record AgentThread(
        String scope,
        String threadId,
        String concurrencyKey,
        JsonNode metadata,
        Instant createdAt,
        Instant updatedAt,
        ThreadStatus status,
        String activeRunId,
        String lastRunId,
        String valuesRunId,
        JsonNode values) {
}
