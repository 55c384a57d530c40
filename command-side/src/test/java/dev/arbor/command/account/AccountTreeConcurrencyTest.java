package dev.arbor.command.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.account.DeleteAccount;
import dev.arbor.api.account.IssueSeatToken;
import dev.arbor.api.account.MoveAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.account.ReactivateAccount;
import dev.arbor.api.account.RedeemSeatToken;
import dev.arbor.api.account.SetSeats;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.device.RegisterDevice;
import dev.arbor.api.device.RemoveDevice;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandDispatcher;
import dev.arbor.platform.security.Caller;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads issue random seat moves, SetSeats, deletions, reactivations, subtree moves, device registrations
 * and token redemptions against one tree; afterwards the tree's rules are checked against the events in the store,
 * folded from scratch: seats are conserved, never negative, never below the devices they carry; each token is
 * redeemed once; the tree has no cycle and no account deeper than the limit; no deleted account has live children.
 */
@CommandSideTest
class AccountTreeConcurrencyTest {

    private static final int THREADS = 8;
    private static final int OPERATIONS = 2_000;
    private static final long ROOT_SEATS = 1_000;
    private static final int TOKENS = 20;
    private static final long TOKEN_SEATS = 7;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(AccountTreeConcurrencyTest.class);

    @Autowired
    private CommandDispatcher commands;
    @Autowired
    private JdbcClient jdbc;

    private final List<UUID> accounts = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();
    private final Set<UUID> devices = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();

    @Test
    void noInterleavingBreaksTheTreesRules() throws Exception {
        UUID root = buildTree();
        long firstPosition = position();

        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> running = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            running.add(threads.submit(() -> {
                for (int i = 0; i < OPERATIONS / THREADS; i++) {
                    attempt(randomCommand(root));
                }
            }));
        }
        for (Future<?> work : running) {
            work.get();
        }
        threads.shutdown();

