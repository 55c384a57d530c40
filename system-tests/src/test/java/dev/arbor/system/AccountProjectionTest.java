package dev.arbor.system;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountMoved;
import dev.arbor.api.account.AccountReactivated;
import dev.arbor.api.account.AccountSuspended;
import dev.arbor.api.account.AccountUnsuspended;
import dev.arbor.api.account.ChildAccountAdded;
import dev.arbor.api.account.ChildAccountAttached;
import dev.arbor.api.account.ChildAccountDetached;
import dev.arbor.api.account.ChildAccountRemoved;
import dev.arbor.api.account.ChildAccountRestored;
import dev.arbor.api.account.SeatsReceived;
import dev.arbor.api.account.SeatsSent;
import dev.arbor.api.account.UsageReported;
import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.query.processing.scratch.ScratchReadModel;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account projection as a specification: given these events, the read model holds these rows. The events are
 * folded by the projection's own handlers into a scratch copy of the read-model tables on PostgreSQL.
 */
class AccountProjectionTest {

    private static final Map<String, Integer> NO_LIMITS = Map.of();

    private final RunningArbor arbor = RunningArbor.get();
    private final ScratchReadModel scratch = arbor.querySideBean(ScratchReadModel.class);
    private final JdbcClient jdbc = arbor.querySideBean(JdbcClient.class);
    private final EventStore store = arbor.commandSideBean(EventStore.class);

    private final List<EventMessage<?>> history = new ArrayList<>();
    private final Map<UUID, Long> sequences = new HashMap<>();
    private Instant clock = Instant.parse("2026-01-01T00:00:00Z");

    private final UUID root = UUID.randomUUID();
    private final UUID a = UUID.randomUUID();
    private final UUID a1 = UUID.randomUUID();
    private final UUID a11 = UUID.randomUUID();
    private final UUID b = UUID.randomUUID();

    /** One row of {@code read_model.account}, the columns the projection maintains. */
    record Row(UUID parentId, UUID rootId, int depth, List<UUID> path, String status, long seatsTotal,
               long seatsUsed, int childCount, int descendantCount, long version) {
    }

    /** root (100 seats) > a (30) > a1 (10) > a11 (4); root > b (20). */
    private void givenFourLevels() {
        rootCreated(root, 100);
        childCreated(a, root, 30);
        childCreated(a1, a, 10);
        childCreated(a11, a1, 4);
        childCreated(b, root, 20);
    }

    @Test
    void createdAccountsHaveTheirPathDepthSeatsAndCounts() {
        givenFourLevels();
        deviceRegistered(a11);

        Map<UUID, Row> rows = rows();

        assertThat(rows.get(root)).isEqualTo(new Row(null, root, 0, List.of(root), "ACTIVE", 50, 0, 2, 4, 2));
        assertThat(rows.get(a)).isEqualTo(new Row(root, root, 1, List.of(root, a), "ACTIVE", 20, 0, 1, 2, 1));
        assertThat(rows.get(a11)).isEqualTo(new Row(a1, root, 3, List.of(root, a, a1, a11), "ACTIVE", 4, 1, 0, 0, 1));
    }

    @Test
    void movingASubtreeRewritesPathAndDepthBelowItKeepsItsRootAndMovesItsCounts() {
        givenFourLevels();
        moved(a1, a, b);

        Map<UUID, Row> rows = rows();

        assertThat(place(rows, a1)).isEqualTo("parent b, root root, depth 2, path [root, b, a1]");
        assertThat(place(rows, a11)).isEqualTo("parent a1, root root, depth 3, path [root, b, a1, a11]");
        assertThat(place(rows, a)).as("old parent").isEqualTo("parent root, root root, depth 1, path [root, a]");
        assertThat(counts(rows, a)).isEqualTo("children 0, descendants 0");
        assertThat(counts(rows, b)).isEqualTo("children 1, descendants 2");
        assertThat(counts(rows, root)).isEqualTo("children 2, descendants 4");

        moved(a1, b, root);

        Map<UUID, Row> up = rows();
        assertThat(place(up, a1)).isEqualTo("parent root, root root, depth 1, path [root, a1]");
        assertThat(place(up, a11)).isEqualTo("parent a1, root root, depth 2, path [root, a1, a11]");
        assertThat(counts(up, root)).isEqualTo("children 3, descendants 4");
    }

