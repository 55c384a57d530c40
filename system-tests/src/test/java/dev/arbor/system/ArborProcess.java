package dev.arbor.system;

import dev.arbor.local.EmbeddedDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One of Arbor's apps as a real operating-system process, run from the runnable jar the reactor built
 * ({@code <module>/target/<module>-exec.jar}), as the benchmark runs them: its own JVM, so its own Axon node id, and
 * a process that can be killed. Its output goes to {@code target/multi-node/<name>.log}.
 */
final class ArborProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** Quick start-up over peak speed: four JVMs start at once on a small machine. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
                                                            "-XX:+UseSerialGC");

    final String name;
    final URI uri;
    private final Process process;

    private ArborProcess(String name, URI uri, Process process) {
        this.name = name;
        this.uri = uri;
        this.process = process;
    }

    /**
     * Starts {@code module} ("command-side" or "query-side") on a free port, on {@code database}, with the signing
     * key of {@code dataDirectory}, and the extra Spring {@code arguments}. Answers at once; {@link #awaitReady} waits.
     */
    static ArborProcess start(String module, String name, EmbeddedDatabase database, Path dataDirectory,
                              String... arguments) {
        Path jar = Path.of("..", module, "target", module + "-exec.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw package)");
        }
        try {
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(JVM_OPTIONS);
            command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
            command.addAll(List.of(arguments));
            Path log = Files.createDirectories(Path.of("target", "multi-node")).resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(database.datasourceEnvironment());
            builder.environment().put("ARBOR_DATA_DIR", dataDirectory.toString());
            // plain text logs, readable in target/multi-node
            builder.environment().put("ARBOR_LOG_FORMAT", "");
            Process process = builder.start();
            // should the test JVM stop before its tests kill the apps, they stop with it rather than linger
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + name));
            return new ArborProcess(name, URI.create("http://localhost:" + port), process);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    /** Waits until the app's readiness probe answers 200 (it has its database and has started). */
    ArborProcess awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(uri.resolve("/actuator/health/readiness")).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see target/multi-node/" + name
                                                        + ".log");
            }
            if (answers200(http, readiness)) {
                return this;
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(name + " was not ready within " + START_TIMEOUT);
    }

    /** The process's resident memory in KiB, from {@code /proc} (Linux): what the machine pays, heap or not. */
    long residentKib() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                        .filter(line -> line.startsWith("VmRSS:"))
                        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                        .findFirst().orElseThrow(() -> new IllegalStateException("No VmRSS for " + name));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the memory of " + name, e);
        }
    }

    /** The process's output, as {@link #start} redirects it: what an operator would read in its log. */
    Path log() {
        return Path.of("target", "multi-node", name + ".log");
    }

    /** SIGKILL on Linux: no shutdown hook runs, no claim is released, as when a machine dies. */
    void kill() {
        process.destroyForcibly();
        process.onExit().join();
    }

    @Override
    public void close() {
        kill();
    }

    private static boolean answers200(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
