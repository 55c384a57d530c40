package dev.arbor.command.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.command.CommandSideTest;
import dev.arbor.command.support.CommandSideClient;
import dev.arbor.command.user.UserAccountMembers;
import dev.arbor.local.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static dev.arbor.command.support.CommandSideClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DELETE /api/v1/accounts/{id}?users=deactivate} over HTTP against PostgreSQL (seed 003: deleting an account
 * deactivates its users, and they are brought back one by one once the account is).
 */
@CommandSideTest
@Import(AccountDeletionWithUsersHttpTest.Interleaving.class)
class AccountDeletionWithUsersHttpTest {

    /** Run once, on the command's thread, once its users are loaded and before its accounts are. */
    private static final AtomicReference<Runnable> WHILE_USERS_LOADED = new AtomicReference<>();

    private final CommandSideClient api;
    private final JdbcClient jdbc;

    @Autowired
    AccountDeletionWithUsersHttpTest(TestRestTemplate http, JdbcClient jdbc) {
        this.api = new CommandSideClient(http, jdbc);
        this.jdbc = jdbc;
    }

    @TestConfiguration
    static class Interleaving {

        @Bean
        @Primary
        AccountMembers interleavedMembers(UserAccountMembers members) {
            return (account, candidates) -> {
                List<AccountMembers.Member> loaded = members.loadActive(account, candidates);
                Runnable meanwhile = WHILE_USERS_LOADED.getAndSet(null);
                if (meanwhile != null) {
                    meanwhile.run();
                }
                return loaded;
            };
        }
    }

    @Test
    void deactivatesTheUsersAndDeletesTheAccountInOneCommand() {
        String root = api.create("/api/v1/accounts", 10);
        String child = api.create("/api/v1/accounts/" + root + "/children", 3);
        String ann = user(child);
        String bob = user(child);
        String manager = user(root);
        grant(manager, "ACCOUNTS_DELETE");
        String path = "/api/v1/accounts/" + child;

        assertProblem(as(manager, path), 409, "HAS_USERS");
        assertProblem(as(manager, path + "?users=deactivate"), 403, "PERMISSION_DENIED");
        assertProblem(as(manager, path + "?users=keep"), 400, "VALIDATION_FAILED");
        assertThat(active(ann)).isTrue();
        grant(manager, "USERS_MANAGE");
        long before = api.eventCount();

        ResponseEntity<JsonNode> deleted = as(manager, path + "?users=deactivate");

        assertThat(deleted.getStatusCode().value()).isEqualTo(200);
        assertThat(deleted.getBody().get("id").asText()).isEqualTo(child);
        assertThat(api.eventCount() - before).as("two events per user, two for the deletion").isEqualTo(6);
        assertThat(api.eventAt(deleted.getBody().get("position").asLong()))
                .isEqualTo(root + "#3 dev.arbor.api.account.ChildAccountRemoved");
        assertThat(active(ann)).isFalse();
        assertThat(active(bob)).isFalse();
        assertThat(deletedInDirectory(child)).isTrue();
        assertProblem(api.send(HttpMethod.POST, "/api/v1/accounts/" + child + "/devices",
                               "{\"serial\": \"" + UUID.randomUUID() + "\", \"name\": \"D\"}",
                               bearer(TestTokens.user(UUID.fromString(ann)))), 403, "USER_DEACTIVATED");
    }

    /** README: reactivate the account, then each user; a user does not come back before its account. */
    @Test
    void theUsersComeBackOneByOneOnceTheAccountIsReactivated() {
        String root = api.create("/api/v1/accounts", 10);
        String child = api.create("/api/v1/accounts/" + root + "/children", 3);
        String ann = user(child);
        String bob = user(child);
        assertThat(api.send(HttpMethod.DELETE, "/api/v1/accounts/" + child + "?users=deactivate", null)
                      .getStatusCode().value()).isEqualTo(200);

        assertProblem(api.send(HttpMethod.POST, "/api/v1/users/" + ann + "/reactivate", null), 409, "ACCOUNT_DELETED");
        assertThat(api.send(HttpMethod.POST, "/api/v1/accounts/" + child + "/reactivate", "{\"seats\": 3}")
                      .getStatusCode().value()).isEqualTo(200);
        assertThat(active(ann)).as("reactivating the account brings no user back").isFalse();
        assertThat(api.send(HttpMethod.POST, "/api/v1/users/" + ann + "/reactivate", null).getStatusCode().value())
                .isEqualTo(200);

        assertThat(active(ann)).isTrue();
        assertThat(active(bob)).isFalse();
        assertProblem(api.send(HttpMethod.DELETE, "/api/v1/accounts/" + child, null), 409, "HAS_USERS");
    }

    /**
     * Forced interleaving: another request adds a user to the account, and commits, after the deletion loaded the
     * users it found and before it loaded the account. The deletion conflicts, is retried on fresh state, and
     * deactivates the new user too: no user is left active in a deleted account.
     */
    @Test
    void aUserAddedWhileTheDeletionRunsIsDeactivatedWithTheOthers() {
        String root = api.create("/api/v1/accounts", 10);
        String child = api.create("/api/v1/accounts/" + root + "/children", 0);
        String ann = user(child);
        AtomicReference<String> added = new AtomicReference<>();
        WHILE_USERS_LOADED.set(() -> added.set(CompletableFuture.supplyAsync(() -> user(child)).join()));

        ResponseEntity<JsonNode> deleted = api.send(HttpMethod.DELETE, "/api/v1/accounts/" + child
                                                                       + "?users=deactivate", null);

        assertThat(deleted.getStatusCode().value()).isEqualTo(200);
        assertThat(added.get()).as("the user added meanwhile").isNotNull();
        assertThat(active(ann)).isFalse();
        assertThat(active(added.get())).isFalse();
        assertThat(deletedInDirectory(child)).isTrue();
    }

    private String user(String account) {
        return api.send(HttpMethod.POST, "/api/v1/accounts/" + account + "/users",
                        "{\"email\": \"u-" + UUID.randomUUID() + "@example.com\", \"name\": \"U\"}")
                  .getBody().get("id").asText();
    }

    private void grant(String user, String permission) {
        assertThat(api.send(HttpMethod.POST, "/api/v1/users/" + user + "/permissions",
                            "{\"grant\": [\"" + permission + "\"]}").getStatusCode().value()).isEqualTo(200);
    }

    private ResponseEntity<JsonNode> as(String user, String deletion) {
        return api.send(HttpMethod.DELETE, deletion, null, bearer(TestTokens.user(UUID.fromString(user))));
    }

    private static HttpHeaders bearer(String token) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(token);
        return headers;
    }

    private boolean active(String user) {
        return jdbc.sql("SELECT active FROM command_lookup.app_user WHERE id = ?::uuid")
                   .param(user).query(Boolean.class).single();
    }

    private boolean deletedInDirectory(String account) {
        return jdbc.sql("SELECT deleted FROM command_lookup.account_node WHERE id = ?::uuid")
                   .param(account).query(Boolean.class).single();
    }
}
