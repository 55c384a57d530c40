package dev.arbor.api.common;

/**
 * The stable machine-readable codes of Arbor's problem+json errors, with the HTTP status each one answers with.
 * Clients switch on the code, never on the human-readable detail.
 */
public enum ErrorCode {
    VALIDATION_FAILED(400),
    MALFORMED_REQUEST(400),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    UNSUPPORTED_MEDIA_TYPE(415),
    INSUFFICIENT_SEATS(409),
    CONCURRENT_MODIFICATION(409),
    SERVICE_UNAVAILABLE(503),
    INTERNAL_ERROR(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
