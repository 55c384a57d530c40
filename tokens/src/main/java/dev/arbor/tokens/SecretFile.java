package dev.arbor.tokens;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A file of the data directory holding a secret (the signing key, the embedded database's password): readable by its
 * owner only, and created whole or not at all. Two processes creating it at once end up with the same secret: the
 * file is created atomically, and the loser keeps the winner's.
 */
public final class SecretFile {

    private SecretFile() {
    }

    /** Writes {@code content} to {@code file} unless the file exists; {@code content} is only asked for then. */
    public static void createIfAbsent(Path file, Supplier<String> content) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path draft = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
        try {
            restrictToOwner(draft);
            Files.writeString(draft, content.get());
            publish(draft, file);
        } catch (FileAlreadyExistsException anotherProcessWon) {
            // fine: theirs stays
        } finally {
            Files.deleteIfExists(draft);
        }
    }

    /** Makes {@code file} readable and writable by its owner only (before a secret is written into it). */
    public static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file inherits the directory's ACL
        }
    }

    /** A hard link appears whole and fails when the name is taken (a rename would replace it). */
    private static void publish(Path draft, Path file) throws IOException {
        try {
            Files.createLink(file, draft);
        } catch (UnsupportedOperationException noHardLinks) {
            Files.move(draft, file);
        }
    }
}
