package dev.arbor.api.account;

import org.axonframework.serialization.Revision;

import java.util.UUID;

/** The giving side of a seat move: {@code seats} left this account for {@code toAccountId}. */
@Revision("1")
public record SeatsSent(UUID accountId, UUID rootId, UUID toAccountId, long seats) implements TreeEvent {
}
