package dev.arbor.api.common;

/**
 * What every successful command answers.
 *
 * @param id       the affected aggregate
 * @param version  its version (sequence number of its last event) after the command
 * @param position global index of the last event the command appended; pass it as {@code Arbor-Min-Position} to
 *                 read your own write from the query side
 */
public record CommandResult(String id, long version, long position) {
}
