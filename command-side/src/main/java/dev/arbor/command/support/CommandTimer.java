package dev.arbor.command.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.command.dryrun.DryRunCompleted;
import dev.arbor.platform.database.DatabaseUnavailable;
import dev.arbor.platform.database.TransactionConflict;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.function.Supplier;

/**
 * {@code arbor_commands_seconds{command,outcome}}: how long each command took from dispatch to its committed result,
 * by the command's simple class name, and {@code ok}, {@code DRY_RUN} for a dry run that passed every rule, or the
 * {@link ErrorCode} it was refused with (the code its problem+json answer carries).
 */
@Component
class CommandTimer {

    static final String METRIC = "arbor.commands";

    private final MeterRegistry registry;

    CommandTimer(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry.getIfAvailable(SimpleMeterRegistry::new);
    }

    <T> T time(Object command, Supplier<T> dispatch) {
        long start = System.nanoTime();
        String outcome = "ok";
        try {
            return dispatch.get();
        } catch (DryRunCompleted previewed) {
            outcome = "DRY_RUN";
            throw previewed;
        } catch (RuntimeException refused) {
            outcome = codeOf(refused).name();
            throw refused;
        } finally {
            Timer.builder(METRIC)
                 .description("commands from dispatch to committed result, by command and outcome")
                 .tag("command", command.getClass().getSimpleName())
                 .tag("outcome", outcome)
                 .publishPercentileHistogram()
                 .register(registry)
                 .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** The code ProblemResponses answers the failure with. */
    static ErrorCode codeOf(RuntimeException failure) {
        if (failure instanceof RuleViolation violation) {
            return violation.code();
        }
        if (failure instanceof AggregateNotFoundException) {
            return ErrorCode.NOT_FOUND;
        }
        if (failure instanceof ConcurrencyException || TransactionConflict.explains(failure)) {
            return ErrorCode.CONCURRENT_MODIFICATION;
        }
        return DatabaseUnavailable.explains(failure) ? ErrorCode.DATABASE_UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
    }
}
