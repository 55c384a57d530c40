package dev.arbor.command.dryrun;

import dev.arbor.api.common.DryRunResult;

/**
 * Thrown at the end of a dry run's prepare-commit, once every rule, the event store's append and the lookup tables
 * have run in the command's transaction: it rolls the unit of work back (and with it the transaction, the aggregate
 * cache's entries and the lookups), and carries the preview to {@link DryRunAnswers}. Not a failure: no stack trace.
 */
public final class DryRunCompleted extends RuntimeException {

    private final transient DryRunResult preview;

    DryRunCompleted(DryRunResult preview) {
        super("Dry run of " + preview.id() + ": " + preview.events().size() + " events, none appended", null, false,
              false);
        this.preview = preview;
    }

    DryRunResult preview() {
        return preview;
    }
}
