package dev.arbor.query.account;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.platform.web.CallerShares;
import dev.arbor.platform.web.RetryLater;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Bounds the folds behind {@code ?asOf=}: each replays a whole organization (up to {@code arbor.tree-max-nodes}
 * accounts) into temporary tables, seconds of a database connection and of CPU, and no two requests share one (the
 * instant, and so the events folded, differ from request to request). So each caller (the token's subject) gets
 * {@code arbor.as-of.per-minute} folds a minute (12), with a burst of {@code arbor.as-of.burst} (3), and one more is
 * refused with 429 {@code RATE_LIMITED} and {@code Retry-After} saying when the next is due; and at most
 * {@code arbor.as-of.max-concurrent} (2) folds run on a node at once, shared between callers as {@link CallerShares}
 * shares them (with 2, one a caller: one caller's burst no longer takes both), one more being refused with 503
 * {@code OVERLOADED}. Reads without {@code asOf} are never limited; the platform admin has no per-caller rate, but
 * its share of the node's folds like anyone.
 */
@Component
class AsOfLimits {

    /** Past this many callers remembered, the ones whose allowance is whole again are forgotten. */
    private static final int MAX_CALLERS = 10_000;

    private final CallerShares running;
    private final int burst;
    private final double perNano;
    private final Map<String, Allowance> callers = new HashMap<>();

    AsOfLimits(@Value("${arbor.as-of.max-concurrent:2}") int maxConcurrent,
               @Value("${arbor.as-of.per-minute:12}") int perMinute,
               @Value("${arbor.as-of.burst:3}") int burst) {
        this.running = new CallerShares(maxConcurrent, maxConcurrent);
        this.burst = burst;
        this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
    }

    /** A token bucket: {@code left} folds now, refilled at the configured rate up to the burst. */
    private static final class Allowance {
        double left;
        long at;

        Allowance(double left, long at) {
            this.left = left;
            this.at = at;
        }
    }

    <T> T fold(Supplier<T> fold) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        String name = caller == null ? "" : caller.getName();
        if (!isAdmin(caller)) {
            take(name);
        }
        if (!running.enter(name)) {
            throw new RetryLater(ErrorCode.OVERLOADED, "Too many ?asOf= reads are being rebuilt on this node; "
                    + "retry later.", Duration.ofSeconds(1));
        }
        try {
            return fold.get();
        } finally {
            running.leave(name);
        }
    }

    private synchronized void take(String caller) {
        long now = System.nanoTime();
        if (callers.size() >= MAX_CALLERS) {
            callers.values().removeIf(allowance -> refilled(allowance, now) >= burst);
        }
        Allowance allowance = callers.computeIfAbsent(caller, unknown -> new Allowance(burst, now));
        allowance.left = refilled(allowance, now);
        allowance.at = now;
        if (allowance.left < 1) {
            long wait = (long) Math.ceil((1 - allowance.left) / perNano);
            throw new RetryLater(ErrorCode.RATE_LIMITED, "Too many ?asOf= reads: each rebuilds a whole "
                    + "organization; retry later.", Duration.ofNanos(wait).plusSeconds(1));
        }
        allowance.left -= 1;
    }

    private double refilled(Allowance allowance, long now) {
        return Math.min(burst, allowance.left + (now - allowance.at) * perNano);
    }

    /** The platform admin, the operator, has no per-caller rate; the node's bound applies to it too. */
    private static boolean isAdmin(Authentication caller) {
        return caller != null && caller.getAuthorities().stream()
                                       .anyMatch(authority -> "ROLE_ADMIN".equals(authority.getAuthority()));
    }
}
