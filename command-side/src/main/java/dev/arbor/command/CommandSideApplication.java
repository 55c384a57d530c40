package dev.arbor.command;

import dev.arbor.platform.ArborApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Arbor's write side: REST commands, aggregates, the PostgreSQL event store. */
@SpringBootApplication
public class CommandSideApplication {

    public static final String CONFIG_NAME = "command-side";

    public static void main(String[] args) {
        ArborApplication.builder(CommandSideApplication.class, CONFIG_NAME).run(args);
    }
}
