package dev.arbor.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/** Gives both apps the same problem+json error responses and the same request size limit. */
@AutoConfiguration
@ConditionalOnWebApplication
@Import(ProblemResponses.class)
public class WebConfiguration {

    @Bean
    FilterRegistrationBean<RequestSizeLimit> requestSizeLimit(@Value("${arbor.max-request-bytes:65536}") long maxBytes,
                                                              ObjectMapper json) {
        FilterRegistrationBean<RequestSizeLimit> registration =
                new FilterRegistrationBean<>(new RequestSizeLimit(maxBytes, json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
