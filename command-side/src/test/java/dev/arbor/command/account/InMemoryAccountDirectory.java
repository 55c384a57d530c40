package dev.arbor.command.account;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountDetailsUpdated;
import dev.arbor.api.account.AccountMoved;
import dev.arbor.api.account.AccountReactivated;
import dev.arbor.api.account.AccountSuspended;
import dev.arbor.api.account.AccountUnsuspended;
import dev.arbor.api.account.LimitsChanged;
import dev.arbor.api.account.UserAttached;
import dev.arbor.api.account.UserDetached;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import org.axonframework.eventhandling.EventHandler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The directory for {@link AccountTreeFixture}: the same event-fed bookkeeping as {@link JdbcAccountDirectory}, in
 * memory, refusing a label a live sibling has as its unique index does. The JDBC one is covered by the HTTP tests
 * against PostgreSQL.
 */
final class InMemoryAccountDirectory implements AccountDirectory {

    private final Map<UUID, List<UUID>> paths = new HashMap<>();
    private final Set<UUID> suspended = new HashSet<>();
    private final Set<UUID> deleted = new HashSet<>();
    private final Map<UUID, Map<String, Integer>> limits = new HashMap<>();
    /** Each account's active users, as the user lookup has them: the account's side of every change says so. */
    private final Map<UUID, Set<UUID>> activeUsers = new HashMap<>();
    private final Map<UUID, String> labels = new HashMap<>();

    @Override
    public Optional<Node> find(UUID accountId) {
        List<UUID> path = paths.get(accountId);
        if (path == null) {
            return Optional.empty();
        }
        UUID parentId = parentOf(accountId);
        return Optional.of(new Node(accountId, path.get(0), parentId, List.copyOf(path), path.size() - 1,
                                    path.stream().anyMatch(suspended::contains)));
    }

    @Override
    public int subtreeHeight(UUID accountId) {
        int depth = paths.get(accountId).size();
        return paths.values().stream().filter(path -> path.contains(accountId))
                    .mapToInt(path -> path.size() - depth).max().orElse(0);
    }

    @Override
    public List<UUID> childrenAbove(UUID accountId, Map<String, Integer> ceiling) {
        return paths.entrySet().stream()
                    .filter(account -> isChild(account.getValue(), accountId) && !deleted.contains(account.getKey()))
                    .filter(child -> limits.get(child.getKey()).entrySet().stream().anyMatch(
                            limit -> ceiling.get(limit.getKey()) != null
                                    && limit.getValue() > ceiling.get(limit.getKey())))
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
    }

    private static boolean isChild(List<UUID> path, UUID parentId) {
        return path.size() > 1 && path.get(path.size() - 2).equals(parentId);
    }

    @Override
    public List<UUID> activeUsersOf(UUID accountId) {
        return activeUsers.getOrDefault(accountId, Set.of()).stream().sorted().toList();
    }

    /** The fixture runs one command at a time: nothing to hold still. */
    @Override
    public void lockTreeOf(UUID accountId, boolean exclusive) {
    }

    @EventHandler
    void on(AccountMoved event) {
        requireLabelFree(event.accountId(), event.toParentId(), labels.get(event.accountId()));
        List<UUID> newPrefix = paths.get(event.toParentId());
        paths.replaceAll((id, path) -> {
            int position = path.indexOf(event.accountId());
            if (position < 0) {
                return path;
            }
            List<UUID> moved = new ArrayList<>(newPrefix);
            moved.addAll(path.subList(position, path.size()));
            return moved;
        });
    }

    @EventHandler
    void on(AccountCreated event) {
        requireLabelFree(event.accountId(), event.parentId(), event.label());
        labels.put(event.accountId(), event.label());
        List<UUID> path = new ArrayList<>(event.parentId() == null ? List.of() : paths.get(event.parentId()));
        path.add(event.accountId());
        paths.put(event.accountId(), path);
        limits.put(event.accountId(), event.limits());
    }

    @EventHandler
    void on(LimitsChanged event) {
        limits.put(event.accountId(), event.limits());
    }

    @EventHandler
    void on(UserAttached event) {
        activeUsers.computeIfAbsent(event.accountId(), account -> new HashSet<>()).add(event.userId());
    }

    @EventHandler
    void on(UserDetached event) {
        activeUsers.getOrDefault(event.accountId(), new HashSet<>()).remove(event.userId());
    }

    @EventHandler
    void on(AccountDeleted event) {
        deleted.add(event.accountId());
    }

    @EventHandler
    void on(AccountSuspended event) {
        suspended.add(event.accountId());
    }

    @EventHandler
    void on(AccountUnsuspended event) {
        suspended.remove(event.accountId());
    }

    @EventHandler
    void on(AccountDetailsUpdated event) {
        requireLabelFree(event.accountId(), parentOf(event.accountId()), event.label());
        labels.put(event.accountId(), event.label());
    }

    @EventHandler
    void on(AccountReactivated event) {
        requireLabelFree(event.accountId(), event.parentId(), labels.get(event.accountId()));
        deleted.remove(event.accountId());
        suspended.remove(event.accountId());
    }

    /** As {@code account_node_sibling_label_uk}: no two live children of one parent (roots have none) share a label. */
    private void requireLabelFree(UUID accountId, UUID parentId, String label) {
        boolean taken = label != null && parentId != null && labels.entrySet().stream().anyMatch(
                other -> !other.getKey().equals(accountId) && label.equals(other.getValue())
                        && !deleted.contains(other.getKey()) && Objects.equals(parentOf(other.getKey()), parentId));
        if (taken) {
            throw new RuleViolation(ErrorCode.DUPLICATE_LABEL, "A child of " + parentId + " has the label " + label);
        }
    }

    private UUID parentOf(UUID accountId) {
        List<UUID> path = paths.get(accountId);
        return path.size() > 1 ? path.get(path.size() - 2) : null;
    }
}
