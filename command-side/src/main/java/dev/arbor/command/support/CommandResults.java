package dev.arbor.command.support;

import dev.arbor.api.common.CommandResult;
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

import java.util.List;
import java.util.function.BiFunction;

/**
 * Makes every command answer {@link CommandResult}: the aggregate of the last event it appended, that event's
 * sequence number (the aggregate's new version) and its global index (its position in the store).
 * <p>
 * The global index is assigned by PostgreSQL when the event store appends, which Axon does in the unit of work's
 * prepare-commit phase, after the handler returned. So the handler's result is a {@link PendingResult} that is
 * completed by a prepare-commit hook registered after the event store's own, inside the command's transaction.
 */
@Component
public class CommandResults implements MessageHandlerInterceptor<CommandMessage<?>> {

    private static final String LAST_EVENT = CommandResults.class.getName() + ".lastEvent";

    private final JdbcClient jdbc;

    CommandResults(JdbcClient jdbc, CommandBus commandBus, EventBus eventBus) {
        this.jdbc = jdbc;
        commandBus.registerHandlerInterceptor(this);
        eventBus.registerDispatchInterceptor(rememberLastEvent());
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        chain.proceed();
        PendingResult pending = new PendingResult();
        unitOfWork.onPrepareCommit(committing -> pending.complete(lastAppended(committing)));
        return pending;
    }

    private CommandResult lastAppended(UnitOfWork<?> unitOfWork) {
        DomainEventMessage<?> last = unitOfWork.root().getResource(LAST_EVENT);
        if (last == null) {
            throw new IllegalStateException("Command " + unitOfWork.getMessage().getPayloadType().getSimpleName()
                                                    + " appended no event");
        }
        long position = jdbc.sql("SELECT global_index FROM " + EventStoreConfiguration.DOMAIN_EVENT_TABLE
                                         + " WHERE event_identifier = ?")
                            .param(last.getIdentifier())
                            .query(Long.class)
                            .single();
        return new CommandResult(last.getAggregateIdentifier(), last.getSequenceNumber(), position);
    }

    private static MessageDispatchInterceptor<EventMessage<?>> rememberLastEvent() {
        return new MessageDispatchInterceptor<>() {
            @Override
            public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(
                    List<? extends EventMessage<?>> messages) {
                if (!messages.isEmpty() && CurrentUnitOfWork.isStarted()
                        && messages.get(messages.size() - 1) instanceof DomainEventMessage<?> last) {
                    CurrentUnitOfWork.get().root().resources().put(LAST_EVENT, last);
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
