package dev.arbor.system;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PostgreSQL's client programs (pg_dump, pg_restore) from a local installation. The embedded server's binaries
 * (zonky) have none, and pg_dump refuses a server newer than itself, so only a client of the server's major version
 * or later will do. Looked for in {@code ARBOR_PG_BIN}, then the {@code PATH}, then Debian's and RPM's directories.
 */
record PostgresClientTools(Path bin, int majorVersion) {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

    static Optional<PostgresClientTools> atLeast(int serverMajorVersion) {
        return candidates().map(PostgresClientTools::probe).flatMap(Optional::stream)
                           .filter(tools -> tools.majorVersion >= serverMajorVersion).findFirst();
    }

    Path program(String name) {
        return bin.resolve(name);
    }

    private static Stream<Path> candidates() {
        List<Path> directories = new ArrayList<>();
        Optional.ofNullable(System.getenv("ARBOR_PG_BIN")).map(Path::of).ifPresent(directories::add);
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
              .map(Path::of).forEach(directories::add);
        for (String parent : List.of("/usr/lib/postgresql", "/usr")) {
            try (Stream<Path> versions = Files.list(Path.of(parent))) {
                versions.filter(dir -> parent.endsWith("postgresql")
                                       || dir.getFileName().toString().startsWith("pgsql-"))
                        .map(dir -> dir.resolve("bin")).sorted().forEach(directories::add);
            } catch (IOException absent) {
                // not this kind of installation
            }
        }
        return directories.stream().filter(dir -> Files.isExecutable(dir.resolve("pg_dump"))
                                                   && Files.isExecutable(dir.resolve("pg_restore")));
    }

    private static Optional<PostgresClientTools> probe(Path bin) {
        try {
            Process version = new ProcessBuilder(bin.resolve("pg_dump").toString(), "--version")
                    .redirectErrorStream(true).start();
            String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            version.waitFor();
            Matcher major = VERSION.matcher(output);
            return major.find() ? Optional.of(new PostgresClientTools(bin, Integer.parseInt(major.group(1))))
                                : Optional.empty();
        } catch (IOException unusable) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
