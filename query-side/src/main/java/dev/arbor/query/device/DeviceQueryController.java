package dev.arbor.query.device;

import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.Page;
import dev.arbor.api.common.RuleViolation;
import dev.arbor.api.device.DeviceView;
import dev.arbor.query.access.QueryScope;
import dev.arbor.query.support.AccountScopedLists;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/** Registered devices over HTTP, from {@code device}. */
@RestController
class DeviceQueryController {

    private static final RowMapper<DeviceView> DEVICE = (rs, row) -> new DeviceView(
            rs.getObject("id", UUID.class), rs.getString("serial"), rs.getString("name"),
            rs.getObject("account_id", UUID.class), rs.getTimestamp("registered_at").toInstant());

    private final AccountScopedLists lists;
    private final QueryScope scope;

    DeviceQueryController(AccountScopedLists lists, QueryScope scope) {
        this.lists = lists;
        this.scope = scope;
    }

    @GetMapping("/api/v1/devices/{id}")
    DeviceView device(@PathVariable UUID id) {
        return lists.find(scope.current(), "device", DEVICE, id)
                   .orElseThrow(() -> new RuleViolation(ErrorCode.NOT_FOUND, "No device with id " + id + "."));
    }

    @GetMapping("/api/v1/accounts/{accountId}/devices")
    Page<DeviceView> devicesOf(@PathVariable UUID accountId,
                               @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit,
                               @RequestParam(required = false) String cursor,
                               @RequestParam(defaultValue = "0") @Min(0) int offset) {
        return lists.page(scope.current(), "device", DEVICE, DeviceView::id, accountId, Map.of(), limit, cursor, offset);
    }
}
