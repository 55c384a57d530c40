package dev.arbor.api.device;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Registers a device in an account, where it takes one seat; the serial is unique. */
public record RegisterDevice(@TargetAggregateIdentifier UUID accountId, UUID deviceId, String serial, String name) {
}
