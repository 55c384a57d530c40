package dev.arbor.platform.eventstore;

import dev.arbor.api.account.AccountCreated;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** The oldest {@code AccountCreated} in a store still reads as today's event. */
class AccountCreatedUpcasterTest {

    private static final UUID ROOT = UUID.fromString("0191e5b2-0000-7000-8000-000000000001");

    private final Serializer serializer = JacksonSerializer.defaultSerializer();

    @Test
    void revisionOneBeforeLimitsExistedReadsWithItsSeatsAsInitialSeatsAndNoLimits() {
        String revisionOne = """
                {"accountId":"%s","rootId":"%s","parentId":null,"name":"Acme","description":null,\
                "externalId":null,"seats":12}""".formatted(ROOT, ROOT);

        AccountCreated event = read(revisionOne, "1");

        assertThat(event).isEqualTo(new AccountCreated(ROOT, ROOT, null, "Acme", null, null, 12, Map.of()));
    }

    @Test
    void revisionTwoPassesUnchanged() {
        String revisionTwo = """
                {"accountId":"%s","rootId":"%s","parentId":null,"name":"Acme","description":null,\
                "externalId":null,"initialSeats":12,"limits":{"maxVMs":3}}""".formatted(ROOT, ROOT);

        AccountCreated event = read(revisionTwo, "2");

        assertThat(event).isEqualTo(new AccountCreated(ROOT, ROOT, null, "Acme", null, null, 12, Map.of("maxVMs", 3)));
    }

    @Test
    void revisionTwoWrittenBeforeLabelsReadsWithoutOne() {
        String beforeLabels = """
                {"accountId":"%s","rootId":"%s","parentId":null,"name":"Acme","description":null,\
                "externalId":null,"initialSeats":12,"limits":{}}""".formatted(ROOT, ROOT);

        AccountCreated event = read(beforeLabels, "2");

        assertThat(event.label()).isNull();
        assertThat(event).isEqualTo(new AccountCreated(ROOT, ROOT, null, "Acme", null, null, null, 12, Map.of()));
    }

    private AccountCreated read(String payload, String revision) {
        GenericDomainEventEntry<byte[]> stored = new GenericDomainEventEntry<>(
                "Account", ROOT.toString(), 0, UUID.randomUUID().toString(), Instant.now(),
                AccountCreated.class.getName(), revision, payload.getBytes(UTF_8), "{}".getBytes(UTF_8));
        IntermediateEventRepresentation upcast = new AccountCreatedUpcaster()
                .upcast(Stream.of(new InitialEventRepresentation(stored, serializer)))
                .findFirst().orElseThrow();
        return serializer.deserialize(upcast.getData());
    }
}
