package dev.arbor.command.support;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import org.springframework.stereotype.Component;

import java.util.UUID;

/** New aggregate ids: time-ordered UUIDs (version 7), so ids sort by creation and index well. */
@Component
public class IdGenerator {

    private final TimeBasedEpochGenerator generator = Generators.timeBasedEpochGenerator();

    public UUID next() {
        return generator.generate();
    }
}
