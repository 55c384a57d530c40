package dev.arbor.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The database the benchmark measures and its login: the embedded one {@link Benchmark} started, or one named on the
 * command line with the apps' login ({@code SPRING_DATASOURCE_USERNAME}, {@code SPRING_DATASOURCE_PASSWORD}). The
 * processes the benchmark starts get it in their environment, not on their command line, which every local user
 * sees.
 */
record Datasource(String url, String user, String password) {

    static Datasource at(String url) {
        return new Datasource(url, System.getenv().getOrDefault("SPRING_DATASOURCE_USERNAME", "arbor"),
                              System.getenv("SPRING_DATASOURCE_PASSWORD"));
    }

    /** In a process the benchmark started: the one {@link #passTo} gave it. */
    static Datasource fromEnvironment() {
        return at(System.getenv("SPRING_DATASOURCE_URL"));
    }

    void passTo(ProcessBuilder process) {
        process.environment().put("SPRING_DATASOURCE_URL", url);
        process.environment().put("SPRING_DATASOURCE_USERNAME", user);
        process.environment().put("SPRING_DATASOURCE_PASSWORD", password);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