        Tree tree = foldEventsOf(root);
        log.info("{} commands on {} threads appended {} events; {} refused by a rule, {} conflicts left after "
                         + "retries, {} of {} tokens redeemed, {} accounts deleted at the end",
                 OPERATIONS, THREADS, position() - firstPosition, refused.get(), conflicts.get(),
                 tree.redemptions.size(), TOKENS, tree.deleted.size());
        assertThat(position()).as("events appended under load").isGreaterThan(firstPosition + OPERATIONS / 10);
        assertThat(tree.redemptions.values()).as("redemptions per token").allMatch(count -> count == 1);
        assertThat(tree.granted).as("seats granted by tokens").isEqualTo(TOKEN_SEATS * tree.redemptions.size());
        assertThat(tree.seats.values().stream().mapToLong(Long::longValue).sum())
                .as("seats in the tree").isEqualTo(ROOT_SEATS + tree.granted);
        assertThat(tree.lowestSeatsSeen).as("fewest seats any account ever held").isGreaterThanOrEqualTo(0);
        assertThat(tree.mostDevicesOverSeats).as("devices beyond seats, at worst").isLessThanOrEqualTo(0);
        tree.parents.keySet().forEach(account -> assertThat(tree.depthOf(account)).isLessThanOrEqualTo(10));
        tree.deleted.forEach(account -> assertThat(tree.liveChildrenOf(account)).as("live children of deleted "
                + account).isEmpty());
        assertThat(refused.get() + conflicts.get()).as("commands refused by a rule or a conflict").isPositive();
        assertThat(conflicts.get()).as("conflicts left after retries").isLessThan(OPERATIONS / 20);
    }

    private UUID buildTree() {
        UUID root = UUID.randomUUID();
        dispatch(new CreateRootAccount(root, "Concurrent", null, null, ROOT_SEATS));
        accounts.add(root);
        for (int child = 0; child < 4; child++) {
            UUID childId = createChild(root, 50);
            for (int grandchild = 0; grandchild < 2; grandchild++) {
                createChild(childId, 10);
            }
        }
        for (int i = 0; i < TOKENS; i++) {
            String token = "concurrent-" + UUID.randomUUID();
            dispatch(new IssueSeatToken(token, TOKEN_SEATS));
            tokens.add(token);
        }
        return root;
    }

    private UUID createChild(UUID parent, long seats) {
        UUID child = UUID.randomUUID();
        dispatch(new CreateChildAccount(parent, child, "Child", null, null, seats));
        accounts.add(child);
        return child;
    }

    private Object randomCommand(UUID root) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        UUID account = accounts.get(random.nextInt(accounts.size()));
        UUID other = accounts.get(random.nextInt(accounts.size()));
        UUID nonRoot = accounts.get(1 + random.nextInt(accounts.size() - 1));
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> new MoveSeats(account, other, 1 + random.nextInt(10));
            case 3 -> new SetSeats(nonRoot, random.nextInt(30));
            case 4 -> new DeleteAccount(nonRoot);
            case 5 -> new ReactivateAccount(nonRoot, random.nextInt(5));
            case 6 -> new MoveAccount(nonRoot, other);
            case 7 -> new RedeemSeatToken(tokens.get(random.nextInt(tokens.size())), account);
            case 8 -> new RegisterDevice(account, UUID.randomUUID(), "SN-" + UUID.randomUUID(), "Sensor");
            default -> devices.isEmpty() ? new MoveSeats(root, other, 1)
                                         : new RemoveDevice(devices.iterator().next());
        };
    }

    private void attempt(Object command) {
        try {
            dispatch(command);
            if (command instanceof RegisterDevice register) {
                devices.add(register.deviceId());
            } else if (command instanceof RemoveDevice remove) {
                devices.remove(remove.deviceId());
            }
        } catch (RuleViolation | AggregateNotFoundException refusal) {
            refused.incrementAndGet();
            if (command instanceof RemoveDevice remove) {
                devices.remove(remove.deviceId());
            }
        } catch (ConcurrencyException conflict) {
            conflicts.incrementAndGet();
        }
    }

    private long position() {
        return jdbc.sql("SELECT COALESCE(MAX(global_index), 0) FROM event_store.domain_event_entry")
                   .query(Long.class).single();
    }

    /** The tree as its events say, folded in append order, with the worst values seen along the way. */
    private Tree foldEventsOf(UUID root) {
        Tree tree = new Tree(Set.copyOf(tokens));
        jdbc.sql("""
                 SELECT aggregate_identifier, payload_type, convert_from(payload, 'UTF8') AS payload
                   FROM event_store.domain_event_entry ORDER BY global_index""")
            .query((rs, row) -> {
                tree.apply(rs.getString("aggregate_identifier"), rs.getString("payload_type"),
                           readJson(rs.getString("payload")), root);
                return null;
            })
            .list();
        return tree;
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Tree {

        final Map<UUID, Long> seats = new HashMap<>();
        final Map<UUID, Integer> deviceCounts = new HashMap<>();
        final Map<UUID, UUID> parents = new HashMap<>();
        final Set<UUID> deleted = new HashSet<>();
        final Map<String, Integer> redemptions = new HashMap<>();
        final Set<String> ourTokens;
        long granted;
        long lowestSeatsSeen = Long.MAX_VALUE;
        long mostDevicesOverSeats = Long.MIN_VALUE;

        Tree(Set<String> ourTokens) {
            this.ourTokens = ourTokens;
        }

        /** Other tests share the store: only this tree's events and this test's tokens count. */
        void apply(String aggregate, String type, JsonNode event, UUID root) {
            String name = type.substring(type.lastIndexOf('.') + 1);
            if (name.equals("SeatTokenRedeemed")) {
                if (ourTokens.contains(aggregate)) {
                    redemptions.merge(aggregate, 1, Integer::sum);
                }
                return;
            }
            if (!event.has("rootId") || !root.toString().equals(event.get("rootId").asText())) {
                return;
            }
            UUID account = UUID.fromString(event.get("accountId").asText());
            switch (name) {
                case "AccountCreated" -> {
                    seats.put(account, event.get("initialSeats").asLong());
                    parents.put(account, event.get("parentId").isNull() ? null
                                                                         : UUID.fromString(event.get("parentId").asText()));
                }
                case "ChildAccountAdded", "SeatsSent", "ChildAccountRestored" -> add(account, -event.get("seats").asLong());
                case "SeatsReceived" -> add(account, event.get("seats").asLong());
                case "SeatsGranted" -> {
                    add(account, event.get("seats").asLong());
                    granted += event.get("seats").asLong();
                }
                case "ChildAccountRemoved" -> add(account, event.get("seatsReturned").asLong());
                case "AccountDeleted" -> {
                    add(account, -event.get("seatsReturned").asLong());
                    deleted.add(account);
                }
                case "AccountReactivated" -> {
                    add(account, event.get("seats").asLong());
                    deleted.remove(account);
                }
                case "AccountMoved" -> parents.put(account, UUID.fromString(event.get("toParentId").asText()));
                case "DeviceRegistered" -> deviceCounts.merge(account, 1, Integer::sum);
                case "DeviceRemoved" -> deviceCounts.merge(account, -1, Integer::sum);
                default -> {
                    return;
                }
            }
            long held = seats.getOrDefault(account, 0L);
            lowestSeatsSeen = Math.min(lowestSeatsSeen, held);
            mostDevicesOverSeats = Math.max(mostDevicesOverSeats, deviceCounts.getOrDefault(account, 0) - held);
        }

        private void add(UUID account, long difference) {
            seats.merge(account, difference, Long::sum);
        }

        int depthOf(UUID account) {
            Set<UUID> seen = new HashSet<>();
            int depth = 0;
            for (UUID at = parents.get(account); at != null; at = parents.get(at)) {
                assertThat(seen.add(at)).as("no cycle above " + account).isTrue();
                depth++;
            }
            return depth;
        }

        List<UUID> liveChildrenOf(UUID account) {
            return parents.entrySet().stream()
                          .filter(entry -> account.equals(entry.getValue()) && !deleted.contains(entry.getKey()))
                          .map(Map.Entry::getKey)
                          .toList();
        }
    }

    /** As the platform admin: outside a request no command goes without a named caller. */
    private void dispatch(Object command) {
        commands.dispatch(command, new Caller.Admin("admin"));
    }
}
