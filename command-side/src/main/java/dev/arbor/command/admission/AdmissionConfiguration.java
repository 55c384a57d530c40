package dev.arbor.command.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.time.Duration;

@Configuration
class AdmissionConfiguration {

    /**
     * Right after the request size limit, before security and before anything that reads the database (idempotency
     * keys), so that a refused request costs next to nothing.
     */
    @Bean
    FilterRegistrationBean<RequestAdmission> requestAdmission(
            @Value("${arbor.admission.max-in-flight:16}") int maxInFlight,
            @Value("${arbor.admission.max-wait:2s}") Duration maxWait, ObjectMapper json, MeterRegistry meters) {
        FilterRegistrationBean<RequestAdmission> registration =
                new FilterRegistrationBean<>(new RequestAdmission(maxInFlight, maxWait, json, meters));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
