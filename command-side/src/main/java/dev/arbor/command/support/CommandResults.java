package dev.arbor.command.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arbor.api.common.CommandResult;
import dev.arbor.api.common.DryRunResult;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.command.dryrun.DryRunPreviews;
import dev.arbor.platform.eventstore.AppendedPositions;
import dev.arbor.platform.eventstore.EventStoreConfiguration;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Makes every command answer {@link CommandResult}. Command handlers return the id of the aggregate they affect;
 * the result carries that aggregate's version after the command (the sequence number of its last event) and the
 * position (global index) of the last event the command appended. A command that changed nothing (a repeated
 * suspension, say) answers the aggregate's current version and the position of its last event.
 * <p>
 * The global index is assigned by PostgreSQL when the event store appends, which Axon does in the unit of work's
 * prepare-commit phase, after the handler returned; the append returns each event's, by event identifier
 * ({@link AppendedPositions}), and the position is the highest that the command's own events took. So the handler's
 * result is a {@link PendingResult} that is completed by a prepare-commit hook registered after the event store's
 * own, inside the command's transaction.
 * <p>
 * A command run dry ({@link CommandMetadata#DRY_RUN}) goes the same way to the end of prepare-commit, and there ends
 * with its preview ({@link DryRunPreviews}) thrown, which rolls back the unit of work: no event, lookup or
 * idempotency key is kept.
 */
@Component
public class CommandResults {

    private static final String APPENDED = CommandResults.class.getName() + ".appended";

    private final JdbcClient jdbc;
    private final IdempotencyKeys idempotencyKeys;
    private final ObjectMapper json;
    private final DryRunPreviews previews;

    CommandResults(JdbcClient jdbc, IdempotencyKeys idempotencyKeys, ObjectMapper json, CommandBus commandBus,
                   EventBus eventBus, DryRunPreviews previews) {
        this.jdbc = jdbc;
        this.previews = previews;
        this.idempotencyKeys = idempotencyKeys;
        this.json = json;
        // Registered here rather than as an interceptor bean, which Axon's Spring support would register a second time.
        commandBus.registerHandlerInterceptor((MessageHandlerInterceptor<CommandMessage<?>>) this::handle);
        eventBus.registerDispatchInterceptor(rememberAppendedEvents());
    }

    private Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        String affected = String.valueOf(chain.proceed());
        PendingResult pending = new PendingResult();
        boolean dryRun = unitOfWork.getMessage().getMetaData().containsKey(CommandMetadata.DRY_RUN);
        DryRunResult.Move move = dryRun ? previews.moveOf(unitOfWork.getMessage().getPayload())
                                        : null;
        unitOfWork.onPrepareCommit(committing -> {
            CommandResult result = resultFor(affected, committing);
            requireExpectedVersion(committing, result);
            if (dryRun) {
                // every rule, the append and the lookups ran in this transaction: roll them all back
                throw previews.completed(committing, affected, appendedIn(committing), move);
            }
            claimIdempotencyKey(committing, result);
            pending.complete(result);
        });
        return pending;
    }

    /**
     * With {@code If-Match}, the affected aggregate must have been at the expected version when the command took it:
     * its version now, less the events this command appended to it. Checked before the transaction commits, so a
     * mismatch changes nothing.
     */
    private static void requireExpectedVersion(UnitOfWork<?> unitOfWork, CommandResult result) {
        Object expected = unitOfWork.getMessage().getMetaData().get(CommandMetadata.EXPECTED_VERSION);
        if (expected == null) {
            return;
        }
        long appendedToAffected = appendedIn(unitOfWork).stream()
                                                        .filter(event -> result.id().equals(event.getAggregateIdentifier()))
                                                        .count();
        long versionBefore = result.version() - appendedToAffected;
        if (Long.parseLong(expected.toString()) != versionBefore) {
            throw new RuleViolation(ErrorCode.VERSION_MISMATCH, "If-Match names version " + expected + ", but "
                    + result.id() + " is at version " + versionBefore + ".");
        }
    }

    private void claimIdempotencyKey(UnitOfWork<?> unitOfWork, CommandResult result) {
        Object key = unitOfWork.getMessage().getMetaData().get(CommandMetadata.IDEMPOTENCY_KEY);
        if (key != null) {
            idempotencyKeys.claim(key.toString(),
                                  unitOfWork.getMessage().getMetaData().get(CommandMetadata.IDEMPOTENCY_FINGERPRINT)
                                            .toString(),
                                  json.valueToTree(result).toString());
        }
    }

    private CommandResult resultFor(String aggregateId, UnitOfWork<?> unitOfWork) {
        List<DomainEventMessage<?>> appended = appendedIn(unitOfWork);
        if (appended.isEmpty()) {
            return jdbc.sql("SELECT sequence_number, global_index FROM " + EventStoreConfiguration.DOMAIN_EVENT_TABLE
                                    + " WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1")
                       .param(aggregateId)
                       .query((rs, row) -> new CommandResult(aggregateId, rs.getLong(1), rs.getLong(2)))
                       .single();
        }
        long version = appended.stream()
                               .filter(event -> aggregateId.equals(event.getAggregateIdentifier()))
                               .mapToLong(DomainEventMessage::getSequenceNumber)
                               .max()
                               .orElseThrow(() -> new IllegalStateException(
                                       "The command reported " + aggregateId + " as affected but appended no event to it"));
        long position = appended.stream()
                                .mapToLong(event -> AppendedPositions.of(unitOfWork, event.getIdentifier()).orElseThrow(
                                        () -> new IllegalStateException("The command's event " + event.getIdentifier()
                                                                        + " was appended without its position")))
                                .max()
                                .getAsLong();
        return new CommandResult(aggregateId, version, position);
    }

    /** The events the command appended so far, in order (complete once the handler has returned). */
    public static List<DomainEventMessage<?>> appendedIn(UnitOfWork<?> unitOfWork) {
        return unitOfWork.root().getOrComputeResource(APPENDED, key -> new ArrayList<>());
    }

    private static MessageDispatchInterceptor<EventMessage<?>> rememberAppendedEvents() {
        return new MessageDispatchInterceptor<>() {
            @Override
            public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(
                    List<? extends EventMessage<?>> messages) {
                if (CurrentUnitOfWork.isStarted()) {
                    List<DomainEventMessage<?>> appended = appendedIn(CurrentUnitOfWork.get());
                    messages.stream()
                            .filter(DomainEventMessage.class::isInstance)
                            .map(message -> (DomainEventMessage<?>) message)
                            .forEach(appended::add);
                }
                return (index, message) -> message;
            }
        };
    }

    /** Completed in prepare-commit; read by {@link CommandDispatcher} once the command has committed. */
    static final class PendingResult {

        private CommandResult result;

        void complete(CommandResult result) {
            this.result = result;
        }

        CommandResult result() {
            return result;
        }
    }
}
