package io.runledger.api;

import java.time.Duration;

/**
 * The time windows an overview covers, each cut into buckets of a fixed size: a chart of
 * a few dozen bars whatever the window.
 */
public enum OverviewWindow {
    /** The last 15 minutes, in 30 buckets of 30 seconds. */
    MINUTES_15("15m", Duration.ofMinutes(15), Duration.ofSeconds(30)),
    /** The last hour, in 60 buckets of one minute. */
    HOUR_1("1h", Duration.ofHours(1), Duration.ofMinutes(1)),
    /** The last 24 hours, in 48 buckets of 30 minutes. */
    HOURS_24("24h", Duration.ofHours(24), Duration.ofMinutes(30)),
    /** The last 7 days, in 42 buckets of 4 hours. */
    DAYS_7("7d", Duration.ofDays(7), Duration.ofHours(4));

    private final String wireName;
    private final Duration length;
    private final Duration bucket;

    OverviewWindow(String wireName, Duration length, Duration bucket) {
        this.wireName = wireName;
        this.length = length;
        this.bucket = bucket;
    }

    /** {@return the name on the wire, e.g. {@code 1h}} */
    public String wireName() {
        return wireName;
    }

    /** {@return how far back the window reaches} */
    public Duration length() {
        return length;
    }

    /** {@return the size of one bucket} */
    public Duration bucket() {
        return bucket;
    }

    /** {@return how many buckets the window has} */
    public int buckets() {
        return (int) (length.toSeconds() / bucket.toSeconds());
    }

    /**
     * The window whose {@link #wireName()} is {@code value}.
     *
     * @param value a wire name, e.g. from a request
     * @return the window it names
     * @throws InvalidArgumentException if it names none
     */
    public static OverviewWindow fromWire(String value) {
        for (OverviewWindow w : values()) {
            if (w.wireName.equals(value)) {
                return w;
            }
        }
        throw new InvalidArgumentException("window must be one of 15m, 1h, 24h, 7d");
    }
}
