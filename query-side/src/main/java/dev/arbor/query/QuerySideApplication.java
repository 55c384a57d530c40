package dev.arbor.query;

import dev.arbor.platform.ArborApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Arbor's read side: event processors fold the event store into a PostgreSQL read model served over REST. */
@SpringBootApplication
public class QuerySideApplication {

    public static final String CONFIG_NAME = "query-side";

    public static void main(String[] args) {
        ArborApplication.builder(QuerySideApplication.class, CONFIG_NAME).run(args);
    }
}
