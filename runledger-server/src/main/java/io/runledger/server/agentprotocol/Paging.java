package io.runledger.server.agentprotocol;

import io.runledger.api.InvalidArgumentException;

/** The protocol's offset paging: {@code limit}, {@code offset}, and the headers that say what is left. */
final class Paging {
    static final String NEXT = "X-Pagination-Next";
    static final String TOTAL = "X-Pagination-Total";
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 1000;
    static final int MAX_OFFSET = 100_000;

    private Paging() {
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    static int offset(Integer offset) {
        if (offset == null) {
            return 0;
        }
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new InvalidArgumentException("offset must be between 0 and " + MAX_OFFSET);
        }
        return offset;
    }

    /** {@code asc} or {@code desc} (null: {@code fallback}). */
    static boolean ascending(String sortOrder, boolean fallback) {
        if (sortOrder == null) {
            return fallback;
        }
        return switch (sortOrder) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw new InvalidArgumentException("sort_order must be asc or desc");
        };
    }
}
