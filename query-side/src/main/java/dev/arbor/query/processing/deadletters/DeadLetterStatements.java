package dev.arbor.query.processing.deadletters;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.DefaultDeadLetterStatementFactory;
import org.axonframework.serialization.Serializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Axon's statements on the dead-letter table, but for two whose cost grew with a long parked sequence (one busy
 * organization parked for a while): Arbor lets a sequence hold 100,000 letters, where Axon's default is 1,024.
 */
public final class DeadLetterStatements extends DefaultDeadLetterStatementFactory<EventMessage<?>> {

    /** Letters read at a time when a sequence is listed; the queue's page size. */
    public static final int PAGE = 100;

    private final DeadLetterSchema schema;

    public DeadLetterStatements(DeadLetterSchema schema, Serializer genericSerializer, Serializer eventSerializer) {
        super(DefaultDeadLetterStatementFactory.<EventMessage<?>>builder()
                                               .schema(schema)
                                               .genericSerializer(genericSerializer)
                                               .eventSerializer(eventSerializer));
        this.schema = schema;
    }

    /**
     * A page of a sequence's letters, in order. Axon asks with the sequence's whole capacity as the limit and the
     * page's start as a sequence index, so each page read the rest of the sequence again: listing a sequence of n
     * letters read about n * n / 200 rows, which at 100,000 letters runs out of memory.
     */
    @Override
    public PreparedStatement letterSequenceStatement(Connection connection, String processingGroup, String sequenceId,
                                                     int offset, int maxSize) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(
                "SELECT * FROM " + schema.deadLetterTable()
                + " WHERE " + schema.processingGroupColumn() + " = ? AND " + schema.sequenceIdentifierColumn() + " = ?"
                + " ORDER BY " + schema.sequenceIndexColumn() + " LIMIT ? OFFSET ?",
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setString(1, processingGroup);
        statement.setString(2, sequenceId);
        statement.setInt(3, PAGE);
        statement.setInt(4, offset);
        return statement;
    }

    /**
     * How many letters a sequence holds at most, from its first and last index (two probes of the unique index on
     * group, sequence and index). Axon counted the sequence's rows at every enqueue, quadratic in a long parked
     * sequence; letters leave a sequence from its front, so the bound is its size but after an eviction out of order.
     */
    @Override
    public PreparedStatement sequenceSizeStatement(Connection connection, String processingGroup, String sequenceId)
            throws SQLException {
        String index = schema.sequenceIndexColumn();
        PreparedStatement statement = connection.prepareStatement(
                "SELECT COALESCE(max(" + index + ") - min(" + index + ") + 1, 0) FROM " + schema.deadLetterTable()
                + " WHERE " + schema.processingGroupColumn() + " = ? AND " + schema.sequenceIdentifierColumn() + " = ?");
        statement.setString(1, processingGroup);
        statement.setString(2, sequenceId);
        return statement;
    }
}
