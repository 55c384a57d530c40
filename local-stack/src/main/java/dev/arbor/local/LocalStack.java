package dev.arbor.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./run} starts: an embedded PostgreSQL keeping its data in a local directory, then the command side
 * (:8080) and the query side (:8081) as child processes pointed at it. Ctrl-C stops all three.
 * <p>
 * With {@code SPRING_DATASOURCE_URL} set, no embedded database is started and both apps use that one.
 */
public final class LocalStack {

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

    private final Path projectDirectory;
    private final Path dataDirectory;
    private final int databasePort;
    private final List<Process> apps = new ArrayList<>();
    private EmbeddedDatabase database;

    private LocalStack(Path projectDirectory, Path dataDirectory, int databasePort) {
        this.projectDirectory = projectDirectory;
        this.dataDirectory = dataDirectory;
        this.databasePort = databasePort;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path project = Path.of("").toAbsolutePath();
        Path data = Path.of(env.getOrDefault("ARBOR_DATA_DIR", project.resolve("data").toString())).toAbsolutePath();
        int port = Integer.parseInt(env.getOrDefault("ARBOR_DB_PORT", "15432"));
        LocalStack stack = new LocalStack(project, data, port);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "arbor-local-stop"));
        System.exit(stack.run());
    }

    private int run() throws Exception {
        // the apps take an external database's login from the environment they inherit
        Map<String, String> datasource = Map.of();
        String externalUrl = System.getenv("SPRING_DATASOURCE_URL");
        if (externalUrl == null) {
            Path postgresData = dataDirectory.resolve("postgres");
            Files.createDirectories(postgresData);
            say("Starting embedded PostgreSQL on 127.0.0.1:" + databasePort + ", data in " + postgresData);
            database = EmbeddedDatabase.start(postgresData, databasePort, EmbeddedDatabase.Durability.DURABLE);
            say("Log in as " + database.user() + " with the password in " + database.passwordFile());
            datasource = database.datasourceEnvironment();
        } else {
            say("Using the PostgreSQL at " + externalUrl);
        }
        // The command side's migrations create the event store the query side reads, so it goes first.
        Process commandSide = startApp("command-side", datasource);
        awaitReady("command side", "http://localhost:8080", commandSide);
        Process querySide = startApp("query-side", datasource);
        awaitReady("query side", "http://localhost:8081", querySide);
        say("""
            Arbor is ready.
              command side  http://localhost:8080   (API docs: http://localhost:8080/swagger-ui.html)
              query side    http://localhost:8081   (API docs: http://localhost:8081/swagger-ui.html)
              data          %s
            Press Ctrl-C to stop.""".formatted(dataDirectory));
        Process exited = commandSide.onExit().applyToEither(querySide.onExit(), process -> process).join();
        say("An app exited with code " + exited.exitValue() + "; stopping.");
        return 1;
    }

    private Process startApp(String module, Map<String, String> datasource) throws IOException {
        Path jar = projectDirectory.resolve(module).resolve("target").resolve(module + "-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./run does).");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString()).redirectErrorStream(true);
        builder.environment().putAll(datasource);
        builder.environment().put("ARBOR_DATA_DIR", dataDirectory.toString());
        builder.environment().remove("SERVER_PORT");
        builder.environment().putIfAbsent("ARBOR_LOG_FORMAT", "");
        Process process = builder.start();
        apps.add(process);
        prefixOutput(process, module);
        return process;
    }

    private static void prefixOutput(Process process, String name) {
        Thread copier = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> System.out.println("[" + name + "] " + line));
            } catch (IOException | UncheckedIOException processEnded) {
                // the app's output closed: nothing more to copy
            }
        }, name + "-output");
        copier.setDaemon(true);
        copier.start();
    }

    private static void awaitReady(String name, String baseUrl, Process process) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness")).build();
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The " + name + " exited during start-up; see its output above.");
            }
            try {
                if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling until the deadline
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("The " + name + " was not ready within " + STARTUP_TIMEOUT);
    }

    private synchronized void stop() {
        apps.forEach(Process::destroy);
        apps.forEach(process -> process.onExit().join());
        apps.clear();
        if (database != null) {
            database.close();
            database = null;
        }
    }

    private static void say(String message) {
        System.out.println("[arbor] " + message);
    }
}
