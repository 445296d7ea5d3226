package io.runledger.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The admin key of a server: given explicitly (flag or variable), or generated at first
 * start and kept in {@code <data-dir>/admin.key} (mode 600). The file lives in the data
 * directory even with an external database, so the key, and with it its hash, is stable
 * across restarts either way; several instances on one database share a key by being
 * given the same {@code RUNLEDGER_ADMIN_KEY}.
 *
 * @param key the key itself
 * @param generated true if it was generated now (and must be shown, once)
 * @param file where it is kept, if it is kept
 */
public record AdminKey(String key, boolean generated, Optional<Path> file) {
    public static final String FILE_NAME = "admin.key";

    public String hash() {
        return ApiKeys.hash(key);
    }

    public static AdminKey explicit(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the admin key must not be blank");
        }
        return new AdminKey(key.strip(), false, Optional.empty());
    }

    /** Reads the key from the data directory, generating and saving it on first start. */
    public static AdminKey fromDataDirectory(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDirectory);
            if (Files.exists(file)) {
                return new AdminKey(read(file), false, Optional.of(file));
            }
            String key = ApiKeys.generate(ApiKeys.ADMIN_PREFIX);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                return new AdminKey(read(file), false, Optional.of(file)); // another process won the race
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system
            }
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            return new AdminKey(key, true, Optional.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin key in " + file, e);
        }
    }

    private static String read(Path file) throws IOException {
        String key = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (key.isEmpty()) {
            throw new IOException(file + " is empty; delete it to generate a new admin key");
        }
        return key;
    }
}
