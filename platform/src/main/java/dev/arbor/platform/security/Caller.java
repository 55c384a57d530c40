package dev.arbor.platform.security;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.tokens.ArborTokens;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.UUID;

/**
 * Who is calling, from the request's validated bearer token: the platform admin (claim {@value ArborTokens#ADMIN_CLAIM})
 * or an Arbor user (the token's subject is the user's id). Whether that user may act, and where, each app decides
 * from its own state.
 */
public sealed interface Caller {

    /** The id recorded as the actor of the events the caller causes. */
    String actor();

    record Admin() implements Caller {
        @Override
        public String actor() {
            return ArborTokens.ADMIN_SUBJECT;
        }
    }

    record User(UUID userId) implements Caller {
        @Override
        public String actor() {
            return userId.toString();
        }
    }

    /** What in-process code (no request) acts as: trusted like the admin. */
    String SYSTEM = "system";

    /** The caller an event's or command's {@code actor} names: a user id, or the admin or the system. */
    static Caller fromActor(String actor) {
        if (actor == null || actor.equals(ArborTokens.ADMIN_SUBJECT) || actor.equals(SYSTEM)) {
            return new Admin();
        }
        return new User(UUID.fromString(actor));
    }

    /** The caller of the current request, or null outside an authenticated request. */
    static Caller currentOrNull() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Jwt jwt ? of(jwt) : null;
    }

    /** The caller of the current request; only called behind authentication. */
    static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof Jwt jwt)) {
            throw new RuleViolation(ErrorCode.UNAUTHENTICATED, "A bearer token is required.");
        }
        return of(jwt);
    }

    static Caller of(Jwt jwt) {
        if (Boolean.TRUE.equals(jwt.getClaimAsBoolean(ArborTokens.ADMIN_CLAIM))) {
            return new Admin();
        }
        try {
            return new User(UUID.fromString(jwt.getSubject()));
        } catch (IllegalArgumentException | NullPointerException notAUser) {
            throw new RuleViolation(ErrorCode.UNAUTHENTICATED, "The token's subject is not an Arbor user id.");
        }
    }
}
