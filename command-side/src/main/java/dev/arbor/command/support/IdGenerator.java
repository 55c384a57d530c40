package dev.arbor.command.support;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import org.springframework.stereotype.Component;

import java.util.Random;
import java.util.UUID;

/**
 * New ids: time-ordered UUIDs (version 7), so ids sort by creation and index well. Ids are not secrets (access is
 * decided by scope, never by knowing an id), so their random part comes from a plain {@link Random} (seeded uniquely
 * per instance; ids stay unique within the same millisecond because the generator counts up from the last one)
 * rather than a SecureRandom that every request thread would queue on.
 */
@Component
public class IdGenerator {

    private final TimeBasedEpochGenerator generator = Generators.timeBasedEpochGenerator(new Random());

    public UUID next() {
        return generator.generate();
    }
}
