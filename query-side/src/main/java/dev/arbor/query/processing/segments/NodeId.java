package dev.arbor.query.processing.segments;

/**
 * This query node's id: the owner its token store writes into {@code read_model.token_entry}, and its key in
 * {@code read_model.processor_node}. {@code arbor.node-id} when set, else Axon's default, {@code pid@host}.
 */
public record NodeId(String value) {
}
