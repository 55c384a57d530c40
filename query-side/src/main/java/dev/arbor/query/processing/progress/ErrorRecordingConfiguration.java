package dev.arbor.query.processing.progress;

import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;

/** The processors' error handler: {@link ProcessorErrors}. */
@org.springframework.context.annotation.Configuration
class ErrorRecordingConfiguration {

    /** Failed batches propagate as by default, and each processor's last one is remembered for its status. */
    @Bean
    ConfigurerModule errorRecording(ProcessorErrors errors) {
        return configurer -> configurer.eventProcessing().registerDefaultErrorHandler(axon -> errors);
    }
}
