package dev.arbor.command.account;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.command.device.DeviceCommandHandler;
import dev.arbor.command.seats.SeatToken;
import dev.arbor.command.seats.SeatTokenRedemption;
import dev.arbor.command.user.User;
import dev.arbor.command.user.UserCommandHandler;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.hamcrest.Matcher;

import java.util.List;
import java.util.Map;

import static dev.arbor.command.support.RuleViolationMatcher.violates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.MatcherAssert.assertThat;

/**
 * Given/when/then for commands that change two aggregates in one unit of work, which Axon's
 * {@code AggregateTestFixture} (one aggregate instance per test) cannot host. It runs the real {@link Account}
 * aggregate and {@link AccountTreeCommandHandler} on an Axon configuration with an in-memory event store:
 * {@code givenCommands(...)} builds the tree, {@code when(command)} runs one command, and the expectations look at
 * what that command appended.
 */
final class AccountTreeFixture {

    private final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine();
    private final Configuration axon;
    private final CommandGateway commands;

    static final int MAX_DEPTH = 3;

    AccountTreeFixture() {
        InMemoryAccountDirectory directory = new InMemoryAccountDirectory();
        InMemoryDeviceDirectory devices = new InMemoryDeviceDirectory();
        axon = DefaultConfigurer.defaultConfiguration()
                                .configureSerializer(c -> JacksonSerializer.defaultSerializer())
                                .configureEmbeddedEventStore(c -> storage)
                                .configureAggregate(Account.class)
                                .configureAggregate(SeatToken.class)
                                .configureAggregate(User.class)
                                .eventProcessing(processing -> processing.usingSubscribingEventProcessors()
                                                                         .registerEventHandler(c -> directory)
                                                                         .registerEventHandler(c -> devices))
                                .registerCommandHandler(c -> new AccountTreeCommandHandler(
                                        c.repository(Account.class), directory, MAX_DEPTH))
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

    AccountTreeFixture givenCommands(Object... given) {
        for (Object command : given) {
            commands.sendAndWait(command);
        }
        return this;
    }

    /** Commands sent by the caller that {@code metadata} names ({@code CommandCaller.userMetadata(...)}). */
    AccountTreeFixture givenCommandsBy(Map<String, ?> metadata, Object... given) {
        for (Object command : given) {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metadata));
        }
        return this;
    }

    /** A command without a caller role, which the rules treat as the admin's. */
    Outcome when(Object command) {
        return when(command, Map.of());
    }

    /** A command of the caller that {@code metadata} names. */
    Outcome when(Object command, Map<String, ?> metadata) {
        long before = appended().size();
        try {
            Object result = commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metadata));
            return new Outcome(result, null, appended().subList((int) before, appended().size()));
        } catch (RuntimeException failure) {
            return new Outcome(null, failure, appended().subList((int) before, appended().size()));
        } finally {
            axon.shutdown();
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
