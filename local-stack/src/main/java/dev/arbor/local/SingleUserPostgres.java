package dev.arbor.local;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs statements on a data directory in PostgreSQL's single-user mode: no server, so nothing anyone else could log
 * in to, whatever the directory's client authentication says. It uses the binaries zonky unpacked, and so must run
 * during one of its starts (a data directory customizer), once they are.
 */
final class SingleUserPostgres {

    private SingleUserPostgres() {
    }

    /** Each statement on a line of its own; the first that fails stops the rest and fails this one. */
    static void run(Path dataDirectory, List<String> statements) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // as zonky runs its own commands, so that root can run postgres
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgres(), "--single", "-D", dataDirectory.toString(),
                               "-c", "exit_on_error=on", "postgres"));
        try {
            // the statements hold passwords: on stdin, where no other process sees them, rather than on the command line
            Process backend = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = backend.getOutputStream()) {
                in.write((String.join("\n", statements) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(backend.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (backend.waitFor() != 0) {
                throw new IllegalStateException("PostgreSQL's single-user mode failed on " + dataDirectory + ":\n"
                                                + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run PostgreSQL's single-user mode on " + dataDirectory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted in PostgreSQL's single-user mode on " + dataDirectory, e);
        }
    }

    /**
     * zonky keeps where it unpacked its binaries to itself, in a cache that every start fills before it calls the
     * data directory's customizer; a change of zonky that renames it fails here, not silently.
     */
    private static String postgres() {
        try {
            Field unpacked = EmbeddedPostgres.class.getDeclaredField("PREPARE_BINARIES");
            unpacked.setAccessible(true);
            File binaries = (File) ((Map<?, ?>) unpacked.get(null)).get(DefaultPostgresBinaryResolver.INSTANCE);
            if (binaries == null) {
                throw new IllegalStateException("zonky has not unpacked its PostgreSQL binaries yet");
            }
            boolean windows = System.getProperty("os.name").startsWith("Windows");
            return new File(binaries, "bin/postgres" + (windows ? ".exe" : "")).getPath();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not find the PostgreSQL binaries zonky unpacked", e);
        }
    }
}
