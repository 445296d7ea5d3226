package io.runledger.api;

import java.util.Locale;

/** What a schedule does at a fire time while the run of its previous fire has not settled. */
public enum ScheduleOverlap {
    /** Fire anyway: runs of one schedule may overlap. */
    ALLOW,
    /** Let that fire time pass: nothing is triggered or recorded for it. */
    SKIP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ScheduleOverlap fromWire(String value) {
        for (ScheduleOverlap mode : values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        throw new InvalidArgumentException("overlap must be one of allow, skip");
    }
}
