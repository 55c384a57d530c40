package dev.arbor.command.account;

import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountReactivated;
import dev.arbor.api.account.ChildAccountRemoved;
import dev.arbor.api.account.ChildAccountRestored;
import dev.arbor.api.account.DeleteAccount;
import dev.arbor.api.account.ReactivateAccount;
import dev.arbor.api.account.UserAttached;
import dev.arbor.api.account.UserDetached;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.user.AddUser;
import dev.arbor.api.user.Permission;
import dev.arbor.api.user.ReactivateUser;
import dev.arbor.api.user.UserAdded;
import dev.arbor.api.user.UserDeactivated;
import dev.arbor.api.user.UserReactivated;
import dev.arbor.command.support.CommandCaller;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static dev.arbor.api.user.Permission.ACCOUNTS_DELETE;
import static dev.arbor.api.user.Permission.USERS_MANAGE;
import static dev.arbor.command.account.TreeEvents.CHILD;
import static dev.arbor.command.account.TreeEvents.GRANDCHILD;
import static dev.arbor.command.account.TreeEvents.ROOT;
import static dev.arbor.command.account.TreeEvents.SIBLING;
import static dev.arbor.command.account.TreeEvents.childCreated;
import static dev.arbor.command.account.TreeEvents.deleted;
import static dev.arbor.command.account.TreeEvents.deviceRegistered;
import static dev.arbor.command.account.TreeEvents.permissionsGranted;
import static dev.arbor.command.account.TreeEvents.reactivated;
import static dev.arbor.command.account.TreeEvents.rootCreated;
import static dev.arbor.command.account.TreeEvents.suspendedByUser;
import static dev.arbor.command.account.TreeEvents.userAdded;
import static dev.arbor.command.account.TreeEvents.userDeactivated;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code DELETE /accounts/{id}?users=deactivate}: the account's active users are deactivated, each as
 * {@code DeactivateUser} does, and the account deleted, in one command; every rule of both still holds.
 */
class AccountDeletionWithUsersTest {

    private static final UUID ANN = UUID.fromString("0191e5b2-0000-7000-8000-0000000000a1");
    private static final UUID BOB = UUID.fromString("0191e5b2-0000-7000-8000-0000000000a2");
    private static final UUID CAROL = UUID.fromString("0191e5b2-0000-7000-8000-0000000000a3");
    private static final DeleteAccount DELETE_WITH_USERS = new DeleteAccount(CHILD, true);

    private AccountTreeFixture fixture = new AccountTreeFixture();

    /** A root of 100 seats with two children: CHILD holding 1, SIBLING none. */
    private static List<Object> tree() {
        return List.of(rootCreated(100), childCreated(ROOT, CHILD, 1), childCreated(ROOT, SIBLING, 0));
    }

    private static Map<String, String> user(Permission... permissions) {
        return CommandCaller.userMetadata(permissions.length == 0 ? Set.of() : EnumSet.copyOf(List.of(permissions)));
    }

    /** What deleting CHILD with ANN and BOB active in it appends. */
    private static List<Object> deletedWithAnnAndBob() {
        return List.of(new UserDetached(CHILD, ROOT, ANN), new UserDeactivated(ANN, ROOT, CHILD),
                       new UserDetached(CHILD, ROOT, BOB), new UserDeactivated(BOB, ROOT, CHILD),
                       new AccountDeleted(CHILD, ROOT, ROOT, 1), new ChildAccountRemoved(ROOT, ROOT, CHILD, 1));
    }

    @Test
    void deactivatesEveryActiveUserInIdOrderThenDeletesTheAccount() {
        fixture.given(tree(), userAdded(BOB, CHILD), userAdded(ANN, CHILD), userAdded(CAROL, CHILD),
                      userDeactivated(CAROL, CHILD), userAdded(UUID.randomUUID(), SIBLING))
               .when(DELETE_WITH_USERS, user(ACCOUNTS_DELETE, USERS_MANAGE))
               .expectResult(CHILD)
               .expectEvents(deletedWithAnnAndBob().toArray());
    }

