package dev.arbor.command.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.EventMetadata;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.security.Caller;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who a command says sent it: the caller named, and no one else. A missing caller never stands for an unrestricted
 * one, inside a request or outside any; and a command naming no role is, for the rules, a user holding nothing.
 */
class CommandMetadataTest {

    @AfterEach
    void forgetTheRequest() {
        RequestContextHolder.resetRequestAttributes();
        SecurityContextHolder.clearContext();
    }

    @Test
    void aCommandSentWhileHandlingARequestWithoutACallerIsRefused() {
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));

        assertRefused(() -> CommandMetadata.of(Caller.currentOrNull()));
    }

    @Test
    void aCommandSentOutsideAnyRequestWithoutACallerIsRefusedNotMadeTheAppsOwn() {
        assertRefused(() -> CommandMetadata.of(Caller.currentOrNull()));
        assertRefused(() -> CommandMetadata.of(null));
    }

    @Test
    void aCommandSentWhileHandlingAUsersRequestIsTheUsers() {
        UUID user = UUID.randomUUID();
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(
                Jwt.withTokenValue("t").header("alg", "EdDSA").subject(user.toString()).build()));

        MetaData metadata = CommandMetadata.of(Caller.currentOrNull());
        assertThat(metadata.get(CommandMetadata.CALLER_ROLE)).isEqualTo(Caller.USER);
        assertThat(metadata.get(EventMetadata.ACTOR)).isEqualTo(user.toString());
    }

    @Test
    void aCommandOutsideAnyRequestIsItsNamedCallers() {
        MetaData metadata = CommandMetadata.of(new Caller.Admin("operator"));

        assertThat(metadata.get(CommandMetadata.CALLER_ROLE)).isEqualTo(Caller.ADMIN);
        assertThat(metadata.get(EventMetadata.ACTOR)).isEqualTo("operator");
    }

    @Test
    void aCommandNamingNoRoleIsForTheRulesAUserHoldingNothing() {
        CommandCaller nobody = CommandCaller.of(MetaData.emptyInstance());

        assertThat(nobody.isAdmin()).isFalse();
        assertThat(nobody.permissions()).isEmpty();
        assertThat(CommandCaller.of(MetaData.with(CommandMetadata.CALLER_ROLE, "system")).isAdmin()).isFalse();
        assertThat(CommandCaller.of(MetaData.from(CommandCaller.adminMetadata())).isAdmin()).isTrue();
    }

    private static void assertRefused(Runnable sending) {
        assertThatThrownBy(sending::run)
                .isInstanceOfSatisfying(RuleViolation.class,
                                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
}
