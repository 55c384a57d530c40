package dev.arbor.command.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

@Configuration
class AdmissionConfiguration {

    /**
     * Right after security and before anything that reads the database (idempotency keys), so that a refused request
     * costs little: authentication first, so that no unauthenticated request has its body read or takes a place
     * (verified tokens are remembered, so checking one again is cheap).
     */
    @Bean
    FilterRegistrationBean<RequestAdmission> requestAdmission(
            @Value("${arbor.admission.max-in-flight:16}") int maxInFlight,
            @Value("${arbor.admission.max-per-caller:8}") int maxPerCaller,
            @Value("${arbor.admission.max-wait:2s}") Duration maxWait,
            @Value("${arbor.admission.body-deadline:10s}") Duration bodyDeadline,
            ObjectMapper json, MeterRegistry meters) {
        FilterRegistrationBean<RequestAdmission> registration = new FilterRegistrationBean<>(
                new RequestAdmission(maxInFlight, maxPerCaller, maxWait, bodyDeadline, json, meters));
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }
}
