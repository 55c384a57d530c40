package dev.arbor.query.replay;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * The events the processors parked in their dead-letter queues (in {@code read_model.dead_letter_entry}): listed by
 * sequence (one organization's events wait behind its first failure), retried, or evicted for good.
 */
@Component
class DeadLetters {

    private final EventProcessingConfiguration processing;

    DeadLetters(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    /** One parked event; {@code id} names it for eviction. */
    record Letter(String processingGroup, String id, String sequence, String eventId, String type,
                  String aggregateId, Long aggregateSequence, Instant enqueuedAt, Instant lastTouched, String cause) {
    }

    /** What a retry did: how many sequences it tried, and how many went through and left the queue. */
    record Retry(String processingGroup, int sequencesTried, int sequencesCleared, long lettersLeft) {
    }

    List<Letter> all() {
        List<Letter> letters = new ArrayList<>();
        processing.eventProcessors().keySet().stream().sorted().forEach(group -> processing.deadLetterQueue(group)
                .ifPresent(queue -> queue.deadLetters().forEach(sequence -> sequence.forEach(
                        letter -> letters.add(letter(group, letter))))));
        return letters;
    }

    /** Retries every parked sequence of a group once, oldest first; a sequence that fails again stays parked. */
    Retry retry(String group) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(group);
        SequencedDeadLetterProcessor<EventMessage<?>> processor = processing.sequencedDeadLetterProcessor(group)
                                                                             .orElseThrow(() -> noQueue(group));
        long sequences = queue.amountOfSequences();
        int cleared = 0;
        for (int tried = 0; tried < sequences; tried++) {
            if (processor.processAny()) {
                cleared++;
            }
        }
        return new Retry(group, (int) sequences, cleared, queue.size());
    }

    /** Drops one parked event for good; the events behind it in its sequence are retried without it. */
    Letter evict(String group, String id) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(group);
        DeadLetter<? extends EventMessage<?>> letter =
                StreamSupport.stream(queue.deadLetters().spliterator(), false)
                             .flatMap(sequence -> StreamSupport.stream(sequence.spliterator(), false))
                             .filter(candidate -> id.equals(identifier(candidate)))
                             .findFirst()
                             .orElseThrow(() -> new RuleViolation(ErrorCode.NOT_FOUND,
                                                                  "No dead letter " + id + " in " + group + "."));
        queue.evict(letter);
        return letter(group, letter);
    }

    private SequencedDeadLetterQueue<EventMessage<?>> queue(String group) {
        return processing.deadLetterQueue(group).orElseThrow(() -> noQueue(group));
    }

    private static RuleViolation noQueue(String group) {
        return new RuleViolation(ErrorCode.NOT_FOUND, "No dead-letter queue for processing group " + group + ".");
    }

    private static Letter letter(String group, DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> event = letter.message();
        DomainEventMessage<?> domain = event instanceof DomainEventMessage<?> d ? d : null;
        return new Letter(group, identifier(letter),
                          letter instanceof JdbcDeadLetter<?> jdbc ? jdbc.getSequenceIdentifier() : null,
                          event.getIdentifier(), event.getPayloadType().getSimpleName(),
                          domain == null ? null : domain.getAggregateIdentifier(),
                          domain == null ? null : domain.getSequenceNumber(),
                          letter.enqueuedAt(), letter.lastTouched(),
                          letter.cause().map(cause -> cause.type() + ": " + cause.message()).orElse(null));
    }

    private static String identifier(DeadLetter<?> letter) {
        return letter instanceof JdbcDeadLetter<?> jdbc ? jdbc.getIdentifier() : letter.message().getIdentifier();
    }
}
