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

    /** The id recorded as the actor of the events the caller causes: the token's subject. */
    String actor();

    /** The kind of caller, as commands carry it: {@value #ADMIN} or {@value #USER}. */
    String role();

    String ADMIN = "admin";
    String USER = "user";

    record Admin(String subject) implements Caller {
        @Override
        public String actor() {
            return subject;
        }

        @Override
        public String role() {
            return ADMIN;
        }
    }

    record User(UUID userId) implements Caller {
        @Override
        public String actor() {
            return userId.toString();
        }

        @Override
        public String role() {
            return USER;
        }
    }

    /** The caller of the current request, or null outside an authenticated request. */
    static Caller currentOrNull() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Jwt jwt ? of(jwt) : null;
    }

    /** The caller of the current request; only called behind authentication. */
    static Caller current() {
        Caller caller = currentOrNull();
        if (caller == null) {
            throw new RuleViolation(ErrorCode.UNAUTHENTICATED, "A bearer token is required.");
        }
        return caller;
    }

    static Caller of(Jwt jwt) {
        if (Boolean.TRUE.equals(jwt.getClaimAsBoolean(ArborTokens.ADMIN_CLAIM))) {
            return new Admin(jwt.getSubject() == null ? ArborTokens.ADMIN_SUBJECT : jwt.getSubject());
        }
        try {
            return new User(UUID.fromString(jwt.getSubject()));
        } catch (IllegalArgumentException | NullPointerException notAUser) {
            throw new RuleViolation(ErrorCode.UNAUTHENTICATED, "The token's subject is not an Arbor user id.");
        }
    }
}
