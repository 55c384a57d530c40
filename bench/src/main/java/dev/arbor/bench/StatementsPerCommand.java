package dev.arbor.bench;

import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.device.RegisterDevice;
import dev.arbor.command.support.IdGenerator;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The statements each command sends to PostgreSQL (issue #21), counted by {@code pg_stat_statements}: the command
 * side in-process on the database alone, one client, each command sent {@code count} times after as many to warm
 * up, the statistics reset in between. Prints {@code STATEMENTS command total} with the statements per command, and
 * {@code STATEMENT command calls text} for each statement, its calls per command. BEGIN and COMMIT count as
 * statements; BEGIN travels with the statement after it, and a JDBC batch (the append of several events) is one
 * round trip for its statements.
 * <p>
 * Arguments: {@code count aggregate-cache}.
 */
public final class StatementsPerCommand {

    private static final String THIS_DATABASE = "dbid = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private StatementsPerCommand() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        try (ConfigurableApplicationContext app = InProcessCommands.commandNode("--arbor.aggregate-cache=" + args[1]);
             Connection statistics = Datasource.fromEnvironment().connect()) {
            CommandGateway gateway = app.getBean(CommandGateway.class);
            IdGenerator ids = app.getBean(IdGenerator.class);
            UUID org = ids.next();
            UUID child = ids.next();
            InProcessCommands.send(gateway, new CreateRootAccount(org, "statements-org", null, null, 1_000_000_000L));
            InProcessCommands.send(gateway, new CreateChildAccount(org, child, "statements-child", null, null, 0));
            Map<String, Runnable> commands = new LinkedHashMap<>();
            commands.put("CreateChildAccount", () -> InProcessCommands.send(
                    gateway, new CreateChildAccount(org, ids.next(), "c", null, null, 0)));
            commands.put("MoveSeats", () -> InProcessCommands.send(gateway, new MoveSeats(org, child, 1)));
            commands.put("RegisterDevice", () -> {
                UUID device = ids.next();
                InProcessCommands.send(gateway, new RegisterDevice(child, device, device.toString(), "d"));
            });
            for (Map.Entry<String, Runnable> command : commands.entrySet()) {
                repeat(command.getValue(), count);
                reset(statistics);
                repeat(command.getValue(), count);
                print(statistics, command.getKey(), count);
            }
        }
        System.exit(0);
    }

    private static void repeat(Runnable command, int count) {
        for (int i = 0; i < count; i++) {
            command.run();
        }
    }

    private static void reset(Connection statistics) throws SQLException {
        try (Statement sql = statistics.createStatement()) {
            sql.execute("SELECT pg_stat_statements_reset()");
        }
    }

    private static void print(Connection statistics, String command, int count) throws SQLException {
        double total = 0;
        try (PreparedStatement sql = statistics.prepareStatement(
                "SELECT calls, regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements WHERE " + THIS_DATABASE
                + " AND query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC, query");
             ResultSet rows = sql.executeQuery()) {
            while (rows.next()) {
                double perCommand = rows.getLong(1) / (double) count;
                total += perCommand;
                System.out.printf("STATEMENT %s %.2f %s%n", command, perCommand, rows.getString(2));
            }
        }
        System.out.printf("STATEMENTS %s %.2f%n", command, total);
    }
}
