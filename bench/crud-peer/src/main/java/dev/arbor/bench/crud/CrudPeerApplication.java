package dev.arbor.bench.crud;

import dev.arbor.platform.ArborApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * What Arbor's users would build instead of it, for the benchmark to compare with: create child, move seats and
 * register device as one JDBC transaction each that checks the rules, updates the rows and writes one audit row,
 * behind Arbor's own security filter chain and web configuration (the platform module). It has no event store: Axon
 * stays off its class path but for the exceptions the platform's problem responses name.
 */
@SpringBootApplication(excludeName = "dev.arbor.platform.eventstore.EventStoreConfiguration")
public class CrudPeerApplication {

    public static void main(String[] args) {
        ArborApplication.builder(CrudPeerApplication.class, "crud-peer").run(args);
    }
}
