package dev.arbor.query.processing;

import org.axonframework.eventhandling.replay.ResetContext;

import java.time.Instant;

/**
 * Why a processor's tokens were reset: a replay from {@code from}, or from the first event when it is null. Only a
 * replay from the first event rebuilds the read model from scratch; one from an instant re-delivers the events since
 * then to rows that already hold them (each row's version makes that change nothing it already has).
 */
public record Replay(Instant from) {

    /** True when the projections should empty their tables: any reset but a replay from an instant. */
    public static boolean fromScratch(ResetContext<?> reset) {
        return !(reset.getPayload() instanceof Replay replay) || replay.from() == null;
    }
}
