package dev.arbor.bench;

import java.io.IOException;
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

/** One of Arbor's apps as a real process, started from its runnable jar with the heap the benchmark reports. */
final class App implements AutoCloseable {

    static final String HEAP = "-Xmx256m";

    final URI uri;
    private final Process process;

    private App(URI uri, Process process) {
        this.uri = uri;
        this.process = process;
    }

    static App start(Path project, String module, Datasource datasource, Path dataDirectory, Path log)
            throws IOException, InterruptedException {
        Path jar = project.resolve(module).resolve("target").resolve(module + "-exec.jar");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), HEAP,
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + dataDirectory));
        // e.g. BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/app.jfr" to profile the apps under load
        String extra = System.getenv("BENCH_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.replace("{app}", module).trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        datasource.passTo(builder);
        builder.environment().put("ARBOR_DATA_DIR", dataDirectory.toString());
        builder.environment().put("ARBOR_LOG_FORMAT", "");
        App app = new App(URI.create("http://localhost:" + port), builder.start());
        app.awaitReady(module);
        return app;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** The most resident memory the process has had (VmHWM), in MiB; -1 where /proc does not tell. */
    long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException unknown) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        process.destroy();
        process.onExit().join();
    }

    private void awaitReady(String module) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(uri.resolve("/actuator/health/readiness")).build();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited during start-up; see its log");
            }
            try {
                if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(module + " was not ready within 3 minutes");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
