package io.runledger.core.internal.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * A one-line secret kept in a file only its owner may read (mode 600): the embedded
 * PostgreSQL's password and the server's admin key. Reading refuses a file that group or
 * others may read, since the secret would already be known to them; creating never lets the
 * file exist with wider permissions or half written, not even for a moment.
 */
public final class SecretFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFile() {
    }

    /**
     * The secret in {@code file}, or empty if there is no such file.
     *
     * @throws SecretFileException if others may read it, or it is empty
     */
    public static Optional<String> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(readExisting(file));
    }

    /**
     * The secret in {@code file}, which must exist.
     *
     * @throws SecretFileException if it is missing or unreadable, others may read it, or it is empty
     */
    public static String readExisting(Path file) {
        try {
            requireOwnerOnly(file);
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new SecretFileException(file + " is empty");
            }
            return secret;
        } catch (NoSuchFileException e) {
            throw new SecretFileException(file + " does not exist");
        } catch (IOException e) {
            throw new SecretFileException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Writes {@code secret} to {@code file} unless the file exists: the content goes to a
     * private temporary file first, which is then linked in place in one step that fails if
     * another process created the file meanwhile.
     *
     * @return true if this call created the file, false if it existed already
     */
    public static boolean createIfAbsent(Path file, String secret) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap((secret + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            try {
                Files.createLink(file, temp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temporary file is private (mode 600) and harmless
                }
            }
        }
    }

    private static void requireOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        }
        boolean shared = permissions.stream().anyMatch(p -> !p.name().startsWith("OWNER_"));
        if (shared) {
            throw new SecretFileException(file + " is open to other users (mode "
                    + PosixFilePermissions.toString(permissions) + "); restrict it with: chmod 600 " + file);
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }
}
