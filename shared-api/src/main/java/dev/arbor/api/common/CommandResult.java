package dev.arbor.api.common;

/**
 * What every successful command answers.
 *
 * @param id       the affected aggregate
 * @param version  its version (sequence number of its last event) after the command
 * @param position global index of the last event the command appended
 */
public record CommandResult(String id, long version, long position) {
}
