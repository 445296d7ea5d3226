package io.runledger.server.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The samples of a Prometheus text exposition: each series ({@code name{labels}} as printed)
 * with its value. Label values may hold braces (routes do: {@code /runs/{runId}}), so the
 * series ends at the first closing brace outside quotes.
 */
public final class MetricsText {
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private MetricsText() {
    }

    public static MetricsText parse(String text) {
        MetricsText m = new MetricsText();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = seriesEnd(line);
            String series = line.substring(0, end);
            String[] rest = line.substring(end).strip().split(" ");
            m.samples.put(series, Double.parseDouble(rest[0]));
        }
        return m;
    }

    private static int seriesEnd(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (brace < 0 || (space >= 0 && space < brace)) {
            return space;
        }
        boolean quoted = false;
        for (int i = brace + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no end of labels in: " + line);
    }

    /** Every series as printed, e.g. {@code runledger_runs_settled_total{status="failed"}}. */
    public Set<String> series() {
        return new TreeSet<>(samples.keySet());
    }

    /** Every metric name that has a sample (histograms as their _bucket, _count and _sum). */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (String s : samples.keySet()) {
            int brace = s.indexOf('{');
            names.add(brace < 0 ? s : s.substring(0, brace));
        }
        return names;
    }

    /** The value of a series as printed, or null if there is no such series. */
    public Double value(String series) {
        return samples.get(series);
    }

    /** The value of a series, 0 if it does not exist. */
    public double valueOrZero(String series) {
        Double v = samples.get(series);
        return v == null ? 0 : v;
    }
}