    @Test
    void deletesAnAccountWithoutUsersAsADeleteWithoutTheParameterWould() {
        fixture.given(tree())
               .when(DELETE_WITH_USERS)
               .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 1), new ChildAccountRemoved(ROOT, ROOT, CHILD, 1));
    }

    @Test
    void withoutTheParameterActiveUsersStillRefuseTheDeletion() {
        fixture.given(tree(), userAdded(ANN, CHILD))
               .when(new DeleteAccount(CHILD), user(ACCOUNTS_DELETE, USERS_MANAGE))
               .expectRejection(ErrorCode.HAS_USERS);
    }

    @Test
    void needsUsersManageBesidesTheDeletePermission() {
        fixture.given(tree(), userAdded(ANN, CHILD))
               .when(DELETE_WITH_USERS, user(ACCOUNTS_DELETE))
               .expectRejection(ErrorCode.PERMISSION_DENIED)
               .expectRejectionMessage("Deleting account " + CHILD + " with its users deactivates them: this needs "
                                       + "the permission USERS_MANAGE too.");
    }

    /** What a request needs does not depend on whether the account happens to have users. */
    @Test
    void needsUsersManageEvenWhenTheAccountHasNoUsers() {
        fixture.given(tree())
               .when(DELETE_WITH_USERS, user(ACCOUNTS_DELETE))
               .expectRejection(ErrorCode.PERMISSION_DENIED);
    }

    /** As deactivating one user does: holding more permissions than the caller does not protect a user from it. */
    @Test
    void deactivatesUsersHoldingPermissionsTheCallerLacks() {
        fixture.given(tree(), userAdded(ANN, CHILD),
                      permissionsGranted(ANN, CHILD, EnumSet.of(Permission.SEATS_MANAGE, Permission.LIMITS_MANAGE)))
               .when(DELETE_WITH_USERS, user(ACCOUNTS_DELETE, USERS_MANAGE))
               .expectEvents(new UserDetached(CHILD, ROOT, ANN), new UserDeactivated(ANN, ROOT, CHILD),
                             new AccountDeleted(CHILD, ROOT, ROOT, 1), new ChildAccountRemoved(ROOT, ROOT, CHILD, 1));
    }

    @Test
    void anAccountWithLiveChildrenKeepsItsUsers() {
        fixture.given(tree(), userAdded(ANN, CHILD), childCreated(CHILD, GRANDCHILD, 0))
               .when(DELETE_WITH_USERS)
               .expectRejection(ErrorCode.HAS_CHILDREN);
    }

    @Test
    void anAccountWithDevicesKeepsItsUsers() {
        fixture.given(tree(), userAdded(ANN, CHILD), deviceRegistered(CHILD, UUID.randomUUID()))
               .when(DELETE_WITH_USERS)
               .expectRejection(ErrorCode.HAS_DEVICES);
    }

    @Test
    void aUserDoesNotDeleteASuspendedAccountWithItsUsers() {
        fixture.given(tree(), userAdded(ANN, CHILD), suspendedByUser(CHILD))
               .when(DELETE_WITH_USERS, user(ACCOUNTS_DELETE, USERS_MANAGE))
               .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
    }

    @Test
    void aRootIsNeverDeleted() {
        fixture.given(tree(), userAdded(ANN, ROOT))
               .when(new DeleteAccount(ROOT, true))
               .expectRejection(ErrorCode.ROOT_ACCOUNT);
    }

    @Test
    void aDeletedAccountIsNotDeletedAgain() {
        fixture.given(tree(), deleted(CHILD, ROOT, 1))
               .when(DELETE_WITH_USERS)
               .expectRejection(ErrorCode.ACCOUNT_DELETED);
    }

    /** The account's own guard: a list of users that leaves an active one out does not get it deleted. */
    @Test
    void theAccountIsNotDeletedWhileAUserTheListLeftOutIsActive() {
        fixture.given(tree(), userAdded(ANN, CHILD), userAdded(BOB, CHILD))
               .whenRule((accounts, users) -> {
                   AccountPair pair = AccountPair.load(accounts, CHILD, ROOT);
                   Account.deleteWithUsers(pair.of(CHILD), pair.of(ROOT),
                                           new dev.arbor.command.user.UserAccountMembers(users)
                                                   .loadActive(CHILD, List.of(ANN)), CommandCaller.ADMIN);
               })
               .expectRejection(ErrorCode.HAS_USERS);
    }

    /**
     * Forced interleaving: a user is added to the account after its users were loaded and before the account was.
     * The account then counts one user more than were found, and the command fails as a conflict (nothing written;
     * the gateway's retry runs it again on fresh state) rather than deleting the account under an active user.
     */
    @Test
    void aUserAddedWhileTheUsersAreLoadedMakesTheDeletionConflict() {
        AtomicReference<AccountTreeFixture> running = new AtomicReference<>();
        fixture = new AccountTreeFixture(real -> (account, candidates) -> {
            List<AccountMembers.Member> loaded = real.loadActive(account, candidates);
            running.get().meanwhile(new AddUser(BOB, CHILD, "bob@example.com", "Bob"));
            return loaded;
        });
        running.set(fixture);

        AccountTreeFixture.Outcome outcome = fixture.given(tree(), userAdded(ANN, CHILD)).when(DELETE_WITH_USERS);

        assertThat(outcome.failure()).isInstanceOf(ConcurrencyException.class);
        assertThat(outcome.events()).containsExactly(new UserAttached(CHILD, ROOT, BOB),
                                                     new UserAdded(BOB, ROOT, CHILD, "bob@example.com", "Bob"));
    }

    @Test
    void theUsersStayDeactivatedWhenTheAccountIsReactivated() {
        fixture.given(tree(), userAdded(ANN, CHILD), userAdded(BOB, CHILD), deletedWithAnnAndBob())
               .when(new ReactivateAccount(CHILD, 0))
               .expectEvents(new AccountReactivated(CHILD, ROOT, ROOT, 0), new ChildAccountRestored(ROOT, ROOT, CHILD, 0));
    }

    @Test
    void aUserOfTheDeletedAccountComesBackOnceTheAccountIsReactivated() {
        fixture.given(tree(), userAdded(ANN, CHILD), userAdded(BOB, CHILD), deletedWithAnnAndBob(),
                      reactivated(CHILD, ROOT, 0))
               .when(new ReactivateUser(ANN), user(USERS_MANAGE))
               .expectEvents(new UserAttached(CHILD, ROOT, ANN), new UserReactivated(ANN, ROOT, CHILD));
    }

    @Test
    void aUserOfTheDeletedAccountDoesNotComeBackBeforeTheAccount() {
        fixture.given(tree(), userAdded(ANN, CHILD), userAdded(BOB, CHILD), deletedWithAnnAndBob())
               .when(new ReactivateUser(ANN), user(USERS_MANAGE))
               .expectRejection(ErrorCode.ACCOUNT_DELETED);
    }
}
