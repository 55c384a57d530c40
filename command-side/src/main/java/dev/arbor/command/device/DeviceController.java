package dev.arbor.command.device;

import dev.arbor.api.common.CommandResult;
import dev.arbor.api.device.RegisterDevice;
import dev.arbor.api.device.RemoveDevice;
import dev.arbor.command.support.CommandDispatcher;
import dev.arbor.command.support.IdGenerator;
import dev.arbor.command.support.QuerySideLinks;
import dev.arbor.platform.web.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * Device commands over HTTP. A device lives in its account's aggregate, so the answer's {@code id} and
 * {@code version} are the account's; {@code Location} names the new device.
 */
@RestController
class DeviceController {

    private final CommandDispatcher commands;
    private final IdGenerator ids;
    private final QuerySideLinks links;

    DeviceController(CommandDispatcher commands, IdGenerator ids, QuerySideLinks links) {
        this.commands = commands;
        this.ids = ids;
        this.links = links;
    }

    record NewDevice(@NotBlank @Size(max = 200) @PlainText String serial,
                     @NotBlank @Size(max = 200) @PlainText String name) {

        NewDevice {
            serial = serial == null ? null : serial.strip();
            name = name == null ? null : name.strip();
        }
    }

    @ResponseStatus(HttpStatus.CREATED) // what the ResponseEntity sets, said where springdoc reads it
    @PostMapping("/api/v1/accounts/{accountId}/devices")
    ResponseEntity<CommandResult> register(@PathVariable UUID accountId, @Valid @RequestBody NewDevice body) {
        UUID deviceId = ids.next();
        CommandResult result = commands.dispatch(new RegisterDevice(accountId, deviceId, body.serial(), body.name()));
        return links.created("/api/v1/devices/" + deviceId, result);
    }

    @DeleteMapping("/api/v1/devices/{deviceId}")
    CommandResult remove(@PathVariable UUID deviceId) {
        return commands.dispatch(new RemoveDevice(deviceId));
    }
}
