package io.runledger.core.internal.kernel;

import com.github.f4b6a3.ulid.UlidCreator;

/**
 * Run and command ids: a prefix and a 26-character monotonic ULID in lower case, so ids
 * sort by creation time as strings.
 */
public final class RunIds {
    private RunIds() {
    }

    public static String run() {
        return "run_" + UlidCreator.getMonotonicUlid().toLowerCase();
    }

    public static String waitpoint() {
        return "wp_" + UlidCreator.getMonotonicUlid().toLowerCase();
    }

    public static String command() {
        return "cmd_" + UlidCreator.getMonotonicUlid().toLowerCase();
    }
}
