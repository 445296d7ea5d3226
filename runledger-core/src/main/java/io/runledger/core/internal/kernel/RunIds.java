package io.runledger.core.internal.kernel;

import com.github.f4b6a3.ulid.UlidCreator;

/**
 * Run, batch, waitpoint and command ids: a prefix and a 26-character monotonic ULID in lower
 * case, so ids sort by creation time as strings.
 *
 * <p>An engine on a dedicated runs database mints <em>resident</em> ids: the first character
 * after the ULID's 10-character time is {@value #RESIDENT}, which Crockford's base32 (the
 * ULID alphabet) never uses. So an id says where its run lives without a lookup, keeps its
 * length, and still sorts by time; ids minted before the runs database existed never carry
 * the mark and are read from the main database.
 */
public final class RunIds {
    /** The mark of an id minted on the runs database: no ULID contains it. */
    public static final char RESIDENT = 'u';
    private static final int TIME_CHARS = 10;
    private static final int ULID_CHARS = 26;

    private static final RunIds PLAIN = new RunIds(false);
    private static final RunIds MARKED = new RunIds(true);

    private final boolean marked;

    private RunIds(boolean marked) {
        this.marked = marked;
    }

    /** The ids an engine mints: marked as resident on a dedicated runs database, or plain. */
    public static RunIds of(boolean resident) {
        return resident ? MARKED : PLAIN;
    }

    public String run() {
        return "run_" + ulid();
    }

    public String batch() {
        return "bat_" + ulid();
    }

    public String bulkAction() {
        return "bulk_" + ulid();
    }

    public String waitpoint() {
        return "wp_" + ulid();
    }

    public static String command() {
        return "cmd_" + UlidCreator.getMonotonicUlid().toLowerCase();
    }

    private String ulid() {
        String ulid = UlidCreator.getMonotonicUlid().toLowerCase();
        return marked ? ulid.substring(0, TIME_CHARS) + RESIDENT + ulid.substring(TIME_CHARS + 1) : ulid;
    }

    /**
     * Whether an id was minted on a runs database: its ULID (the 26 characters after the
     * prefix's underscore) carries the mark after its time. Anything else (older ids, ids of
     * another shape) is not.
     */
    public static boolean resident(String id) {
        if (id == null) {
            return false;
        }
        int underscore = id.indexOf('_');
        return underscore > 0 && id.length() == underscore + 1 + ULID_CHARS
                && id.charAt(underscore + 1 + TIME_CHARS) == RESIDENT;
    }
}
