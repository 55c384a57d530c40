package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The receiving side of a seat move: {@code seats} arrived from {@code fromAccountId}. */
@Revision("1")
public record SeatsReceived(UUID accountId, UUID rootId, UUID fromAccountId, long seats) implements TreeEvent {
}
