package dev.arbor.query.device;

import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.device.DeviceRemoved;
import dev.arbor.query.processing.BatchedStatements;
import dev.arbor.query.processing.ReadModelPosition;
import dev.arbor.query.processing.Replay;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.replay.ResetContext;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Folds device events into {@code device}: inserting and deleting by id are idempotent by nature. Registrations wait
 * for the batch ({@link BatchedStatements}); a removal runs after them.
 */
@Component
@ProcessingGroup(ReadModelPosition.PROJECTION)
class DeviceProjection {

    private static final BatchedStatements.Write REGISTERED = BatchedStatements.statement("""
            INSERT INTO device (id, serial, name, account_id, registered_at)
            VALUES (:id, :serial, :name, :accountId, :at) ON CONFLICT (id) DO NOTHING""");

    private final JdbcClient jdbc;
    private final BatchedStatements statements;

    DeviceProjection(JdbcClient jdbc, BatchedStatements statements) {
        this.jdbc = jdbc;
        this.statements = statements;
    }

    @ResetHandler
    void clear(ResetContext<?> reset) {
        if (Replay.fromScratch(reset)) {
            jdbc.sql("TRUNCATE device").update();
        }
    }

    @EventHandler
    void on(DeviceRegistered event, @Timestamp Instant at) {
        statements.add(BatchedStatements.Phase.CREATE, REGISTERED,
                       Map.of("id", event.deviceId(), "serial", event.serial(), "name", event.name(),
                              "accountId", event.accountId(), "at", at.atOffset(ZoneOffset.UTC)));
    }

    @EventHandler
    void on(DeviceRemoved event) {
        statements.flush();
        jdbc.sql("DELETE FROM device WHERE id = ?").param(event.deviceId()).update();
    }
}
