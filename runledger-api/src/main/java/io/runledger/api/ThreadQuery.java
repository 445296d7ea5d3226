package io.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * A thread search: threads whose metadata contains {@code metadata} (null: any), whose id is
 * one of {@code ids} (null: any), in {@code status} (null: any); sorted by {@code sortBy},
 * {@code limit} 1..{@value #MAX_LIMIT} from {@code offset} 0..{@value #MAX_OFFSET}.
 */
public record ThreadQuery(JsonNode metadata, List<String> ids, ThreadStatus status, Sort sortBy, boolean ascending,
                          int limit, int offset) {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 1000;
    public static final int MAX_OFFSET = 100_000;
    public static final int MAX_IDS = 1000;

    /** What a search sorts by. */
    public enum Sort {
        THREAD_ID, STATUS, CREATED_AT, UPDATED_AT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Sort fromWire(String value) {
            for (Sort s : values()) {
                if (s.wireName().equals(value)) {
                    return s;
                }
            }
            throw new InvalidArgumentException("sort_by must be one of thread_id, status, created_at, updated_at");
        }
    }

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

    /** Every thread, newest first, in pages of {@code limit}. */
    public static ThreadQuery all(int limit) {
        return new ThreadQuery(null, null, null, Sort.CREATED_AT, false, limit, 0);
    }
}
