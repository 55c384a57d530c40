package dev.arbor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.EmbeddedDatabase;
import dev.arbor.tokens.ArborTokens;
import dev.arbor.tokens.SigningKey;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * {@code ./bench/run}: measures Arbor on this machine and writes {@code bench/results/<date>.md}. First the
 * database's physical limit (single-row insert transactions of ~300 bytes, same server, same durability). Then a
 * {@link Forest} of accounts is written straight into the event store ({@link BulkLoader}) and the query side builds
 * its read model from those events. Both apps then run as real processes under load: commands over HTTP at several
 * client counts with the projection's lag and beside the same commands against a CRUD peer (bench/crud-peer: plain
 * JDBC transactions on the same database, behind the same security chain), the same commands in-process through the command gateway
 * ({@link InProcessCommands}), what proving event-store gaps costs ({@link GapProofCost}), a full replay, queries on
 * the forest, and each app's peak memory. Last, with both apps stopped, commands on one account holding many devices
 * and on one parent holding many children, with the aggregate cache on and off ({@link AggregateSizes}). Every
 * figure is the median of several runs, with the spread. After the commands, the in-process commands and the replay
 * it runs the query side's verify and records the result; a stored event missing from the audit log (or in it
 * twice) fails the run at once (exit 1, "[bench] FAILED: ...").
 * <p>
 * Options: {@code --runs N} (3), {@code --seconds N} per run (10), {@code --warm-up N} seconds of the same load
 * before each scenario's runs at each client count, not counted (10: the JIT is still compiling after one second),
 * {@code --jit-warm-up N} seconds of all of a step's operations in turn before its first scenario, not counted (90),
 * {@code --clients 8,32,64}, {@code --only commands,in-process,gap-proof,replay,queries,statements,aggregate-size} to run
 * only those of the steps after the read model's first build (all by default; with statements or aggregate-size
 * alone there is no forest, no first build and no app running), {@code --accounts N} in the forest (1000000),
 * {@code --aggregate-sizes 0,10000,100000}: the devices of the account and the children of the parent that
 * aggregate-size measures. With {@code --queries-at <query-side URL>} and {@code --key-file}
 * it only measures the queries, against a running Arbor whose store {@link BulkLoader} loaded with as many accounts
 * (the forest is the same for the same number). With {@code --gap-proof-at <JDBC URL>} it only measures the gap
 * proof's cost, on an Arbor database (migrated by the command side, ideally bulk-loaded), logging in as
 * {@code SPRING_DATASOURCE_USERNAME} with {@code SPRING_DATASOURCE_PASSWORD}.
 */
public final class Benchmark {

    private static final long GAP_PROOF_READ_EVENTS = 500_000;
    private static final int QUERY_CLIENTS = 8;
    private static final List<String> STEPS = List.of("commands", "in-process", "gap-proof", "replay", "queries",
                                                      "statements", "aggregate-size");
    /** The steps that need the forest and both apps; "statements" and "aggregate-size" run on the database alone. */
    private static final Set<String> FOREST_STEPS = Set.of("commands", "in-process", "gap-proof", "replay", "queries");
    /** The steps after which the query side's verify must find every event in the audit log (issue #27). */
    private static final Set<String> VERIFIED_STEPS = Set.of("commands", "in-process", "replay");
    private static final Duration VERIFY_TIMEOUT = Duration.ofMinutes(5);
    /**
     * Clients of the aggregate-size step, all on the same account: Axon runs one command at a time per aggregate, so
     * more clients add only their wait for its lock to the latency.
     */
    private static final int AGGREGATE_SIZE_CLIENTS = 4;

    private final int runs;
    private final Duration duration;
    private final Duration warmUp;
    private final Duration jitWarmUp;
    private final int[] clientCounts;
    private final int accounts;
    private final Set<String> steps;
    private final int[] aggregateSizes;
    private final List<String> rows = new ArrayList<>();
    private final Map<Integer, Double> physicalLimit = new HashMap<>();
    private String database = "PostgreSQL";