    @Test
    void suspendingMarksTheAccountWhoseSubtreeItsPathReaches() {
        givenFourLevels();
        event(a, new AccountSuspended(a, root, "unpaid"));

        Map<UUID, Row> suspended = rows();
        assertThat(suspended.get(a).status()).isEqualTo("SUSPENDED");
        assertThat(suspended.get(a11).status()).isEqualTo("ACTIVE");
        assertThat(suspended.get(a11).path()).contains(a);

        event(a, new AccountUnsuspended(a, root));
        assertThat(rows().get(a).status()).isEqualTo("ACTIVE");
    }

    /** Read as: account=its topmost suspended ancestor-or-self, "-" for none. */
    @Test
    void everyAccountKnowsTheTopmostSuspendedAccountOnItsPathThroughSuspendMoveAndDelete() {
        givenFourLevels();
        event(a1, new AccountSuspended(a1, root, "unpaid"));
        assertThat(suspendedBy()).isEqualTo("root=- a=- a1=a1 a11=a1 b=-");

        event(a, new AccountSuspended(a, root, "unpaid"));
        assertThat(suspendedBy()).isEqualTo("root=- a=a a1=a a11=a b=-");

        event(a, new AccountUnsuspended(a, root));
        assertThat(suspendedBy()).isEqualTo("root=- a=- a1=a1 a11=a1 b=-");

        event(b, new AccountSuspended(b, root, "unpaid"));
        moved(a1, a, b);
        assertThat(suspendedBy()).isEqualTo("root=- a=- a1=b a11=b b=b");

        moved(a1, b, a);
        assertThat(suspendedBy()).isEqualTo("root=- a=- a1=a1 a11=a1 b=b");

        event(a1, new AccountDeleted(a1, root, a, 10));
        assertThat(suspendedBy()).isEqualTo("root=- a=- a1=- a11=- b=b");

        UUID underB = UUID.randomUUID();
        childCreated(underB, b, 5);
        assertThat(rowsSuspendedBy().get(underB)).isEqualTo(b);
    }

    @Test
    void deletingTakesTheAccountAndItsSubtreeOutOfTheCountsAndReturnsItsSeats() {
        givenFourLevels();
        event(a1, new AccountDeleted(a1, root, a, 10));
        event(a, new ChildAccountRemoved(a, root, a1, 10));

        Map<UUID, Row> deleted = rows();
        assertThat(deleted.get(a1).status()).isEqualTo("DELETED");
        assertThat(deleted.get(a1).seatsTotal()).isZero();
        assertThat(deleted.get(a).seatsTotal()).isEqualTo(30);
        assertThat(counts(deleted, a)).isEqualTo("children 0, descendants 0");
        assertThat(counts(deleted, root)).isEqualTo("children 2, descendants 2");

        event(a1, new AccountReactivated(a1, root, a, 5));
        event(a, new ChildAccountRestored(a, root, a1, 5));
        Map<UUID, Row> reactivated = rows();
        assertThat(reactivated.get(a1).status()).isEqualTo("ACTIVE");
        assertThat(reactivated.get(a).seatsTotal()).isEqualTo(25);
        assertThat(counts(reactivated, root)).isEqualTo("children 2, descendants 4");
    }

    @Test
    void seatsMovedBetweenAccountsLeaveOneAndReachTheOther() {
        givenFourLevels();
        event(a, new SeatsSent(a, root, b, 7));
        event(b, new SeatsReceived(b, root, a, 7));

        Map<UUID, Row> rows = rows();
        assertThat(rows.get(a).seatsTotal()).isEqualTo(13);
        assertThat(rows.get(b).seatsTotal()).isEqualTo(27);
    }

