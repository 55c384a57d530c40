package dev.arbor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.EmbeddedDatabase;
import dev.arbor.tokens.ArborTokens;
import dev.arbor.tokens.SigningKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * {@code ./bench/run}: measures Arbor on this machine and writes {@code bench/results/<date>.md}. First the
 * database's physical limit (single-row insert transactions of ~300 bytes, same server, same durability), then
 * both apps as real processes under HTTP load: commands at several client counts with the projection's lag, a full
 * replay, queries on a tree, and each app's peak memory. Every figure is the median of several runs, with the
 * spread.
 * <p>
 * Options: {@code --runs N} (3), {@code --seconds N} per run (10), {@code --clients 8,32,64},
 * {@code --tree N} accounts in the query tree (10000).
 */
public final class Benchmark {

    private final int runs;
    private final Duration duration;
    private final int[] clientCounts;
    private final int treeSize;
    private final List<String> rows = new ArrayList<>();

    private Benchmark(Map<String, String> options) {
        runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
        clientCounts = Arrays.stream(options.getOrDefault("clients", "8,32,64").split(","))
                             .mapToInt(Integer::parseInt).toArray();
        treeSize = Integer.parseInt(options.getOrDefault("tree", "10000"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new Benchmark(options).run(Path.of("").toAbsolutePath());
    }

    private void run(Path project) throws Exception {
        Path work = Files.createTempDirectory("arbor-bench");
        say("Working in " + work + "; embedded PostgreSQL, durable (fsync and synchronous commit on)");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("postgres"), 0,
                                                                EmbeddedDatabase.Durability.DURABLE)) {
            physicalLimit(database.jdbcUrl());
            try (App commandSide = App.start(project, "command-side", database.jdbcUrl(), work,
                                               work.resolve("command-side.log"));
                 App querySide = App.start(project, "query-side", database.jdbcUrl(), work,
                                             work.resolve("query-side.log"))) {
                String token = new ArborTokens(SigningKey.load(work.resolve(SigningKey.FILE_NAME)))
                        .admin(Duration.ofHours(6));
                Api api = new Api(commandSide.uri, querySide.uri, token);
                commands(api, database.jdbcUrl());
                replay(api, database.jdbcUrl());
                queries(api);
                record(row("memory", "peak RSS command side / query side (heap " + App.HEAP + ")", "",
                             commandSide.peakRssMiB() + " MiB / " + querySide.peakRssMiB() + " MiB", "", ""));
            }
        }
        write(project);
    }

    // --- 1. the database's physical limit --------------------------------------------------------------------

    private void physicalLimit(String jdbcUrl) throws Exception {
        try (Connection setup = connect(jdbcUrl)) {
            setup.createStatement().execute("CREATE SCHEMA IF NOT EXISTS bench; "
                    + "CREATE TABLE IF NOT EXISTS bench.physical (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "payload BYTEA NOT NULL)");
        }
        for (int clients : clientCounts) {
            Connection[] connections = new Connection[clients];
            for (int i = 0; i < clients; i++) {
                connections[i] = connect(jdbcUrl);
            }
            List<Load.Result> results = repeat(() -> Load.run(clients, duration, client -> {
                try (PreparedStatement insert = connections[client].prepareStatement(
                        "INSERT INTO bench.physical (payload) VALUES (?)")) {
                    byte[] payload = new byte[300];
                    ThreadLocalRandom.current().nextBytes(payload);
                    insert.setBytes(1, payload);
                    insert.executeUpdate();
                }
            }));
            for (Connection connection : connections) {
                connection.close();
            }
            record(row("physical limit", "single-row insert transactions (JDBC)", clients, results));
        }
    }

    // --- 2. commands over HTTP, with the projection's lag ----------------------------------------------------

