package dev.arbor.bench;

import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.DeleteAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.device.RegisterDevice;
import dev.arbor.api.device.RemoveDevice;
import dev.arbor.command.account.Account;
import dev.arbor.command.support.IdGenerator;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an account's size costs its commands (issue #20): for each size N, one account holding N devices and one
 * parent holding N children, written straight into the store ({@link StoreCopy}), then commands on them through the
 * command gateway, in-process as {@link InProcessCommands} runs, and finally the size of each one's snapshot.
 * {@link Benchmark} runs it twice, with the aggregate cache on and off ({@code arbor.aggregate-cache}): off is
 * how several command nodes without routing run, loading the account from its snapshot for every command.
 * <p>
 * Each operation leaves the account at its size, give or take one per client, so a row measures the size it
 * names: a client registers a device and removes it at its next turn, creates a child and deletes it at its
 * next turn, or moves one seat from the parent to the one child kept for that (besides the N). Prints
 * {@code RESULT} and {@code CPU} lines ({@link Load#measure}) for measures named {@link #measure}, and one
 * {@code SNAPSHOT subject:size clients bytes} line for each account.
 * <p>
 * Arguments: {@code runs seconds warm-up-seconds jit-warm-up-seconds clients aggregate-cache sizes...}.
 */
public final class AggregateSizes {

    static final String DEVICES = "devices";
    static final String CHILDREN = "children";
    private static final long SEATS = 1_000_000_000L;
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(2);

    /** An operation on one of the two accounts ({@link #DEVICES} or {@link #CHILDREN}). */
    private record Kind(String subject, String name) {
    }

    /** One size's two accounts, and the child that takes the parent's seats. */
    private record BigAccounts(int size, UUID deviceHolder, UUID parent, UUID seatTaker) {

        static BigAccounts load(StoreCopy store, int size, IdGenerator ids) throws SQLException, IOException {
            BigAccounts accounts = new BigAccounts(size, ids.next(), ids.next(), ids.next());
            UUID holder = accounts.deviceHolder;
            store.accountCreated(List.of(holder), 0, "devices-" + size, SEATS);
            for (int d = 1; d <= size; d++) {
                UUID device = ids.next();
                store.deviceRegistered(holder, d, holder, device, device.toString());
            }
            UUID parent = accounts.parent;
            store.accountCreated(List.of(parent), 0, "parent-" + size, SEATS);
            for (int c = 0; c <= size; c++) {
                UUID child = c == 0 ? accounts.seatTaker : ids.next();
                store.childAccountAdded(parent, c + 1, parent, child, 0);
                store.accountCreated(List.of(parent, child), 0, "child", 0);
            }
            return accounts;
        }
    }

    private AggregateSizes() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[1]));
        Duration warmUp = Duration.ofSeconds(Long.parseLong(args[2]));
        Duration jitWarmUp = Duration.ofSeconds(Long.parseLong(args[3]));
        int clients = Integer.parseInt(args[4]);
        boolean cache = Boolean.parseBoolean(args[5]);
        CpuUse cpu = CpuUse.of("in-process node", ProcessHandle.current());
        try (ConfigurableApplicationContext app = InProcessCommands.commandNode("--arbor.aggregate-cache=" + cache);
             Connection connection = Datasource.fromEnvironment().connect()) {
            CommandGateway gateway = app.getBean(CommandGateway.class);
            IdGenerator ids = app.getBean(IdGenerator.class);
            List<BigAccounts> accounts = new ArrayList<>();
            StoreCopy store = new StoreCopy(connection);
            for (int a = 6; a < args.length; a++) {
                accounts.add(BigAccounts.load(store, Integer.parseInt(args[a]), ids));
            }
            store.commit();
            List<Map<Kind, Load.Operation>> operations = accounts.stream()
                    .map(big -> operations(big, clients, gateway, ids)).toList();
            Load.warmUpJit(jitWarmUp, clients, operations.get(0).values());
            // one operation at every size in turn, so that its rows follow each other in the table
            for (Kind kind : operations.get(0).keySet()) {
                for (int s = 0; s < accounts.size(); s++) {
                    Load.measure(measure(kind.subject, accounts.get(s).size, kind.name), clients, runs, duration,
                                 warmUp, operations.get(s).get(kind), cpu);
                }
            }
            Snapshotter snapshotter = app.getBean(Snapshotter.class);
            for (BigAccounts big : accounts) {
                printSnapshot(DEVICES, big.size, clients, snapshot(snapshotter, connection, big.deviceHolder));
                printSnapshot(CHILDREN, big.size, clients, snapshot(snapshotter, connection, big.parent));
            }
        }
        System.exit(0);
    }

    /** {@code devices:10000:RegisterDevice/RemoveDevice}: what {@link Benchmark} reads back. */
    static String measure(String subject, int size, String operation) {
        return subject + ":" + size + ":" + operation;
    }

    private static Map<Kind, Load.Operation> operations(BigAccounts big, int clients, CommandGateway gateway,
                                                          IdGenerator ids) {
        UUID[] registered = new UUID[clients];
        UUID[] created = new UUID[clients];
        Map<Kind, Load.Operation> operations = new LinkedHashMap<>();
        operations.put(new Kind(DEVICES, "RegisterDevice/RemoveDevice"), client -> {
            if (registered[client] == null) {
                UUID device = ids.next();
                InProcessCommands.send(gateway, new RegisterDevice(big.deviceHolder, device, device.toString(), "d"));
                registered[client] = device;
            } else {
                InProcessCommands.send(gateway, new RemoveDevice(registered[client]));
                registered[client] = null;
            }
        });
        operations.put(new Kind(CHILDREN, "MoveSeats"), client -> InProcessCommands.send(
                gateway, new MoveSeats(big.parent, big.seatTaker, 1)));
        operations.put(new Kind(CHILDREN, "CreateChildAccount/DeleteAccount"), client -> {
            if (created[client] == null) {
                UUID child = ids.next();
                InProcessCommands.send(gateway, new CreateChildAccount(big.parent, child, "c", null, null, 0));
                created[client] = child;
            } else {
                InProcessCommands.send(gateway, new DeleteAccount(created[client]));
                created[client] = null;
            }
        });
        return operations;
    }

    /**
     * Has Axon's snapshotter write the account's snapshot at its last event, as it would at the snapshot threshold,
     * and answers its payload's size in bytes, -1 if none came within {@link #SNAPSHOT_TIMEOUT}.
     */
    private static long snapshot(Snapshotter snapshotter, Connection connection, UUID account)
            throws SQLException, InterruptedException {
        snapshotter.scheduleSnapshot(Account.class, account.toString());
        long deadline = System.nanoTime() + SNAPSHOT_TIMEOUT.toNanos();
        try (PreparedStatement latest = connection.prepareStatement("""
                SELECT octet_length(s.payload)
                  FROM event_store.snapshot_event_entry s
                 WHERE s.aggregate_identifier = ?
                   AND s.sequence_number = (SELECT max(e.sequence_number)
                                              FROM event_store.domain_event_entry e
                                             WHERE e.aggregate_identifier = ?)""")) {
            latest.setString(1, account.toString());
            latest.setString(2, account.toString());
            while (System.nanoTime() < deadline) {
                try (ResultSet row = latest.executeQuery()) {
                    if (row.next()) {
                        return row.getLong(1);
                    }
                }
                Thread.sleep(200);
            }
        }
        return -1;
    }

    private static void printSnapshot(String subject, int size, int clients, long bytes) {
        System.out.println("SNAPSHOT " + subject + ":" + size + " " + clients + " " + bytes);
    }
}
