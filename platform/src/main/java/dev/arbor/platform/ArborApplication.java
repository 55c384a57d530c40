package dev.arbor.platform;

import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Starts an Arbor app with its own configuration file name ({@code command-side.yml}, {@code query-side.yml}) so
 * that both apps can share one classpath in the system tests without reading each other's settings.
 */
public final class ArborApplication {

    private ArborApplication() {
    }

    public static SpringApplicationBuilder builder(Class<?> application, String configName) {
        return new SpringApplicationBuilder(application).properties("spring.config.name=" + configName);
    }
}