    private void commands(Api api, String jdbcUrl) throws Exception {
        int most = Arrays.stream(clientCounts).max().orElse(8);
        String[] orgs = new String[most];
        String[] children = new String[most];
        for (int c = 0; c < most; c++) {
            orgs[c] = id(api.command("POST", "/api/v1/accounts", "{\"name\": \"bench-org-" + c
                    + "\", \"seats\": 1000000000}"));
            children[c] = id(api.command("POST", "/api/v1/accounts/" + orgs[c] + "/children",
                                         "{\"name\": \"bench-child-" + c + "\", \"seats\": 100000000}"));
        }
        AtomicLong serials = new AtomicLong();
        Map<String, Load.Operation> operations = new java.util.LinkedHashMap<>();
        operations.put("CreateChildAccount", client -> api.command(
                "POST", "/api/v1/accounts/" + children[client] + "/children", "{\"name\": \"c\", \"seats\": 0}"));
        operations.put("MoveSeats", client -> api.command(
                "POST", "/api/v1/accounts/" + orgs[client] + "/seat-transfers",
                "{\"to\": \"" + children[client] + "\", \"seats\": 1}"));
        operations.put("RegisterDevice", client -> api.command(
                "POST", "/api/v1/accounts/" + orgs[client] + "/devices",
                "{\"serial\": \"sn-" + serials.incrementAndGet() + "\", \"name\": \"d\"}"));
        for (Map.Entry<String, Load.Operation> operation : operations.entrySet()) {
            for (int clients : clientCounts) {
                List<Long> lags = new ArrayList<>();
                List<Load.Result> results = repeat(() -> withLagSampler(api, jdbcUrl, lags,
                        () -> Load.run(clients, duration, operation.getValue())));
                record(row("commands over HTTP", operation.getKey(), clients, results));
                long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
                record(row("projection lag", "append to read model, during " + operation.getKey(), clients + "",
                             "", String.format("%.0f ms", Load.percentile(sorted, 0.5))
                                     + " / " + String.format("%.0f ms", Load.percentile(sorted, 0.99)),
                             sorted.length + " samples"));
            }
        }
    }

