package dev.arbor.api.common;

/**
 * A command was refused by a business rule. Thrown by command handlers; the REST layer answers it as problem+json
 * carrying {@link #code()}.
 */
public class RuleViolation extends RuntimeException {

    private final ErrorCode code;

    public RuleViolation(ErrorCode code, String detail) {
        super(detail);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
