package dev.arbor.query.device;

import dev.arbor.query.processing.ProcessingGroups;
import dev.arbor.query.processing.ReadModelWriter;
import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.device.DeviceRemoved;
import dev.arbor.query.processing.Replay;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.replay.ResetContext;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Folds device events into {@code device}: inserting and deleting by id are idempotent by nature. Registrations wait
 * for the batch ({@link ReadModelWriter}); a removal runs after them.
 */
@Component
@ProcessingGroup(ProcessingGroups.PROJECTION)
class DeviceProjection {

    private static final ReadModelWriter.Write REGISTERED = ReadModelWriter.statement("""
            INSERT INTO device (id, serial, name, account_id, registered_at)
            VALUES (:id, :serial, :name, :accountId, :at) ON CONFLICT (id) DO NOTHING""");

    private final ReadModelWriter writer;

    DeviceProjection(ReadModelWriter writer) {
        this.writer = writer;
    }

    @ResetHandler
    void clear(ResetContext<?> reset) {
        if (Replay.fromScratch(reset)) {
            writer.sql("TRUNCATE device").update();
        }
    }

    @EventHandler
    void on(DeviceRegistered event, @Timestamp Instant at) {
        writer.add(ReadModelWriter.Phase.CREATE, REGISTERED,
                       Map.of("id", event.deviceId(), "serial", event.serial(), "name", event.name(),
                              "accountId", event.accountId(), "at", at.atOffset(ZoneOffset.UTC)));
    }

    @EventHandler
    void on(DeviceRemoved event) {
        writer.sql("DELETE FROM device WHERE id = ?").param(event.deviceId()).update();
    }
}
