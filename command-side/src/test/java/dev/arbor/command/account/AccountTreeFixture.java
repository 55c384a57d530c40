package dev.arbor.command.account;

import dev.arbor.api.account.SeatTokenIssued;
import dev.arbor.api.account.SeatTokenRedeemed;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.user.UserAdded;
import dev.arbor.command.device.DeviceCommandHandler;
import dev.arbor.command.seats.SeatToken;
import dev.arbor.command.seats.SeatTokenRedemption;
import dev.arbor.command.support.CommandCaller;
import dev.arbor.command.user.User;
import dev.arbor.command.user.UserAccountMembers;
import dev.arbor.command.user.UserCommandHandler;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.axonframework.serialization.json.JacksonSerializer;
import org.hamcrest.Matcher;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

import static dev.arbor.command.support.RuleViolationMatcher.violates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.MatcherAssert.assertThat;

/**
 * Given/when/then for commands that change several aggregates in one unit of work: given the events of the accounts
 * (users, seat tokens) involved, when a command, expect the events it appends or the rule it breaks. Axon's
 * {@code AggregateTestFixture} holds the events of one aggregate instance only; this fixture runs the real
 * aggregates and command handlers on an Axon configuration with an in-memory event store, and the in-memory
 * directories fed by the same events, as the JDBC ones are in production.
 */
final class AccountTreeFixture {

    static final int MAX_DEPTH = 3;

    private final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine();
    private final Configuration axon;
    private final CommandGateway commands;
    private final Map<String, Long> nextSequence = new HashMap<>();

    AccountTreeFixture() {
        this(UnaryOperator.identity());
    }

    /** Handlers that load users through what {@code members} makes of the real {@link AccountMembers}. */
    AccountTreeFixture(UnaryOperator<AccountMembers> members) {
        InMemoryAccountDirectory directory = new InMemoryAccountDirectory();
        InMemoryDeviceDirectory devices = new InMemoryDeviceDirectory();
        axon = DefaultConfigurer.defaultConfiguration()
                                .configureSerializer(c -> JacksonSerializer.defaultSerializer())
                                .configureEmbeddedEventStore(c -> storage)
                                .configureAggregate(Account.class)
                                .configureAggregate(SeatToken.class)
                                .configureAggregate(User.class)
                                .eventProcessing(processing -> processing.usingSubscribingEventProcessors()
                                                                         .registerDefaultListenerInvocationErrorHandler(
                                                                                 c -> PropagatingErrorHandler.instance())
                                                                         .registerEventHandler(c -> directory)
                                                                         .registerEventHandler(c -> devices))
                                .registerCommandHandler(c -> new AccountTreeCommandHandler(
                                        c.repository(Account.class), directory,
                                        members.apply(new UserAccountMembers(c.repository(User.class))), MAX_DEPTH))
                                .registerCommandHandler(c -> new UserCommandHandler(
                                        c.repository(User.class), c.repository(Account.class), directory))
                                .registerCommandHandler(c -> new DeviceCommandHandler(
                                        c.repository(Account.class), directory, devices))
                                .registerCommandHandler(c -> new SeatTokenRedemption(
                                        c.repository(SeatToken.class), c.repository(Account.class)))
                                .buildConfiguration();
        axon.start();
        commands = axon.commandGateway();
    }

    /**
     * What happened before, in order: each event is appended to its own aggregate's stream (a user's events to the
     * user, a seat token's to the token, account and device events to the account) and reaches the directories. An
     * element may be a list, the events of one step (a child's creation: the parent's and the child's), or an
     * {@link EventMessage} with metadata.
     */
    AccountTreeFixture given(Object... events) {
        for (Object event : events) {
            if (event instanceof List<?> step) {
                given(step.toArray());
            } else {
                EventMessage<?> message = GenericEventMessage.asEventMessage(event);
                axon.eventStore().publish(onItsStream(message.getPayload(), message.getMetaData()));
            }
        }
        return this;
    }