    /** Read as: account=its subtree's counters, each sum/accounts reporting it. */
    @Test
    void usageRollsUpOverTheLiveSubtreeThroughReportsMovesDeletesAndReactivations() {
        givenFourLevels();
        event(a11, new UsageReported(a11, root, Map.of("connections", 3, "volume", 100)));
        event(a1, new UsageReported(a1, root, Map.of("connections", 2)));
        event(b, new UsageReported(b, root, Map.of("connections", 0)));
        assertThat(subtreeUsage()).isEqualTo("root=connections 5/3, volume 100/1 a=connections 5/2, volume 100/1 "
                                             + "a1=connections 5/2, volume 100/1 a11=connections 3/1, volume 100/1 "
                                             + "b=connections 0/1");

        event(a11, new UsageReported(a11, root, Map.of("connections", 4)));
        assertThat(subtreeUsage()).as("a report replaces the last one")
                                  .isEqualTo("root=connections 6/3 a=connections 6/2 a1=connections 6/2 "
                                             + "a11=connections 4/1 b=connections 0/1");

        moved(a1, a, b);
        assertThat(subtreeUsage()).isEqualTo("root=connections 6/3 a=- a1=connections 6/2 a11=connections 4/1 "
                                             + "b=connections 6/3");

        event(a11, new AccountDeleted(a11, root, a1, 4));
        assertThat(subtreeUsage()).as("a deleted account keeps its own")
                                  .isEqualTo("root=connections 2/2 a=- a1=connections 2/1 a11=connections 4/1 "
                                             + "b=connections 2/2");

        event(a11, new AccountReactivated(a11, root, a1, 0));
        assertThat(subtreeUsage()).isEqualTo("root=connections 6/3 a=- a1=connections 6/2 a11=connections 4/1 "
                                             + "b=connections 6/3");

        event(b, new UsageReported(b, root, Map.of()));
        assertThat(subtreeUsage()).as("b no longer reports the counter its subtree still does")
                                  .isEqualTo("root=connections 6/2 a=- a1=connections 6/2 a11=connections 4/1 "
                                             + "b=connections 6/2");
    }

    @Test
    void usageEventsDeliveredTwiceAddNothing() {
        givenFourLevels();
        event(a11, new UsageReported(a11, root, Map.of("connections", 3)));
        moved(a1, a, b);
        event(a11, new UsageReported(a11, root, Map.of("connections", 5)));
        event(a11, new AccountDeleted(a11, root, a1, 4));
        String once = subtreeUsage();

        String twice = subtreeUsage(() -> Stream.concat(history.stream(), history.stream()));

        assertThat(twice).isEqualTo(once).isEqualTo("root=- a=- a1=- a11=connections 5/1 b=-");
    }

    @Test
    void eventsDeliveredTwiceChangeNothing() {
        givenFourLevels();
        moved(a1, a, b);
        event(a, new AccountSuspended(a, root, "unpaid"));
        deviceRegistered(b);
        Map<UUID, Row> once = rows();

        Map<UUID, Row> twice = rows(() -> Stream.concat(history.stream(), history.stream()));

        assertThat(twice).isEqualTo(once);
    }

    /** Enough folds for PostgreSQL to plan the statements once and reuse the plans, which must not reach further. */
    @Test
    void foldingLeavesTheLiveReadModelAlone() {
        givenFourLevels();
        for (int fold = 0; fold < 8; fold++) {
            assertThat(rows()).hasSize(5);
        }

        assertThat(arbor.database.sql("SELECT count(*) FROM read_model.account WHERE root_id = ?").param(root)
                                 .query(Long.class).single()).isZero();
    }

    private void rootCreated(UUID id, long seats) {
        event(id, new AccountCreated(id, id, null, "root", null, null, seats, NO_LIMITS));
    }

    private void childCreated(UUID id, UUID parent, long seats) {
        event(parent, new ChildAccountAdded(parent, root, id, seats));
        event(id, new AccountCreated(id, root, parent, "child", null, null, seats, NO_LIMITS));
    }

    private void moved(UUID id, UUID from, UUID to) {
        // in the store too, where the projection reads a move's position (the live processors skip it: no such row)
        store.publish(event(id, new AccountMoved(id, root, from, to)));
        event(from, new ChildAccountDetached(from, root, id));
        event(to, new ChildAccountAttached(to, root, id, NO_LIMITS));
    }

    private void deviceRegistered(UUID account) {
        event(account, new DeviceRegistered(account, root, UUID.randomUUID(), "serial-" + UUID.randomUUID(), "d"));
    }

