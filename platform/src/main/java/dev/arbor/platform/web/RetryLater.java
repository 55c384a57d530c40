package dev.arbor.platform.web;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;

import java.time.Duration;

/**
 * A request refused for a bound on the work a node (or one caller) takes at once, not for anything wrong with it:
 * answered with its code and a {@code Retry-After} header, so that a well-behaved client backs off and comes back.
 */
public class RetryLater extends RuleViolation {

    private final Duration retryAfter;

    public RetryLater(ErrorCode code, String detail, Duration retryAfter) {
        super(code, detail);
        this.retryAfter = retryAfter;
    }

    /** Whole seconds, as {@code Retry-After} counts them; at least one. */
    public String retryAfterSeconds() {
        return Long.toString(Math.max(1, retryAfter.toSeconds()));
    }
}
