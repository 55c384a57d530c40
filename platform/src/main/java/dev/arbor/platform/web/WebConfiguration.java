package dev.arbor.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.core.StandardHost;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/** Gives both apps the same problem+json error responses, the same path spelling rules and request size limit. */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication
@Import({ProblemResponses.class, ProblemErrorController.class})
public class WebConfiguration {

    /** Tomcat's own error responses (requests refused before Spring sees them) as problem+json too. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorPages() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** A request refused before its body came holds no request thread once answered. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> unreadBodies() {
        return factory -> factory.addContextValves(new UnreadBodies());
    }

    /**
     * Outside every filter that may refuse a request (declared before {@link #canonicalPaths}, which shares the
     * order): each problem+json answer counted (arbor_problems_total).
     */
    @Bean
    FilterRegistrationBean<ProblemMetrics> problemMetrics(ObjectProvider<MeterRegistry> registry) {
        MeterRegistry meters = registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new);
        FilterRegistrationBean<ProblemMetrics> registration = new FilterRegistrationBean<>(new ProblemMetrics(meters));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        return registration;
    }

    /** First of all filters: security and routing see only paths in their one spelling. */
    @Bean
    FilterRegistrationBean<CanonicalPaths> canonicalPaths(ObjectMapper json) {
        FilterRegistrationBean<CanonicalPaths> registration = new FilterRegistrationBean<>(new CanonicalPaths(json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimit> requestSizeLimit(@Value("${arbor.max-request-bytes:65536}") long maxBytes,
                                                              ObjectMapper json) {
        FilterRegistrationBean<RequestSizeLimit> registration =
                new FilterRegistrationBean<>(new RequestSizeLimit(maxBytes, json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** After the path and size checks: a dry run the app cannot honour is refused before anything runs. */
    @Bean
    FilterRegistrationBean<DryRunFilter> dryRunFilter(@Value("${arbor.runs-commands:false}") boolean runsCommands,
                                                      ObjectMapper json) {
        FilterRegistrationBean<DryRunFilter> registration =
                new FilterRegistrationBean<>(new DryRunFilter(json, runsCommands));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
