package dev.arbor.cli;

import dev.arbor.tokens.ArborTokens;
import dev.arbor.tokens.SigningKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code arbor}: the operator's tool. It talks to the query side's admin API, so it works the same against a local
 * {@code ./run} and a remote deployment.
 */
@Command(name = "arbor", mixinStandardHelpOptions = true, version = "arbor 0.1.0",
         description = "Operate Arbor: event processors, replays, rebuilds, verification, dead letters, tokens.",
         subcommands = {ProcessorsCommand.class, ReplayCommand.class, RebuildCommand.class, VerifyCommand.class,
                        DeadLettersCommand.class, TokenCommand.class})
public final class Arbor {

    /** Exit code when the service answered with an error, or could not be reached. */
    static final int SERVICE_ERROR = 2;
    /** Exit code when the tool itself could not do what was asked (no key file, ...). */
    static final int USAGE_ERROR = 3;

    @Option(names = "--query-side", defaultValue = "${env:ARBOR_QUERY_SIDE_URL:-http://localhost:8081}",
            description = "Base URL of the query side (default: ${DEFAULT-VALUE}, or $ARBOR_QUERY_SIDE_URL).")
    URI querySide;

    @Option(names = "--json", description = "Print the service's JSON answer instead of a table.")
    boolean json;

    @Option(names = "--token", defaultValue = "${env:ARBOR_TOKEN}",
            description = "The admin's bearer token (or $ARBOR_TOKEN). Without one, a short-lived admin token is "
                    + "signed with the key file.")
    String token;

    @Option(names = "--key-file", defaultValue = "${env:ARBOR_DATA_DIR:-data}/" + SigningKey.FILE_NAME,
            description = "The embedded default's signing key (default: ${DEFAULT-VALUE}).")
    Path keyFile;

    AdminApi api() {
        return new AdminApi(querySide, token != null ? token
                                                     : tokens().admin(Duration.ofMinutes(5)));
    }

    ArborTokens tokens() {
        return new ArborTokens(SigningKey.load(keyFile));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Arbor()).setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            commandLine.getErr().println("arbor: " + failure.getMessage());
            return failure instanceof AdminApi.Failure ? SERVICE_ERROR : USAGE_ERROR;
        });
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
