package io.runledger.core.internal.kernel;

import io.runledger.api.InvalidArgumentException;
import io.runledger.api.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Keyset cursors of newest-first listings: the (created_at, id) of a page's last row, opaque
 * to callers (base64url), refused with {@code invalid_argument} when it is not one of ours.
 */
public final class Cursors {
    private Cursors() {
    }

    /** A decoded cursor: the last row's creation time and id. */
    public record Position(Instant createdAt, String id) {
    }

    public static String encode(Instant createdAt, String id) {
        String raw = Timestamps.format(createdAt) + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position of {@code cursor}; null for none. */
    public static Position decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|", 2);
            if (parts.length != 2 || parts[1].isEmpty()) {
                throw new IllegalArgumentException("no separator");
            }
            return new Position(Timestamps.parse(parts[0]), parts[1]);
        } catch (RuntimeException e) {
            throw new InvalidArgumentException("cursor is malformed; pass the nextCursor of a previous page");
        }
    }
}
