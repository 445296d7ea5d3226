package io.runledger.server.auth;

import io.runledger.api.ApiKeys;
import io.runledger.core.internal.secret.SecretFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The admin key of a server: given explicitly (flag or variable), read from a file named
 * by the operator, or generated at first start and kept in {@code <data-dir>/admin.key}
 * (mode 600). The file lives in the data directory even with an external database, so the
 * key, and with it its hash, is stable across restarts either way; several instances on one
 * database share a key by being given the same {@code RUNLEDGER_ADMIN_KEY} or key file.
 * A key file that other users may read is refused: the key would already be theirs.
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

    /**
     * Reads the key from a file the operator gave (so it need not sit in the process's
     * arguments or environment).
     *
     * @throws io.runledger.core.internal.secret.SecretFileException if the file is missing,
     *         empty, or open to other users
     */
    public static AdminKey fromFile(Path file) {
        return new AdminKey(SecretFile.readExisting(file), false, Optional.of(file));
    }

    /**
     * Reads the key from the data directory, generating and saving it on first start. The
     * new file is private from its first moment and appears whole.
     *
     * @throws io.runledger.core.internal.secret.SecretFileException if an existing file is
     *         empty or open to other users
     */
    public static AdminKey fromDataDirectory(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        Optional<String> existing = SecretFile.read(file);
        if (existing.isPresent()) {
            return new AdminKey(existing.get(), false, Optional.of(file));
        }
        String key = ApiKeys.generate(ApiKeys.ADMIN_PREFIX);
        if (SecretFile.createIfAbsent(file, key)) {
            return new AdminKey(key, true, Optional.of(file));
        }
        return new AdminKey(SecretFile.readExisting(file), false, Optional.of(file)); // another process won the race
    }
}
