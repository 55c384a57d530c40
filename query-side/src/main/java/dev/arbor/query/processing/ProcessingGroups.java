package dev.arbor.query.processing;

/** The query side's processors, by the processing group a projection names in its {@code @ProcessingGroup}. */
public final class ProcessingGroups {

    /** The processing group of every read-model projection (accounts, users, devices). */
    public static final String PROJECTION = "accounts";
    /** The audit log's processing group, replayed on its own. */
    public static final String AUDIT = "audit";

    private ProcessingGroups() {
    }
}
