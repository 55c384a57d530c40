package dev.arbor.api.common;

/**
 * The stable machine-readable codes of Arbor's problem+json errors, with the HTTP status each one answers with.
 * Clients switch on the code, never on the human-readable detail.
 */
public enum ErrorCode {
    VALIDATION_FAILED(400),
    MALFORMED_REQUEST(400),
    INVALID_FILTER(400),
    /** An account would hold more than {@code Seats.MAX} seats, or a command or seat token names more. */
    TOO_MANY_SEATS(400),
    /** A path spelt otherwise than its one accepted way: an encoded letter, {@code //}, {@code ;}, a trailing slash. */
    NON_CANONICAL_PATH(400),
    /** {@code Arbor-Dry-Run} or {@code ?dryRun=} says anything but one {@code true} or {@code false}. */
    INVALID_DRY_RUN(400),
    /** A dry run was asked of a request that cannot run dry: a read, or an administrative action of the query side. */
    DRY_RUN_UNSUPPORTED(400),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    OWN_ACCOUNT(403),
    USER_DEACTIVATED(403),
    ACCOUNT_SUSPENDED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    VERSION_MISMATCH(412),
    /** The request body did not arrive whole in time ({@code arbor.admission.body-deadline}). */
    REQUEST_TIMEOUT(408),
    LENGTH_REQUIRED(411),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    IDEMPOTENCY_KEY_REUSED(422),
    TREE_TOO_LARGE(422),
    /** One caller asked for more of an expensive read than it is given; {@code Retry-After} says when to retry. */
    RATE_LIMITED(429),

    ACCOUNT_DELETED(409),
    INSUFFICIENT_SEATS(409),
    NOT_PARENT_OR_CHILD(409),
    ROOT_ACCOUNT(409),
    HAS_CHILDREN(409),
    HAS_USERS(409),
    HAS_DEVICES(409),
    DUPLICATE_EMAIL(409),
    DUPLICATE_SERIAL(409),
    NOT_DELETED(409),
    PARENT_DELETED(409),
    TOKEN_ALREADY_REDEEMED(409),
    DUPLICATE_EXTERNAL_ID(409),
    /** Another live child of the same parent has that label. */
    DUPLICATE_LABEL(409),
    DEPTH_LIMIT(409),
    DIFFERENT_ROOT(409),
    MOVE_CYCLE(409),
    LIMIT_EXCEEDS_PARENT(409),
    LIMIT_BELOW_CHILD(409),
    CONCURRENT_MODIFICATION(409),
    PROCESSOR_BUSY(409),

    /** The database is out of reach; {@code Retry-After} says when to try again. */
    DATABASE_UNAVAILABLE(503),
    /** More requests than the node takes at once; {@code Retry-After} says when to try again. */
    OVERLOADED(503),
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
