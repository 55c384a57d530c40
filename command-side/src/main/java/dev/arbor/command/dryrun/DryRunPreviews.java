package dev.arbor.command.dryrun;

import dev.arbor.api.account.MoveAccount;
import dev.arbor.api.common.DryRunResult;
import dev.arbor.command.account.SeatBalances;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds what a dry run answers, inside the command's unit of work: the events it appended (not yet committed, and
 * never to be), the seat balances of the accounts they touch, and for a move, the subtree that moves, read from the
 * command side's directory before the move's own lookup updates.
 */
@Component
public class DryRunPreviews {

    private static final String ACCOUNT = "Account";

    private final JdbcClient jdbc;
    private final SeatBalances seats;

    DryRunPreviews(JdbcClient jdbc, SeatBalances seats) {
        this.jdbc = jdbc;
        this.seats = seats;
    }

    /**
     * For a move, what it would take along, as the directory has it now (called once the handler returned, before
     * prepare-commit updates the directory); {@code null} for any other command.
     */
    public DryRunResult.Move moveOf(Object command) {
        if (!(command instanceof MoveAccount move)) {
            return null;
        }
        int depthBefore = depthOf(move.accountId());
        int depthChange = depthOf(move.newParentId()) + 1 - depthBefore;
        List<DryRunResult.MovedAccount> accounts = jdbc.sql("""
                        SELECT id, depth FROM command_lookup.account_node
                         WHERE path @> ARRAY[CAST(? AS uuid)] ORDER BY depth, id""")
                .param(move.accountId())
                .query((rs, row) -> new DryRunResult.MovedAccount(rs.getString(1), rs.getInt(2),
                                                                   rs.getInt(2) + depthChange))
                .list();
        UUID[] ids = accounts.stream().map(account -> UUID.fromString(account.id())).toArray(UUID[]::new);
        long users = count("SELECT count(*) FROM command_lookup.app_user WHERE account_id = ANY(?)", ids);
        long devices = count("SELECT count(*) FROM command_lookup.device WHERE account_id = ANY(?)", ids);
        return new DryRunResult.Move(accounts, users, devices, depthChange);
    }

    /** The preview that ends the dry run, to be thrown at the end of prepare-commit. */
    public DryRunCompleted completed(UnitOfWork<?> unitOfWork, String affected, List<DomainEventMessage<?>> appended,
                                     DryRunResult.Move move) {
        List<DryRunResult.Event> events = appended.stream()
                .map(event -> new DryRunResult.Event(event.getPayloadType().getSimpleName(),
                                                     event.getAggregateIdentifier(), event.getSequenceNumber(),
                                                     event.getPayload()))
                .toList();
        Map<String, Long> balances = new LinkedHashMap<>();
        appended.stream()
                .filter(event -> ACCOUNT.equals(event.getType()))
                .map(DomainEventMessage::getAggregateIdentifier)
                .distinct()
                .forEach(id -> balances.put(id, seats.of(id)));
        // a move to the parent it already has appends nothing, and moves nothing
        return new DryRunCompleted(new DryRunResult(true, affected, events, balances, events.isEmpty() ? null : move));
    }

    private int depthOf(UUID accountId) {
        return jdbc.sql("SELECT depth FROM command_lookup.account_node WHERE id = ?").param(accountId)
                   .query(Integer.class).single();
    }

    private long count(String sql, UUID[] ids) {
        return jdbc.sql(sql).param(ids).query(Long.class).single();
    }
}
