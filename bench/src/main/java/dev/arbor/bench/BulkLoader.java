package dev.arbor.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Writes a {@link Forest} straight into the event store, as the command side would have appended it one
 * CreateRootAccount and CreateChildAccount at a time (a child's {@code ChildAccountAdded} on its parent, then its
 * own {@code AccountCreated}), together with the command side's account directory ({@link StoreCopy}), so commands
 * work on these accounts too. Creating a million accounts through the API would take hours; COPY takes a minute.
 * The read model is then built by the query side from these events, as from any others.
 */
final class BulkLoader {

    private final Forest forest;
    private final int[] nextSequence;

    BulkLoader(Forest forest) {
        this.forest = forest;
        this.nextSequence = new int[forest.size];
    }

    /**
     * {@code java -cp bench/target/arbor-bench.jar dev.arbor.bench.BulkLoader <jdbc-url> <accounts>}, with the login
     * in {@code SPRING_DATASOURCE_USERNAME} and {@code SPRING_DATASOURCE_PASSWORD}: loads a forest
     * into a database the command side has set up, to try Arbor at scale. The query side then projects it.
     */
    public static void main(String[] args) throws Exception {
        Forest forest = new Forest(Integer.parseInt(args[1]));
        try (Connection connection = Datasource.at(args[0]).connect()) {
            long started = System.nanoTime();
            long events = new BulkLoader(forest).load(connection);
            System.out.printf("%,d accounts, %,d events in %.1f s%n", forest.size, events,
                              (System.nanoTime() - started) / 1e9);
        }
    }

    /** Loads the forest in one transaction; answers the number of events written. */
    long load(Connection connection) throws SQLException, IOException {
        StoreCopy store = new StoreCopy(connection);
        for (int account = 0; account < forest.size; account++) {
            if (!forest.isRoot(account)) {
                int parent = forest.parent[account];
                store.childAccountAdded(forest.ids[parent], nextSequence[parent]++, forest.ids[forest.root[account]],
                                        forest.ids[account], forest.subtreeSize[account]);
            }
            store.accountCreated(path(account), nextSequence[account]++, "bulk-" + account,
                                 forest.subtreeSize[account]);
        }
        return store.commit();
    }

    /** The ids from the account's root down to the account itself. */
    private List<UUID> path(int account) {
        List<UUID> path = new ArrayList<>(forest.depth[account] + 1);
        for (int on = account; on >= 0; on = forest.parent[on]) {
            path.add(forest.ids[on]);
        }
        Collections.reverse(path);
        return path;
    }
}
