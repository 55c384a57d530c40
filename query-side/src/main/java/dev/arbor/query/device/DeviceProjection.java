package dev.arbor.query.device;

import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.device.DeviceRemoved;
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

/** Folds device events into {@code device}: inserting and deleting by id are idempotent by nature. */
@Component
@ProcessingGroup(ReadModelPosition.PROJECTION)
class DeviceProjection {

    private final JdbcClient jdbc;

    DeviceProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @ResetHandler
    void clear(ResetContext<?> reset) {
        if (Replay.fromScratch(reset)) {
            jdbc.sql("TRUNCATE device").update();
        }
    }

    @EventHandler
    void on(DeviceRegistered event, @Timestamp Instant at) {
        jdbc.sql("""
                 INSERT INTO device (id, serial, name, account_id, registered_at)
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""")
            .params(event.deviceId(), event.serial(), event.name(), event.accountId(), at.atOffset(ZoneOffset.UTC))
            .update();
    }

    @EventHandler
    void on(DeviceRemoved event) {
        jdbc.sql("DELETE FROM device WHERE id = ?").param(event.deviceId()).update();
    }
}
