package dev.arbor.api.common;

/**
 * The metadata every event carries, set by the command side from the request: who ({@code actor}), why
 * ({@code reason}, optional), which request ({@code correlationId}, the request id) and which message caused it
 * ({@code causationId}). The audit trail reads them back.
 */
public final class EventMetadata {

    public static final String ACTOR = "actor";
    public static final String REASON = "reason";
    public static final String CORRELATION_ID = "correlationId";
    public static final String CAUSATION_ID = "causationId";

    private EventMetadata() {
    }
}