    AccountTreeFixture givenNoPriorActivity() {
        return this;
    }

    /** A command of the platform admin. */
    Outcome when(Object command) {
        return when(command, CommandCaller.adminMetadata());
    }

    /** A command of the caller that {@code metadata} names ({@code CommandCaller.userMetadata(...)}). */
    Outcome when(Object command, Map<String, ?> metadata) {
        int before = appended().size();
        try {
            Object result = commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metadata));
            return new Outcome(result, null, appended().subList(before, appended().size()));
        } catch (RuntimeException failure) {
            return new Outcome(null, failure, appended().subList(before, appended().size()));
        } finally {
            axon.shutdown();
        }
    }

    /**
     * Runs {@code command} to its end on another thread, as another request would, while the command on this one
     * waits: for interleavings forced from inside a handler.
     */
    void meanwhile(Object command) {
        CompletableFuture.runAsync(() -> commands.sendAndWait(command)).join();
    }

    /**
     * A rule applied to the loaded aggregates directly, in one unit of work, as no handler applies it: for the
     * rules' own guards, which must refuse a pair or a user that a handler would never pass.
     */
    Outcome whenRule(BiConsumer<Repository<Account>, Repository<User>> rule) {
        int before = appended().size();
        try {
            DefaultUnitOfWork.startAndGet(null).execute(
                    () -> rule.accept(axon.repository(Account.class), axon.repository(User.class)));
            return new Outcome(null, null, appended().subList(before, appended().size()));
        } catch (RuntimeException failure) {
            return new Outcome(null, failure, appended().subList(before, appended().size()));
        } finally {
            axon.shutdown();
        }
    }

    private GenericDomainEventMessage<?> onItsStream(Object event, MetaData metaData) {
        String type;
        String aggregateId;
        if (event.getClass().getPackage().equals(UserAdded.class.getPackage())) {
            type = User.class.getSimpleName();
            aggregateId = component(event, "userId");
        } else if (event instanceof SeatTokenIssued || event instanceof SeatTokenRedeemed) {
            type = SeatToken.class.getSimpleName();
            aggregateId = component(event, "tokenId");
        } else {
            type = Account.class.getSimpleName();
            aggregateId = component(event, "accountId");
        }
        long sequence = nextSequence.merge(aggregateId, 1L, Long::sum) - 1;
        return new GenericDomainEventMessage<>(type, aggregateId, sequence, event, metaData);
    }

    /** The value of one of the event record's components, as a string: the id of the aggregate it belongs to. */
    private static String component(Object event, String name) {
        try {
            return String.valueOf(event.getClass().getMethod(name).invoke(event));
        } catch (ReflectiveOperationException noSuchComponent) {
            throw new IllegalArgumentException(event.getClass().getSimpleName() + " has no " + name, noSuchComponent);
        }
    }

    private List<Object> appended() {
        return storage.readEvents(null, false).map(EventMessage::getPayload).map(Object.class::cast).toList();
    }

    record Outcome(Object result, RuntimeException failure, List<Object> events) {

        Outcome expectEvents(Object... expected) {
            assertThat(failure).as("the command's failure").isNull();
            assertThat(events).containsExactly(expected);
            return this;
        }

        Outcome expectNoEvents() {
            assertThat(events).isEmpty();
            return this;
        }

        Outcome expectResult(Object expected) {
            assertThat(result).isEqualTo(expected);
            return this;
        }

        Outcome expectRejection(ErrorCode code) {
            Matcher<Throwable> matcher = violates(code);
            assertThat(failure, matcher);
            return expectNoEvents();
        }

        Outcome expectRejectionMessage(String message) {
            assertThat(failure).hasMessage(message);
            return this;
        }

        Outcome expectFailure(Class<? extends Throwable> type) {
            assertThat(failure).isInstanceOf(type);
            return expectNoEvents();
        }
    }
}
