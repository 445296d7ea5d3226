package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A thread: a conversation whose runs share {@code concurrencyKey}, so at most one of them
 * runs at a time. Only its metadata is stored; the rest is derived from its runs when it is
 * read. {@code updatedAt} is the latest change of the thread or of one of its runs;
 * {@code activeRunId} the run that holds its key (null when none does); {@code lastRunId} its
 * newest run; {@code values} the output of its newest succeeded run ({@code valuesRunId}),
 * null before one succeeded. Runs removed from the thread count for none of these, except that
 * a removed run still holding the key keeps the thread busy until it settles.
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