    /**
     * Runs {@code load} while sampling the projection's lag every 250 ms: the time from reading the head of the
     * event store to the read model answering that it has processed it (nanosecond samples kept in {@code lags}).
     */
    private static Load.Result withLagSampler(Api api, String jdbcUrl, List<Long> lags, Measured load)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            try (Connection connection = connect(jdbcUrl)) {
                while (running.get()) {
                    long head = head(connection);
                    long before = System.nanoTime();
                    api.queryAfter("/api/v1/accounts?limit=1", head);
                    synchronized (lags) {
                        lags.add(System.nanoTime() - before);
                    }
                    Thread.sleep(250);
                }
            } catch (Exception stopped) {
                // the run is over
            }
        }, "lag-sampler");
        sampler.start();
        try {
            return load.run();
        } finally {
            running.set(false);
            sampler.join();
        }
    }

    // --- 3. replay --------------------------------------------------------------------------------------------

    private void replay(Api api, String jdbcUrl) throws Exception {
        long events;
        try (Connection connection = connect(jdbcUrl)) {
            events = head(connection) + 1;
        }
        Instant start = Instant.now();
        api.admin("/api/v1/admin/processors/accounts/replay");
        JsonNode status;
        do {
            Thread.sleep(200);
            status = api.query("/api/v1/admin/processors/accounts");
        } while (status.get("replaying").asBoolean() || status.get("lag").asLong() > 0);
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        record(row("replay", "rebuild the read model from every event", "",
                     String.format("%,.0f events/s", events / seconds),
                     "", String.format("%,d events in %.1f s", events, seconds)));
    }

    // --- 4. queries on a tree ---------------------------------------------------------------------------------

    private void queries(Api api) throws Exception {
        String org = id(api.command("POST", "/api/v1/accounts", "{\"name\": \"bench-tree\", \"seats\": 0}"));
        List<String> all = new ArrayList<>();
        long position = buildTree(api, org, all);
        String leaf = all.get(all.size() - 1);
        api.queryAfter("/api/v1/accounts/" + org, position);
        measureQuery("GET account", client -> api.query("/api/v1/accounts/"
                + all.get(ThreadLocalRandom.current().nextInt(all.size()))));
        measureQuery("children page (50)", client -> api.query("/api/v1/accounts/" + org + "/children"));
        measureQuery("ancestors of a leaf", client -> api.query("/api/v1/accounts/" + leaf + "/ancestors"));
        measureQuery("search (filter, 50)", client -> api.query(
                "/api/v1/accounts?filter=name%3Dlike%3Dbench-q-1*%3Bdepth%3Dge%3D2&limit=50"));
        measureQuery("descendants, all " + treeSize + " (pages of 1000)", client -> {
            String cursor = null;
            do {
                JsonNode page = api.query("/api/v1/accounts/" + org + "/descendants?limit=1000"
                                                  + (cursor == null ? "" : "&cursor=" + cursor));
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            } while (cursor != null);
        });
    }

    /**
     * A tree of {@code treeSize} accounts under {@code org}, ten children a parent, level by level, sixteen creations
     * at a time. Answers the position of the last event, for reading the tree once the read model has it.
     */
    private long buildTree(Api api, String org, List<String> all) throws Exception {
        ExecutorService creators = Executors.newFixedThreadPool(16);
        AtomicLong position = new AtomicLong();
        try {
            List<String> level = List.of(org);
            while (all.size() < treeSize) {
                List<Future<String>> next = new ArrayList<>();
                for (String parent : level) {
                    for (int k = 0; k < 10 && all.size() + next.size() < treeSize; k++) {
                        String name = "bench-q-" + (all.size() + next.size());
                        next.add(creators.submit(() -> {
                            JsonNode created = api.command("POST", "/api/v1/accounts/" + parent + "/children",
                                                           "{\"name\": \"" + name + "\", \"seats\": 0}");
                            position.accumulateAndGet(created.get("position").asLong(), Math::max);
                            return id(created);
                        }));
                    }
                }
                List<String> created = new ArrayList<>();
                for (Future<String> child : next) {
                    created.add(child.get());
                }
                all.addAll(created);
                level = created;
            }
        } finally {
            creators.shutdown();
        }
        return position.get();
    }

    private void measureQuery(String name, Load.Operation query) throws Exception {
        record(row("queries over HTTP (" + treeSize + "-account tree)", name, 8,
                     repeat(() -> Load.run(8, duration, query))));
    }

    // --- results ------------------------------------------------------------------------------------------------

    /** Keeps a row of the results table, and shows it at once: a full run takes a while. */
    private void record(String row) {
        rows.add(row);
        System.out.println(row);
    }

    private interface Measured {
        Load.Result run() throws Exception;
    }

    private List<Load.Result> repeat(Measured measured) throws Exception {
        List<Load.Result> results = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            results.add(measured.run());
        }
        return results;
    }

    private static String row(String scenario, String what, int clients, List<Load.Result> results) {
        double[] rates = results.stream().mapToDouble(Load.Result::perSecond).sorted().toArray();
        long errors = results.stream().mapToLong(Load.Result::errors).sum();
        return row(scenario, what, Integer.toString(clients),
                   String.format("%,.0f /s (%,.0f-%,.0f)", median(results, Load.Result::perSecond), rates[0],
                                 rates[rates.length - 1]),
                   String.format("%.1f ms / %.1f ms", median(results, Load.Result::p50),
                                 median(results, Load.Result::p99)),
                   errors == 0 ? "" : errors + " errors");
    }

    private static String row(String scenario, String what, String clients, String rate, String latency,
                              String note) {
        return "| " + String.join(" | ", scenario, what, clients, rate, latency, note) + " |";
    }

    private static double median(List<Load.Result> results, ToDoubleFunction<Load.Result> value) {
        double[] sorted = results.stream().mapToDouble(value).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private void write(Path project) throws IOException {
        String table = String.join("\n", List.of(
                "# Arbor benchmark, " + LocalDate.now(),
                "",
                "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                        + System.getProperty("java.version") + ". Embedded PostgreSQL 17, durable. "
                        + runs + " runs of " + duration.toSeconds() + " s each (after 1 s of warm-up); rates are "
                        + "the median with the range of the runs, latencies the median of the runs' p50 and p99.",
                "",
                "| scenario | what | clients | rate (median, range) | p50 / p99 | note |",
                "|---|---|---|---|---|---|"))
                + "\n" + String.join("\n", rows) + "\n";
        System.out.println(table);
        Path results = project.resolve("bench").resolve("results");
        Files.createDirectories(results);
        Path file = results.resolve(LocalDate.now() + ".md");
        Files.writeString(file, table);
        say("Written to " + project.relativize(file));
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
    }

    private static long head(Connection connection) throws SQLException {
        try (var result = connection.createStatement().executeQuery(
                "SELECT COALESCE(max(global_index), -1) FROM event_store.domain_event_entry")) {
            result.next();
            return result.getLong(1);
        }
    }

    private static String id(JsonNode created) {
        return created.get("id").asText();
    }

    private static void say(String message) {
        System.out.println("[bench] " + message);
    }
}
