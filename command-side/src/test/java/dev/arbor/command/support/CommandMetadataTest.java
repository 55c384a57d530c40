package dev.arbor.command.support;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.EventMetadata;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.security.Caller;
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

/** Who a command says sent it: never the unrestricted system for a request that names no caller. */
class CommandMetadataTest {

    @AfterEach
    void forgetTheRequest() {
        RequestContextHolder.resetRequestAttributes();
        SecurityContextHolder.clearContext();
    }

    @Test
    void aCommandSentWhileHandlingARequestWithoutACallerIsRefused() {
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));

        assertThatThrownBy(CommandMetadata::ofCurrentRequest)
                .isInstanceOfSatisfying(RuleViolation.class,
                                        refused -> assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }

    @Test
    void aCommandSentWhileHandlingAUsersRequestIsTheUsers() {
        UUID user = UUID.randomUUID();
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(
                Jwt.withTokenValue("t").header("alg", "EdDSA").subject(user.toString()).build()));

        assertThat(CommandMetadata.ofCurrentRequest().get(CommandMetadata.CALLER_ROLE)).isEqualTo(Caller.USER);
        assertThat(CommandMetadata.ofCurrentRequest().get(EventMetadata.ACTOR)).isEqualTo(user.toString());
    }

    @Test
    void onlyACommandSentOutsideAnyRequestIsTheSystems() {
        assertThat(CommandMetadata.ofCurrentRequest().get(CommandMetadata.CALLER_ROLE))
                .isEqualTo(CommandMetadata.SYSTEM);
    }
}
