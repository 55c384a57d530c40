package dev.arbor.bench.crud;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.platform.security.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/**
 * The benchmark's commands at the paths and with the bodies of Arbor's command side, so that one client drives both.
 * Only the platform admin calls them: the benchmark measures the admin's path, and a user's standing would need the
 * users Arbor keeps, which the peer does not model.
 */
@RestController
@RequestMapping("/api/v1/accounts")
class CrudController {

    record NewAccount(String name, long seats) {
    }

    record SeatTransfer(UUID to, long seats) {
    }

    record NewDevice(String serial, String name) {
    }

    private final CrudAccounts accounts;

    CrudController(CrudAccounts accounts) {
        this.accounts = accounts;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, UUID> createOrganization(@RequestBody NewAccount body) {
        return Map.of("id", accounts.createOrganization(required(body.name(), "name"), body.seats(), admin()));
    }

    @PostMapping("/{id}/children")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, UUID> createChild(@PathVariable UUID id, @RequestBody NewAccount body) {
        return Map.of("id", accounts.createChild(id, required(body.name(), "name"), body.seats(), admin()));
    }

    @PostMapping("/{id}/seat-transfers")
    Map<String, UUID> moveSeats(@PathVariable UUID id, @RequestBody SeatTransfer body) {
        if (body.to() == null) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED, "to is required.");
        }
        accounts.moveSeats(id, body.to(), body.seats(), admin());
        return Map.of("id", id);
    }

    @PostMapping("/{id}/devices")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, UUID> registerDevice(@PathVariable UUID id, @RequestBody NewDevice body) {
        return Map.of("id", accounts.registerDevice(id, required(body.serial(), "serial"),
                                                    required(body.name(), "name"), admin()));
    }

    private static String admin() {
        if (!(Caller.current() instanceof Caller.Admin admin)) {
            throw new RuleViolation(ErrorCode.PERMISSION_DENIED, "The CRUD peer takes the platform admin only.");
        }
        return admin.actor();
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank() || value.length() > 200) {
            throw new RuleViolation(ErrorCode.VALIDATION_FAILED, field + " is required, at most 200 characters.");
        }
        return value;
    }
}
