package dev.arbor.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.local.EmbeddedDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #19, point 3: Arbor against a reference model. {@code arbor.model.clients} (4) clients, each a thread with
 * organizations of its own, send random commands of every kind (children, seat transfers and totals, moves, suspension,
 * deletion and reactivation, limits, configuration, details, users and their accounts, state and permissions,
 * devices, seat tokens), refusals included, to two command nodes; two query nodes share the projections. Every
 * {@code arbor.model.fault-every} (120) commands or so, one node is killed with SIGKILL and a new one started in its
 * place, a command node and a query node in turn: commands in flight are sent again to the other command node
 * ({@link CommandNodes}), and the query nodes hand their segments over. Each answer must be the one the client's
 * {@link AccountModel} expects, version included. After quiescence the read model shows every account, user and
 * device as the model has it, {@code verify} is consistent, every event is in the audit log once, and every
 * organization holds the seats it was granted, none of its accounts below zero free seats.
 * <p>
 * Seeded ({@code arbor.model.seed}, printed): a seed repeats each client's command sequence, though not the
 * interleaving nor the moments of the kills. The short run ({@code arbor.model.commands}, 800 a client) is part of
 * {@code ./mvnw verify}; the long one runs for {@code arbor.model.duration} (PT10M) from ops/faults.
 */
@Tag("fault")
class ModelBasedTest {

    private static final long SEED = Long.getLong("arbor.model.seed", System.nanoTime());
    private static final int CLIENTS = Integer.getInteger("arbor.model.clients", 4);
    private static final int COMMANDS = Integer.getInteger("arbor.model.commands", 800);
    private static final Duration DURATION = Duration.parse(System.getProperty("arbor.model.duration", "PT10M"));
    private static final int FAULT_EVERY = Integer.getInteger("arbor.model.fault-every", 120);
    /** A slow machine's projection may end a long run minutes behind. */
    private static final Duration CATCH_UP = Duration.ofMinutes(10);
    private static final List<String> PROCESSORS = List.of("accounts", "audit");

    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final List<String> faults = new ArrayList<>();

    @Test
    void randomCommandsOfEveryKindAnswerAsTheModelSaysThroughNodeKills() {
        run("model", sent -> sent < COMMANDS);
    }

    @Test
    @Tag("long")
    void forALongerRun() {
        Instant end = Instant.now().plus(DURATION);
        run("model-long", sent -> Instant.now().isBefore(end));
    }

