package io.runledger.core.internal.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Named SQL statements from a {@code .sql} resource. Each statement starts with a line
 * {@code -- name: statementName}; everything up to the next such line belongs to it.
 */
public final class SqlStatements {
    private static final String MARKER = "-- name:";

    private final String resource;
    private final Map<String, String> statements;

    private SqlStatements(String resource, Map<String, String> statements) {
        this.resource = resource;
        this.statements = statements;
    }

    /** Loads {@code name} from the package of {@code anchor}. */
    public static SqlStatements load(Class<?> anchor, String name) {
        String resource = anchor.getPackageName().replace('.', '/') + "/" + name;
        try (InputStream in = anchor.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + resource);
            }
            return new SqlStatements(resource, parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> parse(String text) {
        Map<String, String> result = new HashMap<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith(MARKER)) {
                if (current != null) {
                    result.put(current, body.toString().strip());
                }
                current = line.substring(MARKER.length()).strip();
                body.setLength(0);
            } else if (current != null) {
                body.append(line).append('\n');
            }
        }
        if (current != null) {
            result.put(current, body.toString().strip());
        }
        return Map.copyOf(result);
    }

    public String get(String name) {
        String sql = statements.get(name);
        if (sql == null) {
            throw new IllegalArgumentException("no statement '" + name + "' in " + resource);
        }
        return sql;
    }
}
