package dev.arbor.bench;

import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.common.EventMetadata;
import dev.arbor.api.device.RegisterDevice;
import dev.arbor.command.CommandSideApplication;
import dev.arbor.command.support.CommandMetadata;
import dev.arbor.command.support.IdGenerator;
import dev.arbor.platform.ArborApplication;
import dev.arbor.platform.security.Caller;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Commands in-process: the command side's own Spring context, without HTTP, its command gateway driven by the
 * load generator in the same JVM. {@link Benchmark} runs it as a separate process from the command side's runnable
 * jar (Spring Boot's PropertiesLauncher, with the benchmark's classes added to the class path), so the command side
 * runs exactly as packaged. Prints one {@code RESULT operation clients perSecond p50 p99 errors} line per run, and
 * one {@code CPU operation clients <text>} line per operation and client count ({@link CpuUse}).
 * <p>
 * Arguments: {@code runs seconds warm-up-seconds jit-warm-up-seconds query-side-pid clients...}.
 */
public final class InProcessCommands {

    private InProcessCommands() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[1]));
        Duration warmUp = Duration.ofSeconds(Long.parseLong(args[2]));
        Duration jitWarmUp = Duration.ofSeconds(Long.parseLong(args[3]));
        CpuUse cpu = CpuUse.of("in-process node", ProcessHandle.current(),
                               "query side", ProcessHandle.of(Long.parseLong(args[4])).orElseThrow());
        try (ConfigurableApplicationContext app = commandNode()) {
            CommandGateway gateway = app.getBean(CommandGateway.class);
            IdGenerator ids = app.getBean(IdGenerator.class);
            for (int a = 5; a < args.length; a++) {
                Duration firstOnly = a == 5 ? jitWarmUp : Duration.ZERO;
                measure(gateway, ids, Integer.parseInt(args[a]), runs, duration, warmUp, firstOnly, cpu);
            }
        }
        System.exit(0);
    }

    private static void measure(CommandGateway gateway, IdGenerator ids, int clients, int runs, Duration duration,
                                Duration warmUp, Duration jitWarmUp, CpuUse cpu) throws Exception {
        UUID[] orgs = new UUID[clients];
        UUID[] children = new UUID[clients];
        for (int c = 0; c < clients; c++) {
            orgs[c] = ids.next();
            children[c] = ids.next();
            send(gateway, new CreateRootAccount(orgs[c], "in-process-org-" + c, null, null, 1_000_000_000L));
            send(gateway, new CreateChildAccount(orgs[c], children[c], "in-process-child-" + c, null, null,
                                                 100_000_000L));
        }
        AtomicLong serials = new AtomicLong();
        Map<String, Load.Operation> operations = new LinkedHashMap<>();
        operations.put("CreateChildAccount", client -> send(gateway, new CreateChildAccount(
                children[client], ids.next(), "c", null, null, 0)));
        operations.put("MoveSeats", client -> send(gateway, new MoveSeats(orgs[client], children[client], 1)));
        operations.put("RegisterDevice", client -> send(gateway, new RegisterDevice(
                orgs[client], ids.next(), "in-process-sn-" + clients + "-" + serials.incrementAndGet(), "d")));
        Load.warmUpJit(jitWarmUp, clients, operations.values());
        for (Map.Entry<String, Load.Operation> operation : operations.entrySet()) {
            Load.measure(operation.getKey(), clients, runs, duration, warmUp, operation.getValue(), cpu);
        }
    }

    /** The command side's Spring context as its jar runs it, with {@code settings}; its HTTP port is any free one. */
    static ConfigurableApplicationContext commandNode(String... settings) {
        return ArborApplication.builder(CommandSideApplication.class, CommandSideApplication.CONFIG_NAME)
                               .run(Stream.concat(Stream.of("--server.port=0"), Arrays.stream(settings))
                                          .toArray(String[]::new));
    }

    /** As the platform admin, the way the REST layer sends it for an admin's request. */
    static void send(CommandGateway gateway, Object command) {
        gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(MetaData.from(Map.of(
                EventMetadata.ACTOR, "bench", CommandMetadata.CALLER_ROLE, Caller.ADMIN))), 30, TimeUnit.SECONDS);
    }
}