    /** {@code goOn} tells a client, given how many commands it has sent, whether to send another. */
    private void run(String name, LongPredicate goOn) {
        System.out.printf("%s: seed %d (-Darbor.model.seed=%d to repeat)%n", name, SEED, SEED);
        try (ProcessStack stack = ProcessStack.start(name, EmbeddedDatabase.Durability.THROWAWAY)) {
            Nodes nodes = new Nodes(stack, name);
            Instant start = Instant.now();
            AtomicLong sent = new AtomicLong();
            AtomicBoolean clientsDone = new AtomicBoolean();
            List<ModelClient> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(new ModelClient(c, SEED, nodes.commandNodes, stack.store, answers));
            }
            ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
            Future<?> faulting = threads.submit(() -> injectFaults(nodes, sent, clientsDone));
            List<Future<?>> running = clients.stream().<Future<?>>map(client -> threads.submit(() -> {
                if (client.createOrganizations()) {
                    for (long n = 0; goOn.test(n) && client.runOneCommand(); n++) {
                        sent.incrementAndGet();
                    }
                }
            })).toList();
            try {
                running.forEach(ModelBasedTest::join);
            } finally {
                clientsDone.set(true);
                threads.shutdown();
            }
            join(faulting);
            Instant loadDone = Instant.now();

            // quiescence: every node up, the query side at the head of the store
            Duration atHead = stack.store.awaitProjectionsAtHead(nodes.query[0].uri, CATCH_UP);
            List<String> disagreements = clients.stream().map(ModelClient::disagreement).filter(Objects::nonNull)
                                                .toList();
            // a client that met an answer other than its model's no longer knows what the read model must show
            List<String> differences = new ArrayList<>();
            for (int c = 0; c < clients.size(); c++) {
                if (clients.get(c).disagreement() == null) {
                    differences.addAll(clients.get(c).readModelDifferences(nodes.query[c % 2].uri));
                }
            }
            List<String> organizations = clients.stream().flatMap(client -> client.organizations().stream())
                                                .toList();
            Map<String, Long> granted = new TreeMap<>();
            clients.forEach(client -> granted.putAll(client.model.grantedSeats));
            Map<String, Long> seats = stack.store.seatsByOrganization(organizations);
            List<String> negativeFree = stack.store.accountsWithNegativeFreeSeats();
            System.out.printf("%s: seed %d; %d clients sent %d commands (%d attempts lost with their node, %d of "
                              + "those without an Idempotency-Key committed); faults: %s; load %d s, at head %d s "
                              + "later; events %d; disagreements %d, read-model differences %d; answers %s%n",
                              name, SEED, CLIENTS, sent.get() + 2L * CLIENTS, nodes.commandNodes.lostAttempts(),
                              nodes.commandNodes.lostAttemptsCommitted(), faults,
                              Duration.between(start, loadDone).toSeconds(), atHead.toSeconds(),
                              stack.store.count("event_store.domain_event_entry"), disagreements.size(),
                              differences.size(), new TreeMap<>(answers));
            String repeat = " (seed " + SEED + ": -Darbor.model.seed=" + SEED + " to repeat)";
            assertThat(disagreements).as("answers other than the model's" + repeat).isEmpty();
            assertThat(differences).as("the read model against the model" + repeat).isEmpty();
            assertThat(seats).as("seats per organization" + repeat).isEqualTo(granted);
            assertThat(negativeFree).as("accounts with negative free seats" + repeat).isEmpty();

            JsonNode verification = stack.store.verifyThroughHead(nodes.query[1].uri);
            System.out.printf("%s: verify %s; total %d s%n", name, verification,
                              Duration.between(start, Instant.now()).toSeconds());
            assertThat(verification.get("consistent").asBoolean()).as(verification + repeat).isTrue();
            assertThat(verification.get("eventsFolded").asLong())
                    .isEqualTo(stack.store.count("event_store.domain_event_entry"));
            assertThat(verification.get("auditLog").get("missing").asLong()).as(verification.toString()).isZero();
            assertThat(verification.get("auditLog").get("doubled")).as("events doubled in the audit log").isEmpty();
            assertThat(verification.get("auditLog").get("unknown")).as("audit rows of no stored event").isEmpty();
            stack.store.awaitEveryEventInTheAuditLogOnce();
        }
    }

    /**
     * Until the clients are done: every {@link #FAULT_EVERY} commands or so, kills a node and starts another in its
     * place, a command node and a query node in turn, one fault at a time so that a node of each kind stays up.
     */
    private void injectFaults(Nodes nodes, AtomicLong sent, AtomicBoolean clientsDone) {
        Random random = new Random(~SEED);
        // a command node first: a short run may have time for one fault only
        boolean commandSide = true;
        long next = nextFault(random, 0);
        while (!clientsDone.get()) {
            if (sent.get() >= next) {
                int which = random.nextInt(2);
                faults.add(commandSide ? nodes.replaceCommandNode(which, sent) : nodes.replaceQueryNode(which, sent));
                commandSide = !commandSide;
                next = nextFault(random, sent.get());
            } else {
                // pacing only: the fault's moment is a count of commands, which no sleep decides
                ArborProcess.sleep(Duration.ofMillis(20));
            }
        }
    }

    private static long nextFault(Random random, long now) {
        return now + FAULT_EVERY / 2 + random.nextInt(FAULT_EVERY);
    }

    /** The two command nodes and two query nodes, each replaced by a new process when it is killed. */
    private static final class Nodes {

        final ArborProcess[] command = new ArborProcess[2];
        final ArborProcess[] query = new ArborProcess[2];
        final CommandNodes commandNodes;
        private final ProcessStack stack;
        private final String name;
        private int started;

        Nodes(ProcessStack stack, String name) {
            this.stack = stack;
            this.name = name;
            this.commandNodes = new CommandNodes(stack.store);
            // the first command node alone: its migrations create the event store every other node needs
            command[0] = startCommandNode(0).awaitReady();
            CompletableFuture<ArborProcess> secondCommandNode = CompletableFuture.supplyAsync(
                    startCommandNode(1)::awaitReady);
            query[0] = startQueryNode(0).awaitReady();
            query[1] = startQueryNode(1).awaitReady();
            command[1] = secondCommandNode.join();
            Stream.of(command).forEach(node -> commandNodes.up(node.uri));
            // the run starts with the segments shared
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(
                    () -> PROCESSORS.forEach(processor -> assertThat(stack.store.segmentsByOwner(processor).keySet())
                            .as(processor).hasSize(2).doesNotContain("(free)")));
        }

        /** Kills the node mid-load; its clients send their commands in flight again to the other one. */
        String replaceCommandNode(int which, AtomicLong sent) {
            ArborProcess victim = command[which];
            commandNodes.down(victim.uri);
            victim.kill();
            long killedAt = sent.get();
            Instant killed = Instant.now();
            command[which] = startCommandNode(which).awaitReady();
            commandNodes.up(command[which].uri);
            return String.format("%s killed at %d commands, %s up %d s later", victim.name, killedAt,
                                 command[which].name, Duration.between(killed, Instant.now()).toSeconds());
        }

        /** Kills the node mid-load: the survivor takes its segments over, and shares them with the new one. */
        String replaceQueryNode(int which, AtomicLong sent) {
            ArborProcess victim = query[which];
            victim.kill();
            long killedAt = sent.get();
            Instant killed = Instant.now();
            query[which] = startQueryNode(which).awaitReady();
            return String.format("%s killed at %d commands, %s up %d s later", victim.name, killedAt,
                                 query[which].name, Duration.between(killed, Instant.now()).toSeconds());
        }

        private ArborProcess startCommandNode(int which) {
            return stack.start("command-side", incarnation("command", which), ProcessStack.COMMAND_NODE_SETTINGS);
        }

        /** Each process its own node id, as pid@host would give it: a new node takes over, not the dead one. */
        private ArborProcess startQueryNode(int which) {
            String node = incarnation("query", which);
            return stack.start("query-side", node, Stream.concat(Stream.of("--arbor.node-id=" + node),
                                                                 ProcessStack.QUERY_NODE_SETTINGS.stream())
                                                         .toArray(String[]::new));
        }

        private String incarnation(String side, int which) {
            return name + "-" + side + "-" + (which + 1) + "." + ++started;
        }
    }

    private static void join(Future<?> future) {
        try {
            future.get();
        } catch (Exception failed) {
            throw new IllegalStateException("A client or the fault injection failed", failed);
        }
    }
}
