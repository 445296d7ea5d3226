package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * A thread search.
 *
 * @param metadata only threads whose metadata contains this object (null: any)
 * @param ids only threads with one of these ids (null: any; at most {@value #MAX_IDS})
 * @param status only threads in this status (null: any)
 * @param sortBy what the threads are sorted by (null: {@link Sort#CREATED_AT})
 * @param ascending true for ascending order, false for descending
 * @param limit the page size, 1..{@value #MAX_LIMIT}
 * @param offset how many matching threads to skip, 0..{@value #MAX_OFFSET}
 */
public record ThreadQuery(JsonNode metadata, List<String> ids, ThreadStatus status, Sort sortBy, boolean ascending,
                          int limit, int offset) {
    /** The page size when none is asked for. */
    public static final int DEFAULT_LIMIT = 10;
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;
    /** The largest offset. */
    public static final int MAX_OFFSET = 100_000;
    /** The most ids one search names. */
    public static final int MAX_IDS = 1000;

    /** What a search sorts by. */
    public enum Sort {
        /** The thread's id. */
        THREAD_ID,
        /** Its status' wire name. */
        STATUS,
        /** When it was created. */
        CREATED_AT,
        /** The latest change of the thread or of its runs. */
        UPDATED_AT;

        /** {@return the name on the wire: the constant's name in lower case, e.g. {@code created_at}} */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The constant whose {@link #wireName()} is {@code value}.
         *
         * @param value a wire name, e.g. from a request
         * @return the sort it names
         * @throws InvalidArgumentException if it names none
         */
        public static Sort fromWire(String value) {
            for (Sort s : values()) {
                if (s.wireName().equals(value)) {
                    return s;
                }
            }
            throw new InvalidArgumentException("sort_by must be one of thread_id, status, created_at, updated_at");
        }
    }

    /** Checks the bounds and fills in the default sort. */
    public ThreadQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new InvalidArgumentException("offset must be between 0 and " + MAX_OFFSET);
        }
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new InvalidArgumentException("metadata must be an object");
        }
        if (ids != null && (ids.size() > MAX_IDS || ids.stream().anyMatch(java.util.Objects::isNull))) {
            throw new InvalidArgumentException("ids must be at most " + MAX_IDS + " thread ids");
        }
        ids = ids == null ? null : List.copyOf(ids);
        sortBy = sortBy == null ? Sort.CREATED_AT : sortBy;
    }

    /**
     * Every thread, newest first.
     *
     * @param limit the page size
     * @return the query
     */
    public static ThreadQuery all(int limit) {
        return new ThreadQuery(null, null, null, Sort.CREATED_AT, false, limit, 0);
    }
}