    /** The next event of an aggregate, numbered and timed as the event store would. */
    private DomainEventMessage<?> event(UUID aggregate, Object payload) {
        long sequence = sequences.merge(aggregate, 1L, Long::sum) - 1;
        clock = clock.plusSeconds(1);
        DomainEventMessage<?> event = new GenericDomainEventMessage<>("Account", aggregate.toString(), sequence, payload,
                                                                      MetaData.emptyInstance(),
                                                                      UUID.randomUUID().toString(), clock);
        history.add(event);
        return event;
    }

    private Map<UUID, Row> rows() {
        return rows(history::stream);
    }

    private Map<UUID, Row> rows(Supplier<Stream<EventMessage<?>>> events) {
        return projected(events, () -> jdbc.sql("SELECT * FROM account").query((rs, n) -> Map.entry(
                rs.getObject("id", UUID.class),
                new Row(rs.getObject("parent_id", UUID.class), rs.getObject("root_id", UUID.class), rs.getInt("depth"),
                        Arrays.asList((UUID[]) rs.getArray("path").getArray()), rs.getString("status"),
                        rs.getLong("seats_total"), rs.getLong("seats_used"), rs.getInt("child_count"),
                        rs.getInt("descendant_count"), rs.getLong("version")))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** What {@code read} reads after the fold, which must have projected every event. */
    private <T> T projected(Supplier<Stream<EventMessage<?>>> events, Supplier<T> read) {
        return scratch.fold(events, failures -> {
            assertThat(failures).as("events the projection could not fold").isEmpty();
            return read.get();
        });
    }

    private String subtreeUsage() {
        return subtreeUsage(history::stream);
    }

    /** Each account of {@link #givenFourLevels()} with its row's rolled-up usage, "-" for none. */
    private String subtreeUsage(Supplier<Stream<EventMessage<?>>> events) {
        Map<UUID, String> rows = projected(events, () -> {
            Map<UUID, String> usage = new HashMap<>();
            jdbc.sql("""
                     SELECT a.id, string_agg(u.key || ' ' || (u.value ->> 'sum') || '/' || (u.value ->> 'accounts'), ', '
                                             ORDER BY u.key) AS counters
                       FROM account a LEFT JOIN jsonb_each(a.subtree_usage) u ON TRUE
                      GROUP BY a.id""")
                .query((rs, n) -> usage.put(rs.getObject("id", UUID.class), rs.getString("counters"))).list();
            return usage;
        });
        return Stream.of(root, a, a1, a11, b)
                     .map(id -> name(id) + "=" + (rows.get(id) == null ? "-" : rows.get(id)))
                     .collect(Collectors.joining(" "));
    }

    /** Each account of {@link #givenFourLevels()} with the account its row names as suspending it. */
    private String suspendedBy() {
        Map<UUID, UUID> rows = rowsSuspendedBy();
        return Stream.of(root, a, a1, a11, b)
                     .map(id -> name(id) + "=" + (rows.get(id) == null ? "-" : name(rows.get(id))))
                     .collect(Collectors.joining(" "));
    }

    private Map<UUID, UUID> rowsSuspendedBy() {
        return projected(history::stream, () -> {
            Map<UUID, UUID> suspendedBy = new HashMap<>();
            jdbc.sql("SELECT id, suspended_by FROM account").query((rs, n) -> suspendedBy.put(
                    rs.getObject("id", UUID.class), rs.getObject("suspended_by", UUID.class))).list();
            return suspendedBy;
        });
    }

    /** Where a row places its account, in the names of {@link #givenFourLevels()}. */
    private String place(Map<UUID, Row> rows, UUID id) {
        Row row = rows.get(id);
        return "parent " + name(row.parentId()) + ", root " + name(row.rootId()) + ", depth " + row.depth()
                + ", path " + row.path().stream().map(this::name).toList();
    }

    /** The name of an account of {@link #givenFourLevels()}. */
    private String name(UUID id) {
        return Map.of(root, "root", a, "a", a1, "a1", a11, "a11", b, "b").get(id);
    }

    private static String counts(Map<UUID, Row> rows, UUID id) {
        Row row = rows.get(id);
        return "children " + row.childCount() + ", descendants " + row.descendantCount();
    }
}
