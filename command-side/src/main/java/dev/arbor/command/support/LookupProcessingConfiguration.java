package dev.arbor.command.support;

import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/**
 * The command side's event handlers maintain its lookup tables, in the command's own transaction: they run in
 * subscribing processors, and a failure in one fails the command. (Axon's default for subscribing processors is to
 * log and go on, which would commit events that the lookups do not reflect.)
 */
@Configuration
class LookupProcessingConfiguration {

    @Autowired
    void updateLookupsInTheCommandTransaction(EventProcessingConfigurer processing) {
        processing.usingSubscribingEventProcessors()
                  .registerDefaultListenerInvocationErrorHandler(configuration -> PropagatingErrorHandler.instance());
    }
}
