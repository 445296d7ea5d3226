package io.runledger.core.internal.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The embedded cluster's {@code pg_hba.conf}: who may connect, and how. RunLedger owns the
 * file and writes it whole; there is no unix socket, so only loopback TCP lines exist.
 */
final class PgHba {
    static final String FILE = "pg_hba.conf";

    /** The normal rules: the superuser, over loopback, with its SCRAM password. */
    static final String LOCKED = """
            # Written by RunLedger on every start; edits are replaced.
            # Only the superuser, only over loopback, only with the password kept in
            # <data-dir>/pgdata-password (SCRAM). No unix socket, no trust.
            host all postgres 127.0.0.1/32 scram-sha-256
            host all postgres ::1/128 scram-sha-256
            """;

    /**
     * For one start while the superuser has no password yet (a data directory from a
     * version that trusted every local connection): RunLedger connects once to set it, then
     * restarts PostgreSQL with {@link #LOCKED}.
     */
    static final String SETTING_PASSWORD = """
            # Written by RunLedger while it sets the superuser's password; replaced right after.
            host all postgres 127.0.0.1/32 trust
            """;

    private PgHba() {
    }

    static boolean isLocked(Path pgData) {
        Path file = pgData.resolve(FILE);
        try {
            return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(LOCKED);
        } catch (IOException e) {
            return false;
        }
    }

    /** Replaces the file in one step, so PostgreSQL never reads half of it. */
    static void write(Path pgData, String rules) {
        Path file = pgData.resolve(FILE);
        Path temp = pgData.resolve(FILE + ".tmp");
        try {
            Files.writeString(temp, rules, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
