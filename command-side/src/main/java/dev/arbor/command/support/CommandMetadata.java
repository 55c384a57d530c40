package dev.arbor.command.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.web.DryRunFilter;
import dev.arbor.platform.security.Caller;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.arbor.api.common.EventMetadata.ACTOR;
import static dev.arbor.api.common.EventMetadata.CAUSATION_ID;
import static dev.arbor.api.common.EventMetadata.CORRELATION_ID;
import static dev.arbor.api.common.EventMetadata.REASON;

/**
 * Who, why and in which request: the metadata every command carries and every event it causes inherits.
 * <ul>
 *     <li>{@code actor}: the authenticated caller, the user's id or {@code admin};</li>
 *     <li>{@code correlationId}: the request id ({@link RequestIdFilter});</li>
 *     <li>{@code causationId}: the id of the command that applied the event;</li>
 *     <li>{@code reason}: the optional {@code X-Reason} header.</li>
 * </ul>
 * The command alone also carries {@code expectedVersion} from an {@code If-Match} header, which
 * {@link CommandResults} checks against the affected aggregate, and the request's {@code Idempotency-Key}, which it
 * claims in the command's transaction.
 */
@Configuration
public class CommandMetadata {

    public static final String EXPECTED_VERSION = "expectedVersion";
    /**
     * The kind of caller the command comes from ({@code admin} or {@code user}); on the command only, for its
     * authorization. A command without it, or with any other, is refused.
     */
    public static final String CALLER_ROLE = "callerRole";
    /** A command to run dry ({@code Arbor-Dry-Run: true}): {@link CommandResults} rolls it back and answers its events. */
    static final String DRY_RUN = "dryRun";
    static final String IDEMPOTENCY_KEY = "idempotencyKey";
    static final String IDEMPOTENCY_FINGERPRINT = "idempotencyFingerprint";
    private static final Pattern VERSION_TAG = Pattern.compile("(?:W/)?\"?(\\d{1,18})\"?");
    private static final int MAX_HEADER_LENGTH = 256;

    /** Events inherit the command's actor and reason... */
    @Bean
    CorrelationDataProvider actorAndReason() {
        return new SimpleCorrelationDataProvider(ACTOR, REASON);
    }

    /**
     * ...its correlation id, and the command's own id as their cause. Axon's provider writes the handled message's
     * id under its first key and carries the second key over from that message (defaulting to its id), which in
     * Arbor's words are the causation and the correlation.
     */
    @Bean
    CorrelationDataProvider correlationAndCausation() {
        return new MessageOriginProvider(CAUSATION_ID, CORRELATION_ID);
    }

    /**
     * The metadata of a command sent by {@code caller}, with what the current HTTP request (if any) says of it. There
     * is no caller without a token: no unrestricted role stands in for a missing one, so a command sent where no
     * caller is known (a request that let an anonymous caller through, a thread that lost the request's context)
     * is refused with 401, never made the app's own.
     */
    static MetaData of(Caller caller) {
        if (caller == null) {
            throw new RuleViolation(ErrorCode.UNAUTHENTICATED, "A command needs the caller who sends it.");
        }
        Map<String, String> metadata = new HashMap<>();
        metadata.put(ACTOR, caller.actor());
        metadata.put(CALLER_ROLE, caller.role());
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            header(servlet, "X-Reason").ifPresent(reason -> metadata.put(REASON, reason));
            header(servlet, HttpHeaders.IF_MATCH).filter(tag -> !"*".equals(tag))
                                                 .ifPresent(tag -> metadata.put(EXPECTED_VERSION, versionIn(tag)));
            if (DryRunFilter.requested(servlet.getRequest())) {
                metadata.put(DRY_RUN, "true");
            }
            if (servlet.getRequest().getAttribute(IdempotencyFilter.ATTRIBUTE) instanceof IdempotencyFilter.Request keyed) {
                metadata.put(IDEMPOTENCY_KEY, keyed.key());
                metadata.put(IDEMPOTENCY_FINGERPRINT, keyed.fingerprint());
            }
            Object requestId = servlet.getRequest().getAttribute(RequestIdFilter.ATTRIBUTE);
            if (requestId != null) {
                metadata.put(CORRELATION_ID, requestId.toString());
            }
        }
        return MetaData.from(metadata);
    }

    /** {@code If-Match} names a version as {@code 3}, {@code "3"} or {@code W/"3"}. */
    private static String versionIn(String tag) {
        Matcher version = VERSION_TAG.matcher(tag);
        if (!version.matches()) {
            throw new RuleViolation(ErrorCode.MALFORMED_REQUEST,
                                    "If-Match must name a version, such as \"3\"; got " + tag + ".");
        }
        return version.group(1);
    }

    private static Optional<String> header(ServletRequestAttributes request, String name) {
        String value = request.getRequest().getHeader(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String stripped = value.strip();
        return Optional.of(stripped.length() > MAX_HEADER_LENGTH ? stripped.substring(0, MAX_HEADER_LENGTH)
                                                                           : stripped);
    }
}
