package io.runledger.server.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Random pieces of requests: JSON values (plausible, wrong-typed, deep, huge), broken bytes,
 * odd path segments and header values. All from one seeded {@link Random}, so a failing run
 * is repeated exactly with its seed.
 */
final class FuzzInputs {
    /** Field names the endpoints define, plus a few they do not. */
    static final List<String> FIELDS = List.of("input", "leaseToken", "events", "type", "data", "output", "error",
            "code", "message", "detail", "retryable", "severity", "workerId", "services", "max", "waitSeconds",
            "version", "capabilities", "maxAttempts", "leaseTtlSeconds", "inputSchema", "concurrencyLimit",
            "description", "idempotencyKey", "concurrencyKey", "onConflict", "correlationId", "parentRunId", "tags",
            "metadata", "runAt", "delaySeconds", "ttlSeconds", "onDisconnect", "reason", "items", "url", "secret",
            "enabled", "name", "priority", "bogus", "", "a.b", "__proto__", "ünïcode", "retry", "retryAfterSeconds",
            "step", "service", "waitpoints", "kind", "seconds", "until", "timeoutSeconds", "onTimeout", "cascade",
            "factor", "jitter", "waitpointId", "batchId");
    static final List<String> ODD_SEGMENTS = List.of("", ".", "..", "%2e%2e", "%2F", "a%2Fb", "%00", "%ff%fe",
            "%c3%28", "%e2%82", "%25", "%20", "a%20b", "%0d%0aX-Injected:%201", "r%C3%A9%24x", "%F0%9F%98%80",
            "run_", "run_01jzzzzzzzzzzzzzzzzzzzzzzz", "RUN_X", "-", "_", "a;b", "a,b", "~", "*", "'", "%22", "%3Cb%3E",
            "null", "0", "-1", "9".repeat(40), "x".repeat(300), "y".repeat(3_000), "Bad_Name", "acme", "other",
            "work", "nosuch", "%u0041");
    static final List<String> ODD_TEXT = List.of("", " ", "\u0000", "a\u0000b", "\ud800", "é", "😀", "\n", "\r\n",
            "x".repeat(300), "\"", "\\", "<script>", "' or 1=1 --", "%00", "run_x", "custom.x\ndata: 1",
            "custom.ok", "progress", "log", "run.succeeded", "cancel", "enqueue", "reject", "interrupt",
            "2030-01-01T00:00:00Z", "tomorrow", "+999999999-12-31T23:59:59Z", "http://127.0.0.1:1/x",
            "https://example.invalid/h", "ftp://x", "run.accepted", "info", "critical", "z".repeat(70_000));

    private final Random random;

    FuzzInputs(Random random) {
        this.random = random;
    }

    int below(int bound) {
        return random.nextInt(bound);
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** A JSON value of a random kind; {@code budget} bounds its size. */
    String value(int budget) {
        int kind = below(budget <= 0 ? 8 : 12);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> Integer.toString(random.nextInt() >> below(31));
            case 3 -> pick(List.of("0", "-0", "1.5", "-1", "1e999999", "-1e999999", "123456789012345678901234567890",
                    "9223372036854775808", "2147483648", "1E2", "0.000000000000000000001", "1" + "0".repeat(1_200),
                    "4.9e-324", "NaN", "Infinity", "01", "1.", ".5", "+1"));
            case 4, 5 -> string(pick(ODD_TEXT));
            case 6 -> string(randomText(below(40)));
            case 7 -> "\"" + "\\u" + String.format("%04x", below(0x10000)) + "\"";
            case 8, 9 -> {
                StringBuilder b = new StringBuilder("{");
                int n = below(5);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(string(pick(FIELDS))).append(':').append(value(budget - 3));
                }
                yield b.append('}').toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("[");
                int n = below(5);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(value(budget - 3));
                }
                yield b.append(']').toString();
            }
        };
    }

    /** Arrays and objects nested {@code depth} levels. */
    String deep(int depth) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            b.append(random.nextBoolean() ? "[" : "{\"k\":");
        }
        String open = b.toString();
        b.append("1");
        for (int i = open.length() - 1; i >= 0; i--) {
            char c = open.charAt(i);
            if (c == '[') {
                b.append(']');
            } else if (c == ':') {
                b.append('}');
            }
        }
        return b.toString();
    }

    /** Bytes that are not JSON, or not even UTF-8. */
    byte[] brokenBytes() {
        return switch (below(8)) {
            case 0 -> new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'};
            case 1 -> ("{\"input\":\"" + "\u00e9").getBytes(StandardCharsets.ISO_8859_1);
            case 2 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'};
            case 3 -> "\ufeff{}".getBytes(StandardCharsets.UTF_8);
            case 4 -> "{\"input\":1,}".getBytes(StandardCharsets.UTF_8);
            case 5 -> "{'input':1}".getBytes(StandardCharsets.UTF_8);
            case 6 -> value(6).substring(0, 1).getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] b = new byte[below(64)];
                random.nextBytes(b);
                yield b;
            }
        };
    }

    String randomText(int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = below(10);
            b.appendCodePoint(kind < 6 ? 'a' + below(26) : kind < 8 ? below(0x80) : kind < 9 ? 0x80 + below(0x700)
                    : 0x1F600 + below(0x40));
        }
        return b.toString();
    }

    static String string(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1)))) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c)) {
                        b.append(c).append(text.charAt(++i));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
