package dev.arbor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;

/**
 * {@code arbor}: the operator's tool. It talks to the query side's admin API, so it works the same against a local
 * {@code ./run} and a remote deployment.
 */
@Command(name = "arbor", mixinStandardHelpOptions = true, version = "arbor 0.1.0",
         description = "Operate Arbor: event processors, replays, rebuilds, verification, dead letters.",
         subcommands = {ProcessorsCommand.class, ReplayCommand.class, RebuildCommand.class, VerifyCommand.class,
                        DeadLettersCommand.class})
public final class Arbor {

    /** Exit code when the service answered with an error, or could not be reached. */
    static final int SERVICE_ERROR = 2;

    @Option(names = "--query-side", defaultValue = "${env:ARBOR_QUERY_SIDE_URL:-http://localhost:8081}",
            description = "Base URL of the query side (default: ${DEFAULT-VALUE}, or $ARBOR_QUERY_SIDE_URL).")
    URI querySide;

    @Option(names = "--json", description = "Print the service's JSON answer instead of a table.")
    boolean json;

    AdminApi api() {
        return new AdminApi(querySide);
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Arbor()).setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            commandLine.getErr().println("arbor: " + failure.getMessage());
            return failure instanceof AdminApi.Failure ? SERVICE_ERROR : 1;
        });
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
