package dev.arbor.command.support;

import dev.arbor.api.common.CommandResult;
import dev.arbor.platform.security.Caller;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sends a command with its caller's {@link CommandMetadata}, waits until it has committed, and answers its
 * {@link CommandResult}. Rule violations and missing aggregates propagate unchanged, for the REST layer to answer as
 * problem+json.
 */
@Component
public class CommandDispatcher {

    private final CommandGateway gateway;
    private final Duration timeout;
    private final CommandTimer timer;

    CommandDispatcher(CommandGateway gateway, @Value("${arbor.command-timeout:30s}") Duration timeout,
                      CommandTimer timer) {
        this.gateway = gateway;
        this.timeout = timeout;
        this.timer = timer;
    }

    /** As the current request's caller; without one (no token), refused with 401. */
    public CommandResult dispatch(Object command) {
        return dispatch(command, Caller.currentOrNull());
    }

    /** As {@code caller}, who must be named: no caller is no command, never an unrestricted one. */
    public CommandResult dispatch(Object command, Caller caller) {
        return timer.time(command, () -> {
            CommandResults.PendingResult pending = gateway.sendAndWait(
                    GenericCommandMessage.asCommandMessage(command).andMetaData(CommandMetadata.of(caller)),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
            return pending.result();
        });
    }
}
