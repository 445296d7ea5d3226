package io.runledger.core.internal.store;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** Conversions of values in rows read as maps (PostgreSQL JDBC types). */
public final class Rows {
    private Rows() {
    }

    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass());
    }

    public static List<String> strings(Object array) {
        try {
            if (array instanceof Array a) {
                return Arrays.asList((String[]) a.getArray());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return List.of();
    }
}
