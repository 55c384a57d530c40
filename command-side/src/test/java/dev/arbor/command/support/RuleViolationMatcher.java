package dev.arbor.command.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** Matches a {@link RuleViolation} with the given code: {@code expectException(violates(INSUFFICIENT_SEATS))}. */
public final class RuleViolationMatcher extends TypeSafeMatcher<Throwable> {

    private final ErrorCode code;

    private RuleViolationMatcher(ErrorCode code) {
        this.code = code;
    }

    public static Matcher<Throwable> violates(ErrorCode code) {
        return new RuleViolationMatcher(code);
    }

    @Override
    protected boolean matchesSafely(Throwable thrown) {
        return thrown instanceof RuleViolation violation && violation.code() == code;
    }

    @Override
    public void describeTo(Description description) {
        description.appendText("a rule violation with code ").appendValue(code);
    }

    @Override
    protected void describeMismatchSafely(Throwable thrown, Description description) {
        description.appendText("was ").appendValue(thrown);
    }
}
