package dev.arbor.command.support;

import dev.arbor.api.common.CommandResult;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sends a command with the request's {@link CommandMetadata}, waits until it has committed, and answers its
 * {@link CommandResult}. Rule violations and
 * missing aggregates propagate unchanged, for the REST layer to answer as problem+json.
 */
@Component
public class CommandDispatcher {

    private final CommandGateway gateway;
    private final Duration timeout;

    CommandDispatcher(CommandGateway gateway, @Value("${arbor.command-timeout:30s}") Duration timeout) {
        this.gateway = gateway;
        this.timeout = timeout;
    }

    public CommandResult dispatch(Object command) {
        CommandResults.PendingResult pending = gateway.sendAndWait(
                GenericCommandMessage.asCommandMessage(command).andMetaData(CommandMetadata.ofCurrentRequest()),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        return pending.result();
    }
}
