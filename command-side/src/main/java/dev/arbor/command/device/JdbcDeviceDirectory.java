package dev.arbor.command.device;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.device.DeviceRemoved;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/**
 * {@link DeviceDirectory} in {@code command_lookup.device}, written in the command's transaction. Its unique serial
 * column keeps serials unique among registered devices, whatever the concurrency; a removed device frees its serial.
 */
@Component
class JdbcDeviceDirectory implements DeviceDirectory {

    private final JdbcClient jdbc;

    JdbcDeviceDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<UUID> accountOf(UUID deviceId) {
        return jdbc.sql("SELECT account_id FROM command_lookup.device WHERE id = ?")
                   .param(deviceId).query(UUID.class).optional();
    }

    @EventHandler
    void on(DeviceRegistered event) {
        try {
            jdbc.sql("INSERT INTO command_lookup.device (id, serial, account_id) VALUES (?, ?, ?)")
                .params(event.deviceId(), event.serial(), event.accountId())
                .update();
        } catch (DuplicateKeyException taken) {
            throw new RuleViolation(ErrorCode.DUPLICATE_SERIAL,
                                    "Another device already has the serial '" + event.serial() + "'.");
        }
    }

    @EventHandler
    void on(DeviceRemoved event) {
        jdbc.sql("DELETE FROM command_lookup.device WHERE id = ?").param(event.deviceId()).update();
    }
}
