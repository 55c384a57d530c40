package dev.arbor.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.UUID;

/** {@code arbor token --admin | --user <id>}: a bearer token signed with the embedded default's key. */
@Command(name = "token", description = "Print a bearer token signed with the local signing key (the embedded "
        + "default; a real identity provider issues its own): the platform admin's, or an Arbor user's.")
final class TokenCommand implements Runnable {

    @ParentCommand
    private Arbor arbor;

    @Spec
    private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private Who who;

    static final class Who {
        @Option(names = "--admin", required = true, description = "The platform admin: acts anywhere.")
        boolean admin;

        @Option(names = "--user", required = true, paramLabel = "<userId>",
                description = "An Arbor user: acts in its account's subtree, with its permissions.")
        UUID user;
    }

    @Option(names = "--valid-for", defaultValue = "PT12H", description = "Lifetime, ISO-8601 (default: PT12H).")
    private Duration validFor;

    @Override
    public void run() {
        spec.commandLine().getOut().println(who.admin ? arbor.tokens().admin(validFor)
                                                      : arbor.tokens().user(who.user, validFor));
    }
}