    private Benchmark(Map<String, String> options) {
        runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
        warmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warm-up", "10")));
        jitWarmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("jit-warm-up", "90")));
        clientCounts = Arrays.stream(options.getOrDefault("clients", "8,32,64").split(","))
                             .mapToInt(Integer::parseInt).toArray();
        accounts = Integer.parseInt(options.getOrDefault("accounts", "1000000"));
        steps = Set.of(options.getOrDefault("only", String.join(",", STEPS)).split(","));
        aggregateSizes = Arrays.stream(options.getOrDefault("aggregate-sizes", "0,10000,100000").split(","))
                               .mapToInt(Integer::parseInt).toArray();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Benchmark benchmark = new Benchmark(options);
        try {
            benchmark.start(options);
        } catch (EventsMissing missing) {
            System.err.println("[bench] FAILED: " + missing.getMessage());
            System.exit(1);
        }
    }

    /** An event of the store that the audit log lacks or holds twice: silent data loss, which ends the run. */
    private static final class EventsMissing extends RuntimeException {
        EventsMissing(String message) {
            super(message);
        }
    }

    private void start(Map<String, String> options) throws Exception {
        if (options.containsKey("gap-proof-at")) {
            gapProofOnly(Datasource.at(options.get("gap-proof-at")));
        } else if (options.containsKey("queries-at")) {
            queriesOnly(URI.create(options.get("queries-at")), Path.of(options.get("key-file")));
        } else {
            run(Path.of("").toAbsolutePath());
        }
    }

    private void queriesOnly(URI querySide, Path keyFile) throws Exception {
        String token = new ArborTokens(SigningKey.load(keyFile)).admin(Duration.ofHours(6));
        queries(new Api(querySide, querySide, token), new Forest(accounts));
    }

    private void gapProofOnly(Datasource datasource) throws Exception {
        Path work = Files.createTempDirectory("arbor-bench");
        gapProofCost(Path.of("").toAbsolutePath(), datasource, work);
    }

    private void run(Path project) throws Exception {
        Path work = Files.createTempDirectory("arbor-bench");
        say("Working in " + work + "; embedded PostgreSQL, durable (fsync and synchronous commit on)");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("postgres"), 0,
                                                                EmbeddedDatabase.Durability.DURABLE,
                                                                Map.of("shared_preload_libraries",
                                                                       "pg_stat_statements"))) {
            Datasource datasource = new Datasource(database.jdbcUrl(), database.user(), database.password());
            physicalLimit(datasource);
            if (steps.stream().anyMatch(FOREST_STEPS::contains)) {
                forestSteps(project, datasource, work);
            }
            if (steps.contains("statements")) {
                statementsPerCommand(project, database, datasource, work);
            }
            // last, with both apps stopped: the query side would project its big accounts during the runs
            if (steps.contains("aggregate-size")) {
                aggregateSizes(project, datasource, work);
            }
        }
        write(project);
    }

    private void forestSteps(Path project, Datasource datasource, Path work) throws Exception {
        try (App commandSide = App.start(project, "command-side", datasource, work,
                                           work.resolve("command-side.log"))) {
            Forest forest = bulkLoad(datasource);
            try (App querySide = App.start(project, "query-side", datasource, work,
                                             work.resolve("query-side.log"))) {
                String token = new ArborTokens(SigningKey.load(work.resolve(SigningKey.FILE_NAME)))
                        .admin(Duration.ofHours(6));
                Api api = new Api(commandSide.uri, querySide.uri, token);
                initialProjection(api, datasource);
                CpuUse cpu = CpuUse.of("command side", commandSide.handle(), "query side", querySide.handle(),
                                       "load generator", ProcessHandle.current());
                step("commands", () -> {
                    try (App crud = App.start(project.resolve("bench"), "crud-peer", datasource, work,
                                              work.resolve("crud-peer.log"))) {
                        commands(api, new Api(crud.uri, querySide.uri, token), datasource, cpu,
                                 CpuUse.of("CRUD peer", crud.handle(), "load generator", ProcessHandle.current()));
                    }
                }, api, datasource);
                step("in-process", () -> commandsInProcess(project, datasource, work, querySide), api,
                     datasource);
                step("gap-proof", () -> gapProofCost(project, datasource, work), api, datasource);
                step("replay", () -> replay(api, datasource), api, datasource);
                step("queries", () -> queries(api, forest), api, datasource);
                record(row("memory", "peak RSS command side / query side (heap " + App.HEAP + ")", "",
                             commandSide.peakRssMiB() + " MiB / " + querySide.peakRssMiB() + " MiB", "", ""));
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs the step if asked for; after a step that writes events or rebuilds the read model, {@link #verified}. */
    private void step(String name, Step step, Api api, Datasource datasource) throws Exception {
        if (steps.contains(name)) {
            step.run();
            if (VERIFIED_STEPS.contains(name)) {
                verified(api, datasource, name);
            }
        }
    }

    /**
     * Waits until both processors have caught up, then runs the query side's verify until its audit check covers the
     * head of the store, and records the result. An event missing from the audit log (or in it twice) fails the run.
     */
    private void verified(Api api, Datasource datasource, String after) throws Exception {
        long head = eventCount(datasource) - 1;
        long started = System.nanoTime();
        long deadline = started + VERIFY_TIMEOUT.toNanos();
        JsonNode report;
        while (true) {
            if (caughtUp(api, "accounts") && caughtUp(api, "audit")) {
                report = api.admin("/api/v1/admin/verify");
                if (report.get("auditLog").get("checkedThrough").asLong() >= head) {
                    break;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("verify after " + after + ": the query side did not cover position "
                                                        + head + " within " + VERIFY_TIMEOUT);
            }
            Thread.sleep(1000);
        }
        JsonNode audit = report.get("auditLog");
        long missing = audit.get("missing").asLong();
        boolean consistent = report.get("consistent").asBoolean();
        record(row("verify", "after " + after + ": read model and audit log against the events", "",
                   consistent ? "consistent" : "INCONSISTENT", "",
                   String.format("%,d events folded, auditLog missing %d, doubled %d, %d mismatching rows; %.0f s",
                                 report.get("eventsFolded").asLong(), missing, audit.get("doubled").size(),
                                 report.get("mismatches").size(), (System.nanoTime() - started) / 1e9)));
        if (missing > 0 || !audit.get("doubled").isEmpty()) {
            throw new EventsMissing("verify after " + after + ": " + missing + " stored events missing from the"
                                    + " audit log, doubled " + audit.get("doubled") + "; auditLog " + audit);
        }
    }

    // --- 1. the database's physical limit --------------------------------------------------------------------

    private void physicalLimit(Datasource datasource) throws Exception {
        try (Connection setup = datasource.connect()) {
            database = "PostgreSQL " + setup.getMetaData().getDatabaseProductVersion();
            setup.createStatement().execute("CREATE SCHEMA IF NOT EXISTS bench; "
                    + "CREATE TABLE IF NOT EXISTS bench.physical (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "payload BYTEA NOT NULL)");
        }
        for (int clients : clientCounts) {
            Connection[] connections = new Connection[clients];
            for (int i = 0; i < clients; i++) {
                connections[i] = datasource.connect();
            }
            CpuUse cpu = CpuUse.of("load generator", ProcessHandle.current());
            CpuUse.Reading before = cpu.read();
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
            String cpuPerInsert = cpu.read().perOperationSince(before, Load.operationsWithWarmUp(results, duration));
            physicalLimit.put(clients, median(results, Load.Result::perSecond));
            record(row("physical limit", "single-row insert transactions (JDBC)", clients, results, cpuPerInsert));
        }
    }

    // --- 2. a million accounts, and the read model built from their events -----------------------------------

    private Forest bulkLoad(Datasource datasource) throws Exception {
        Forest forest = new Forest(accounts);
        long started = System.nanoTime();
        long events;
        try (Connection connection = datasource.connect()) {
            events = new BulkLoader(forest).load(connection);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        record(row("setup", "bulk load into the event store (COPY)", "",
                     String.format("%,d accounts, %,d events", forest.size, events), "",
                     String.format("%.0f s; %d large organizations up to depth %d, the rest in organizations of %d",
                                   seconds, Forest.LARGE_ORGANIZATIONS, Forest.MAX_DEPTH, Forest.SMALL_ORGANIZATION)));
        return forest;
    }

    /** The query side's first start on the loaded store: both processors (read model and audit log) at once. */
    private void initialProjection(Api api, Datasource datasource) throws Exception {
        long events = eventCount(datasource);
        long started = System.nanoTime();
        while (!caughtUp(api, "accounts") || !caughtUp(api, "audit")) {
            Thread.sleep(500);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        record(row("projection", "first build of read model and audit log together", "",
                     String.format("%,.0f events/s", events / seconds), "",
                     String.format("%,d events in %.0f s, each processor", events, seconds)));
    }

    private static boolean caughtUp(Api api, String processor) throws Exception {
        JsonNode status = api.query("/api/v1/admin/processors/" + processor);
        return !status.get("replaying").asBoolean() && status.get("lag").asLong() == 0;
    }

    // --- 3. commands over HTTP, with the projection's lag ----------------------------------------------------

    /**
     * Each command at each client count against Arbor, with the projection's lag, then against the CRUD peer (the
     * same commands as plain JDBC transactions on the same database, behind the same security chain), and the ratio
     * of the two: what event sourcing, the audit trail and the read model cost against what a user would build.
     */
    private void commands(Api arbor, Api crud, Datasource datasource, CpuUse cpu, CpuUse crudCpu) throws Exception {
        Map<String, Load.Operation> arborOperations = commandOperations(arbor);
        Map<String, Load.Operation> crudOperations = commandOperations(crud);
        Load.warmUpJit(jitWarmUp, clientCounts[0], arborOperations.values());
        Load.warmUpJit(jitWarmUp, clientCounts[0], crudOperations.values());
        for (String operation : arborOperations.keySet()) {
            for (int clients : clientCounts) {
                Load.run(clients, warmUp, arborOperations.get(operation));
                List<Long> lags = new ArrayList<>();
                CpuUse.Reading before = cpu.read();
                List<Load.Result> results = repeat(() -> withLagSampler(arbor, datasource, lags,
                        () -> Load.run(clients, duration, arborOperations.get(operation))));
                record(commandRow("commands over HTTP", operation, clients, results,
                                  cpu.read().perOperationSince(before, Load.operationsWithWarmUp(results, duration))));
                long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
                record(row("projection lag", "append to read model, during " + operation, clients + "",
                             "", String.format("%.0f ms", Load.percentile(sorted, 0.5))
                                     + " / " + String.format("%.0f ms", Load.percentile(sorted, 0.99)),
                             sorted.length + " samples"));

                Load.run(clients, warmUp, crudOperations.get(operation));
                CpuUse.Reading crudBefore = crudCpu.read();
                List<Load.Result> crudResults = repeat(() -> Load.run(clients, duration,
                                                                      crudOperations.get(operation)));
                record(commandRow("CRUD peer over HTTP", operation, clients, crudResults, crudCpu.read()
                        .perOperationSince(crudBefore, Load.operationsWithWarmUp(crudResults, duration))));
                record(row("Arbor / CRUD", operation, clients + "",
                           String.format("%.2fx", median(results, Load.Result::perSecond)
                                                  / median(crudResults, Load.Result::perSecond)),
                           String.format("p99 %.2fx", median(results, Load.Result::p99)
                                                      / median(crudResults, Load.Result::p99)),
                           "throughput: above 1 Arbor is faster; p99: above 1 Arbor is slower"));
            }
        }
    }

    /**
     * The benchmark's commands against one command API (Arbor's or the CRUD peer's, which answer the same requests):
     * each client creates children under, moves seats from and registers devices in an organization of its own, so
     * that clients contend for the database, not for one account.
     */
    private Map<String, Load.Operation> commandOperations(Api api) throws Exception {
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
        Map<String, Load.Operation> operations = new LinkedHashMap<>();
        operations.put("CreateChildAccount", client -> api.command(
                "POST", "/api/v1/accounts/" + children[client] + "/children", "{\"name\": \"c\", \"seats\": 0}"));
        operations.put("MoveSeats", client -> api.command(
                "POST", "/api/v1/accounts/" + orgs[client] + "/seat-transfers",
                "{\"to\": \"" + children[client] + "\", \"seats\": 1}"));
        operations.put("RegisterDevice", client -> api.command(
                "POST", "/api/v1/accounts/" + orgs[client] + "/devices",
                "{\"serial\": \"sn-" + serials.incrementAndGet() + "\", \"name\": \"d\"}"));
        return operations;
    }

    /**
     * Runs {@code load} while sampling the projection's lag every 250 ms: the time from reading the head of the
     * event store to the read model answering that it has processed it (nanosecond samples kept in {@code lags}).
     */
    private static Load.Result withLagSampler(Api api, Datasource datasource, List<Long> lags, Measured load)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            try (Connection connection = datasource.connect()) {
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

    // --- 4. commands in-process ---------------------------------------------------------------------------------

    /**
     * Runs {@link InProcessCommands} in the command side's own runnable jar, as a second command-side instance on the
     * same database, and records the runs it reports.
     */
    private void commandsInProcess(Path project, Datasource datasource, Path work, App querySide) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(Integer.toString(runs), Long.toString(duration.toSeconds()),
                                                         Long.toString(warmUp.toSeconds()),
                                                         Long.toString(jitWarmUp.toSeconds()),
                                                         Long.toString(querySide.handle().pid())));
        Arrays.stream(clientCounts).mapToObj(Integer::toString).forEach(arguments::add);
        Map<String, String> details = new HashMap<>();
        inCommandSideJar(InProcessCommands.class, arguments, project, datasource, work, details)
                .forEach((key, runsOf) -> {
                    String[] operationAndClients = key.split(" ");
                    record(commandRow("commands in-process", operationAndClients[0],
                                      Integer.parseInt(operationAndClients[1]), runsOf, details.get("CPU " + key)));
                });
    }

    /**
     * Runs {@code main} in a JVM of its own from the command side's runnable jar (Spring Boot's PropertiesLauncher,
     * with the benchmark's classes added to the class path) and collects the results it prints, keyed by
     * {@code "measure clients"}.
     */
    private Map<String, List<Load.Result>> inCommandSideJar(Class<?> main, List<String> arguments, Path project,
                                                            Datasource datasource, Path work) throws Exception {
        return inCommandSideJar(main, arguments, project, datasource, work, new HashMap<>());
    }

    /**
     * As above, also keeping the {@code CPU measure clients <text>} and {@code SNAPSHOT measure clients <text>} lines
     * it prints in {@code details}, keyed by {@code "CPU measure clients"} and {@code "SNAPSHOT measure clients"}.
     */
    private Map<String, List<Load.Result>> inCommandSideJar(Class<?> main, List<String> arguments, Path project,
                                                            Datasource datasource, Path work,
                                                            Map<String, String> details) throws Exception {
        Map<String, List<Load.Result>> results = new LinkedHashMap<>();
        for (String line : commandSideJarOutput(main, arguments, project, datasource, work)) {
            String[] f = line.split(" ", 4);
            if (f[0].equals("CPU") || f[0].equals("SNAPSHOT")) {
                details.put(f[0] + " " + f[1] + " " + f[2], f[3]);
            } else if (f[0].equals("RESULT")) {
                f = line.split(" ");
                results.computeIfAbsent(f[1] + " " + f[2], k -> new ArrayList<>()).add(new Load.Result(
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Long.parseLong(f[6])));
            }
        }
        if (results.isEmpty()) {
            throw new IllegalStateException(main.getSimpleName() + " measured nothing; see its log in " + work);
        }
        return results;
    }

    /**
     * Runs {@code main} in a JVM of its own from the command side's runnable jar (Spring Boot's PropertiesLauncher,
     * with the benchmark's classes added to the class path), and answers the lines it printed.
     */
    private static List<String> commandSideJarOutput(Class<?> main, List<String> arguments, Path project,
                                                     Datasource datasource, Path work) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), App.HEAP,
                "-cp", project.resolve("command-side/target/command-side-exec.jar").toString(),
                "-Dloader.main=" + main.getName(),
                "-Dloader.path=" + project.resolve("bench/target/classes"),
                "org.springframework.boot.loader.launch.PropertiesLauncher"));
        command.addAll(arguments);
        Path log = newLog(work, main.getSimpleName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        datasource.passTo(builder);
        builder.environment().put("ARBOR_DATA_DIR", work.toString());
        builder.environment().put("ARBOR_LOG_FORMAT", "");
        Process process = builder.start();
        List<String> lines;
        try (var output = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))) {
            lines = output.lines().toList();
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException(main.getSimpleName() + " failed; see " + log);
        }
        return lines;
    }

    /** {@code name.log} in {@code work}, or {@code name-2.log}, ... if a run before this one wrote that. */
    private static Path newLog(Path work, String name) {
        Path log = work.resolve(name + ".log");
        for (int run = 2; Files.exists(log); run++) {
            log = work.resolve(name + "-" + run + ".log");
        }
        return log;
    }

    /**
     * What proving gaps costs ({@link GapProofCost}): appends with and without the trigger at each client count,
     * and the store read by Axon's engine and by Arbor's.
     */
    private void gapProofCost(Path project, Datasource datasource, Path work) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(Integer.toString(runs), Long.toString(duration.toSeconds()),
                                                         Long.toString(GAP_PROOF_READ_EVENTS)));
        Arrays.stream(clientCounts).mapToObj(Integer::toString).forEach(arguments::add);
        Map<String, List<Load.Result>> results = inCommandSideJar(GapProofCost.class, arguments, project, datasource,
                                                                  work);
        for (int clients : clientCounts) {
            record(costRow("appends without / with the gap-proof trigger", clients + "",
                           results.get("append-plain " + clients), results.get("append-gap-proof " + clients),
                           "transactions/s"));
        }
        record(costRow("reading the store, Axon's engine / Arbor's", "",
                       results.get("read-axon 1"), results.get("read-arbor 1"),
                       String.format("events/s, up to the first %,d events", GAP_PROOF_READ_EVENTS)));
    }

    private static String costRow(String what, String clients, List<Load.Result> without, List<Load.Result> with,
                                  String unit) {
        double before = median(without, Load.Result::perSecond);
        double after = median(with, Load.Result::perSecond);
        return row("gap proof", what, clients, String.format("%,.0f / %,.0f", before, after), "",
                   String.format("%s; cost %.1f%% (median of %d runs)", unit, 100 * (1 - after / before),
                                 without.size()));
    }

    // --- 5. what an account's size costs its commands ---------------------------------------------------------

    /**
     * Commands on one account holding many devices, and on one parent holding many children ({@link AggregateSizes}),
     * at each of {@code --aggregate-sizes}, with the aggregate cache on and then off: a row per operation and size,
     * noting the account's snapshot size and the p99 against that at the first size (issue #20).
     */
    private void aggregateSizes(Path project, Datasource datasource, Path work) throws Exception {
        for (boolean cache : new boolean[] {true, false}) {
            List<String> arguments = new ArrayList<>(List.of(
                    Integer.toString(runs), Long.toString(duration.toSeconds()), Long.toString(warmUp.toSeconds()),
                    Long.toString(jitWarmUp.toSeconds()), Integer.toString(AGGREGATE_SIZE_CLIENTS),
                    Boolean.toString(cache)));
            Arrays.stream(aggregateSizes).mapToObj(Integer::toString).forEach(arguments::add);
            Map<String, String> details = new HashMap<>();
            Map<String, Double> firstSizeP99 = new HashMap<>();
            inCommandSideJar(AggregateSizes.class, arguments, project, datasource, work, details)
                    .forEach((key, runsOf) -> {
                        String[] subjectSizeOperation = key.split(" ")[0].split(":", 3);
                        String subject = subjectSizeOperation[0];
                        int size = Integer.parseInt(subjectSizeOperation[1]);
                        String operation = subjectSizeOperation[2];
                        double p99 = median(runsOf, Load.Result::p99);
                        Double first = firstSizeP99.putIfAbsent(subject + ":" + operation, p99);
                        String snapshot = details.get("SNAPSHOT " + subject + ":" + size + " "
                                                      + AGGREGATE_SIZE_CLIENTS);
                        String note = String.join("; ", Stream.of(
                                "snapshot " + (snapshot == null || snapshot.equals("-1") ? "none written"
                                        : String.format("%,d bytes", Long.parseLong(snapshot))),
                                first == null ? null : String.format("p99 %.2fx that at %,d", p99 / first,
                                                                     aggregateSizes[0]),
                                details.get("CPU " + key)).filter(Objects::nonNull).toList());
                        record(row("aggregate size, cache " + (cache ? "on" : "off"),
                                   bigAccount(subject, size) + ": " + operation.replace("/", " / ")
                                           + (operation.contains("/") ? " in turn" : ""),
                                   AGGREGATE_SIZE_CLIENTS, runsOf, note));
                    });
        }
    }

    // --- statements per command -------------------------------------------------------------------------------

    /**
     * What each command sends to PostgreSQL, with the aggregate cache on and off ({@link StatementsPerCommand}): one
     * row per command with the statements per command, and the statements themselves in the note.
     */
    private void statementsPerCommand(Path project, EmbeddedDatabase database, Datasource datasource, Path work)
            throws Exception {
        allowStatementStatistics(database, datasource);
        for (boolean cache : new boolean[] {true, false}) {
            Map<String, List<String>> statements = new LinkedHashMap<>();
            for (String line : commandSideJarOutput(StatementsPerCommand.class, List.of("500", Boolean.toString(cache)),
                                                    project, datasource, work)) {
                String[] f = line.split(" ", 4);
                if (f[0].equals("STATEMENT")) {
                    statements.computeIfAbsent(f[1], command -> new ArrayList<>())
                              .add(f[2] + " x " + abbreviated(f[3]));
                } else if (f[0].equals("STATEMENTS")) {
                    record(row("statements per command", f[1] + ", aggregate cache " + (cache ? "on" : "off"), "1",
                               f[2], "", String.join("; ", statements.getOrDefault(f[1], List.of()))));
                }
            }
        }
    }

    /** pg_stat_statements, which only a superuser may create, and its reset and statistics for the apps' role. */
    private static void allowStatementStatistics(EmbeddedDatabase database, Datasource datasource)
            throws IOException, SQLException {
        String superuserPassword = Files.readString(
                database.passwordFile().resolveSibling(EmbeddedDatabase.SUPERUSER_PASSWORD_FILE)).strip();
        try (Connection superuser = DriverManager.getConnection(datasource.url(), "postgres",
                                                                         superuserPassword);
             Statement sql = superuser.createStatement()) {
            sql.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            sql.execute("GRANT pg_read_all_stats TO " + datasource.user());
            sql.execute("GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint) TO "
                        + datasource.user());
        }
    }

    /** A statement's first 90 characters, enough to tell it, as Markdown code in a table cell. */
    private static String abbreviated(String statement) {
        String text = statement.length() > 90 ? statement.substring(0, 90) + "..." : statement;
        return "`" + text.replace("|", "\\|") + "`";
    }

    private static String bigAccount(String subject, int size) {
        return subject.equals(AggregateSizes.DEVICES)
                ? String.format("an account with %,d devices", size)
                : String.format("a parent with %,d children and the one taking its seats", size);
    }

    // --- 6. replay --------------------------------------------------------------------------------------------

    private void replay(Api api, Datasource datasource) throws Exception {
        long events = eventCount(datasource);
        Instant start = Instant.now();
        api.admin("/api/v1/admin/processors/accounts/replay");
        do {
            Thread.sleep(200);
        } while (!caughtUp(api, "accounts"));
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        record(row("replay", "rebuild the read model from every event", "",
                     String.format("%,.0f events/s", events / seconds),
                     "", String.format("%,d events in %.1f s", events, seconds)));
    }

    // --- 7. queries on the forest -------------------------------------------------------------------------------

    private void queries(Api api, Forest forest) throws Exception {
        String widest = forest.ids[forest.widest()].toString();
        String subtree = forest.ids[forest.subtreeRoot].toString();
        Map<String, Load.Operation> queries = new java.util.LinkedHashMap<>();
        queries.put("GET account", client -> api.read("/api/v1/accounts/"
                + forest.ids[ThreadLocalRandom.current().nextInt(forest.size)]));
        queries.put("children page (50) of the account with the most children", client -> api.read(
                "/api/v1/accounts/" + widest + "/children"));
        queries.put("ancestors of an account at depth " + forest.depth[forest.deepest()], client -> api.read(
                "/api/v1/accounts/" + forest.ids[forest.deepest()] + "/ancestors"));
        queries.put("search: name prefix and depth (50)", client -> api.read(
                "/api/v1/accounts?filter=name%3Dlike%3Dbulk-" + ThreadLocalRandom.current().nextInt(1000, 10_000)
                        + "*%3Bdepth%3Dge%3D2&limit=50"));
        queries.put("descendants of a " + Forest.SUBTREE + "-account subtree, first page (1000)", client ->
                api.read("/api/v1/accounts/" + subtree + "/descendants?limit=1000"));
        queries.put("descendants of a " + Forest.SUBTREE + "-account subtree, all (pages of 1000)", client -> {
            String cursor = null;
            do {
                JsonNode page = api.query("/api/v1/accounts/" + subtree + "/descendants?limit=1000"
                                                  + (cursor == null ? "" : "&cursor=" + cursor));
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            } while (cursor != null);
        });
        Load.warmUpJit(jitWarmUp, QUERY_CLIENTS, queries.values());
        for (Map.Entry<String, Load.Operation> query : queries.entrySet()) {
            Load.run(QUERY_CLIENTS, warmUp, query.getValue());
            record(row("queries over HTTP (" + String.format("%,d", accounts) + " accounts)", query.getKey(),
                       QUERY_CLIENTS, repeat(() -> Load.run(QUERY_CLIENTS, duration, query.getValue()))));
        }
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

    /**
     * A row of command runs, with their median rate as a share of the physical limit at as many clients, and the CPU
     * they took.
     */
    private String commandRow(String scenario, String what, int clients, List<Load.Result> results, String cpu) {
        Double limit = physicalLimit.get(clients);
        String share = limit == null ? null : String.format("%.1f%% of the physical limit",
                                                            100 * median(results, Load.Result::perSecond) / limit);
        return row(scenario, what, clients, results, share == null ? cpu : share + "; " + cpu);
    }


    private static String row(String scenario, String what, int clients, List<Load.Result> results) {
        return row(scenario, what, clients, results, null);
    }

    /** A row of runs: median rate with the range, median p50 and p99, and the errors, then {@code note} if any. */
    private static String row(String scenario, String what, int clients, List<Load.Result> results, String note) {
        double[] rates = results.stream().mapToDouble(Load.Result::perSecond).sorted().toArray();
        long errors = results.stream().mapToLong(Load.Result::errors).sum();
        String notes = String.join("; ", Stream.of(errors == 0 ? null : errors + " errors", note)
                                                             .filter(Objects::nonNull).toList());
        return row(scenario, what, Integer.toString(clients),
                   String.format("%,.0f /s (%,.0f-%,.0f)", median(results, Load.Result::perSecond), rates[0],
                                 rates[rates.length - 1]),
                   Double.isNaN(median(results, Load.Result::p50))
                           ? "no operation completed within a run"
                           : String.format("%.1f ms / %.1f ms", median(results, Load.Result::p50),
                                           median(results, Load.Result::p99)),
                   notes);
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
                        + System.getProperty("java.version") + ". Embedded " + database + ", durable. "
                        + runs + " runs of " + duration.toSeconds() + " s each, after " + warmUp.toSeconds()
                        + " s of warm-up at each scenario's client count (and " + jitWarmUp.toSeconds()
                        + " s of all a step's operations before its first); rates are "
                        + "the median with the range of the runs, latencies the median of the runs' p50 and p99.",
                "",
                "| scenario | what | clients | rate (median, range) | p50 / p99 | note |",
                "|---|---|---|---|---|---|"))
                + "\n" + String.join("\n", rows) + "\n";
        System.out.println(table);
        Path results = project.resolve("bench").resolve("results");
        Files.createDirectories(results);
        Path file = results.resolve(LocalDate.now() + (steps.containsAll(STEPS) ? "" : "-only-"
                + String.join("-", STEPS.stream().filter(steps::contains).toList())) + ".md");
        Files.writeString(file, table);
        say("Written to " + project.relativize(file));
    }

    /** The number of events the figures count: the position of the store's head, plus one. */
    private static long eventCount(Datasource datasource) throws SQLException {
        try (Connection connection = datasource.connect()) {
            return head(connection) + 1;
        }
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
