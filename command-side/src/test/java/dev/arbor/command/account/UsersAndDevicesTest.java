package dev.arbor.command.account;

import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.ChildAccountRemoved;
import dev.arbor.api.account.DeleteAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.account.SeatsReceived;
import dev.arbor.api.account.SeatsSent;
import dev.arbor.api.account.UserAttached;
import dev.arbor.api.account.UserDetached;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.device.DeviceRegistered;
import dev.arbor.api.device.DeviceRemoved;
import dev.arbor.api.device.RegisterDevice;
import dev.arbor.api.device.RemoveDevice;
import dev.arbor.api.user.AddUser;
import dev.arbor.api.user.ChangePermissions;
import dev.arbor.api.user.ChangeUserAccount;
import dev.arbor.api.user.DeactivateUser;
import dev.arbor.api.user.PermissionsChanged;
import dev.arbor.api.user.ReactivateUser;
import dev.arbor.api.user.UserAccountChanged;
import dev.arbor.api.user.UserAdded;
import dev.arbor.api.user.UserDeactivated;
import dev.arbor.api.user.UserReactivated;
import dev.arbor.command.support.CommandCaller;
import dev.arbor.command.user.User;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static dev.arbor.api.user.Permission.ACCOUNTS_ADD;
import static dev.arbor.api.user.Permission.ACCOUNTS_DELETE;
import static dev.arbor.api.user.Permission.SEATS_MANAGE;
import static dev.arbor.api.user.Permission.USERS_MANAGE;
import static dev.arbor.command.account.TreeEvents.CHILD;
import static dev.arbor.command.account.TreeEvents.OTHER_ROOT;
import static dev.arbor.command.account.TreeEvents.ROOT;
import static dev.arbor.command.account.TreeEvents.SIBLING;
import static dev.arbor.command.account.TreeEvents.childCreated;
import static dev.arbor.command.account.TreeEvents.deleted;
import static dev.arbor.command.account.TreeEvents.deviceRegistered;
import static dev.arbor.command.account.TreeEvents.otherRootCreated;
import static dev.arbor.command.account.TreeEvents.permissionsGranted;
import static dev.arbor.command.account.TreeEvents.rootCreated;
import static dev.arbor.command.account.TreeEvents.suspendedByUser;
import static dev.arbor.command.account.TreeEvents.userAdded;
import static dev.arbor.command.account.TreeEvents.userDeactivated;

/**
 * The rules between accounts and their users and devices: given the events of the accounts and users involved, when
 * a command, the events it appends or the rule it breaks.
 */
class UsersAndDevicesTest {

    private static final UUID USER = UUID.fromString("0191e5b2-0000-7000-8000-0000000000a1");
    private static final UUID DEVICE = UUID.fromString("0191e5b2-0000-7000-8000-0000000000d1");

    private AccountTreeFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new AccountTreeFixture();
    }

    /** A root of 100 seats with two children: CHILD holding {@code childSeats}, SIBLING none. */
    private static List<Object> tree(long childSeats) {
        return List.of(rootCreated(100), childCreated(ROOT, CHILD, childSeats), childCreated(ROOT, SIBLING, 0));
    }

    private static AddUser addUser(UUID account) {
        return new AddUser(USER, account, "Ann@Example.com", "Ann");
    }

    private static User loaded(Repository<User> users, UUID id) {
        return users.load(id.toString()).invoke(Function.identity());
    }

    private static RegisterDevice registerDevice(UUID id) {
        return new RegisterDevice(CHILD, id, "SN-" + id, "Sensor");
    }

    @Nested
    class Users {

        @Test
        void addingAUserMakesItActiveInItsAccount() {
            fixture.given(tree(1))
                   .when(addUser(CHILD))
                   .expectResult(USER)
                   .expectEvents(new UserAttached(CHILD, ROOT, USER),
                                 new UserAdded(USER, ROOT, CHILD, "Ann@Example.com", "Ann"));
        }

        @Test
        void refusesAUserInASuspendedAccount() {
            fixture.given(tree(1), suspendedByUser(ROOT))
                   .when(addUser(CHILD))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void refusesAUserInADeletedAccount() {
            fixture.given(tree(1), deleted(CHILD, ROOT, 1))
                   .when(addUser(CHILD))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void anAccountWithAnActiveUserIsNotDeleted() {
            fixture.given(tree(1), userAdded(USER, CHILD))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.HAS_USERS)
                   .expectRejectionMessage("Account " + CHILD + " has 1 active users; deactivate or move them first.");
        }

        @Test
        void aDeactivatedUserNoLongerHoldsTheAccount() {
            fixture.given(tree(1), userAdded(USER, CHILD), userDeactivated(USER, CHILD))
                   .when(new DeleteAccount(CHILD))
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 1), new ChildAccountRemoved(ROOT, ROOT, CHILD, 1));
        }

        @Test
        void aUserMovedAwayNoLongerHoldsTheAccount() {
            fixture.given(tree(1), userAdded(USER, CHILD), new UserAttached(SIBLING, ROOT, USER),
                          new UserDetached(CHILD, ROOT, USER), new UserAccountChanged(USER, ROOT, CHILD, SIBLING))
                   .when(new DeleteAccount(CHILD))
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 1), new ChildAccountRemoved(ROOT, ROOT, CHILD, 1));
        }

        @Test
        void grantingPermissionsRecordsWhatChangedAndAllItHolds() {
            fixture.given(tree(1), userAdded(USER, CHILD))
                   .when(new ChangePermissions(USER, Set.of(ACCOUNTS_ADD, SEATS_MANAGE), null))
                   .expectResult(USER)
                   .expectEvents(new PermissionsChanged(USER, ROOT, CHILD, Set.of(ACCOUNTS_ADD, SEATS_MANAGE), Set.of(),
                                                        Set.of(ACCOUNTS_ADD, SEATS_MANAGE)));
        }

        @Test
        void revokingLeavesTheOtherPermissions() {
            fixture.given(tree(1), userAdded(USER, CHILD), permissionsGranted(USER, CHILD, Set.of(ACCOUNTS_ADD, SEATS_MANAGE)))
                   .when(new ChangePermissions(USER, null, Set.of(ACCOUNTS_ADD, USERS_MANAGE)))
                   .expectEvents(new PermissionsChanged(USER, ROOT, CHILD, Set.of(), Set.of(ACCOUNTS_ADD),
                                                        Set.of(SEATS_MANAGE)));
        }

        @Test
        void grantingWhatTheUserHoldsChangesNothing() {
            fixture.given(tree(1), userAdded(USER, CHILD), permissionsGranted(USER, CHILD, Set.of(ACCOUNTS_ADD)))
                   .when(new ChangePermissions(USER, Set.of(ACCOUNTS_ADD), Set.of()))
                   .expectResult(USER)
                   .expectNoEvents();
        }

        @Test
        void refusesGrantingAndRevokingOnePermissionAtOnce() {
            fixture.given(tree(1), userAdded(USER, CHILD))
                   .when(new ChangePermissions(USER, Set.of(ACCOUNTS_ADD), Set.of(ACCOUNTS_ADD)))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void deactivatingDetachesTheUserFromItsAccount() {
            fixture.given(tree(1), userAdded(USER, CHILD))
                   .when(new DeactivateUser(USER))
                   .expectResult(USER)
                   .expectEvents(new UserDetached(CHILD, ROOT, USER), new UserDeactivated(USER, ROOT, CHILD));
        }

        @Test
        void deactivatingTwiceIsANoOp() {
            fixture.given(tree(1), userAdded(USER, CHILD), userDeactivated(USER, CHILD))
                   .when(new DeactivateUser(USER))
                   .expectResult(USER)
                   .expectNoEvents();
        }

        @Test
        void reactivatingAttachesItAgain() {
            fixture.given(tree(1), userAdded(USER, CHILD), userDeactivated(USER, CHILD))
                   .when(new ReactivateUser(USER))
                   .expectResult(USER)
                   .expectEvents(new UserAttached(CHILD, ROOT, USER), new UserReactivated(USER, ROOT, CHILD));
        }

        @Test
        void reactivatingAnActiveUserIsANoOp() {
            fixture.given(tree(1), userAdded(USER, CHILD))
                   .when(new ReactivateUser(USER))
                   .expectResult(USER)
                   .expectNoEvents();
        }

        @Test
        void refusesToReactivateInASuspendedAccount() {
            fixture.given(tree(1), userAdded(USER, CHILD), userDeactivated(USER, CHILD), suspendedByUser(CHILD))
                   .when(new ReactivateUser(USER))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        /** Reactivated, a user holds its permissions again: as much as granting them. */
        @Test
        void aUserDoesNotReactivateAUserHoldingPermissionsItLacks() {
            fixture.given(tree(1), userAdded(USER, CHILD),
                          permissionsGranted(USER, CHILD, Set.of(USERS_MANAGE, ACCOUNTS_DELETE)), userDeactivated(USER, CHILD))
                   .when(new ReactivateUser(USER), CommandCaller.userMetadata(Set.of(USERS_MANAGE)))
                   .expectRejection(ErrorCode.PERMISSION_DENIED)
                   .expectRejectionMessage("User " + USER + " holds permissions you do not (ACCOUNTS_DELETE); "
                                                   + "reactivating it is as much as granting them. Revoke them first, "
                                                   + "or leave it to a user who holds them.");
        }

        @Test
        void aUserReactivatesAUserWhoseEveryPermissionItHolds() {
            fixture.given(tree(1), userAdded(USER, CHILD), permissionsGranted(USER, CHILD, Set.of(USERS_MANAGE)),
                          userDeactivated(USER, CHILD))
                   .when(new ReactivateUser(USER), CommandCaller.userMetadata(Set.of(USERS_MANAGE)))
                   .expectEvents(new UserAttached(CHILD, ROOT, USER), new UserReactivated(USER, ROOT, CHILD));
        }

        @Test
        void changingAccountMovesTheUserBetweenAccounts() {
            fixture.given(tree(1), userAdded(USER, CHILD))
                   .when(new ChangeUserAccount(USER, SIBLING))
                   .expectResult(USER)
                   .expectEvents(new UserAttached(SIBLING, ROOT, USER), new UserDetached(CHILD, ROOT, USER),
                                 new UserAccountChanged(USER, ROOT, CHILD, SIBLING));
        }

        /** Neither account counts an inactive user, so only the user records the move. */
        @Test
        void changingTheAccountOfAnInactiveUserMovesOnlyTheUser() {
            fixture.given(tree(1), userAdded(USER, CHILD), userDeactivated(USER, CHILD))
                   .when(new ChangeUserAccount(USER, SIBLING))
                   .expectEvents(new UserAccountChanged(USER, ROOT, CHILD, SIBLING));
        }

        @Test
        void changingToTheUsersOwnAccountChangesNothing() {
            fixture.given(tree(1), userAdded(USER, CHILD))
                   .when(new ChangeUserAccount(USER, CHILD))
                   .expectResult(USER)
                   .expectNoEvents();
        }

        /**
         * The escalation once found: a user holding USERS_MANAGE alone moved a user holding ACCOUNTS_DELETE as well
         * up from a child into its own account, and had it grant ACCOUNTS_DELETE back.
         */
        @Test
        void aUserDoesNotMoveAUserHoldingPermissionsItLacks() {
            fixture.given(tree(1), userAdded(USER, CHILD),
                          permissionsGranted(USER, CHILD, Set.of(USERS_MANAGE, ACCOUNTS_DELETE)))
                   .when(new ChangeUserAccount(USER, ROOT), CommandCaller.userMetadata(Set.of(USERS_MANAGE)))
                   .expectRejection(ErrorCode.PERMISSION_DENIED)
                   .expectRejectionMessage("User " + USER + " holds permissions you do not (ACCOUNTS_DELETE); moving "
                                                   + "it is as much as granting them. Revoke them first, or leave it "
                                                   + "to a user who holds them.");
        }

        @Test
        void noMoreDownOrSidewaysThanUp() {
            fixture.given(tree(1), userAdded(USER, CHILD), permissionsGranted(USER, CHILD, Set.of(SEATS_MANAGE)))
                   .when(new ChangeUserAccount(USER, SIBLING), CommandCaller.userMetadata(Set.of(USERS_MANAGE)))
                   .expectRejection(ErrorCode.PERMISSION_DENIED);
        }

        @Test
        void aUserMovesAUserWhoseEveryPermissionItHolds() {
            fixture.given(tree(1), userAdded(USER, CHILD), permissionsGranted(USER, CHILD, Set.of(USERS_MANAGE)))
                   .when(new ChangeUserAccount(USER, ROOT), CommandCaller.userMetadata(Set.of(USERS_MANAGE, SEATS_MANAGE)))
                   .expectEvents(new UserAttached(ROOT, ROOT, USER), new UserDetached(CHILD, ROOT, USER),
                                 new UserAccountChanged(USER, ROOT, CHILD, ROOT));
        }

        @Test
        void theAdminMovesAUserHoldingAnyPermissions() {
            fixture.given(tree(1), userAdded(USER, CHILD),
                          permissionsGranted(USER, CHILD, Set.of(ACCOUNTS_ADD, SEATS_MANAGE)))
                   .when(new ChangeUserAccount(USER, ROOT), CommandCaller.adminMetadata())
                   .expectEvents(new UserAttached(ROOT, ROOT, USER), new UserDetached(CHILD, ROOT, USER),
                                 new UserAccountChanged(USER, ROOT, CHILD, ROOT));
        }

        /** Moved out of a suspended account, a user would act again: the suspension lifted for it by the mover. */
        @Test
        void aUserDoesNotMoveAUserOutFromUnderASuspension() {
            fixture.given(tree(1), userAdded(USER, CHILD), suspendedByUser(CHILD))
                   .when(new ChangeUserAccount(USER, SIBLING), CommandCaller.userMetadata(Set.of(USERS_MANAGE)))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void theAdminMovesAUserOutFromUnderASuspension() {
            fixture.given(tree(1), userAdded(USER, CHILD), suspendedByUser(CHILD))
                   .when(new ChangeUserAccount(USER, SIBLING), CommandCaller.adminMetadata())
                   .expectEvents(new UserAttached(SIBLING, ROOT, USER), new UserDetached(CHILD, ROOT, USER),
                                 new UserAccountChanged(USER, ROOT, CHILD, SIBLING));
        }

        @Test
        void refusesASuspendedTargetAccount() {
            fixture.given(tree(1), userAdded(USER, CHILD), suspendedByUser(SIBLING))
                   .when(new ChangeUserAccount(USER, SIBLING))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void refusesASuspendedTargetAccountForAnInactiveUserToo() {
            fixture.given(tree(1), userAdded(USER, CHILD), userDeactivated(USER, CHILD), suspendedByUser(SIBLING))
                   .when(new ChangeUserAccount(USER, SIBLING))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void refusesADeletedTargetAccount() {
            fixture.given(tree(1), userAdded(USER, CHILD), deleted(SIBLING, ROOT, 0))
                   .when(new ChangeUserAccount(USER, SIBLING))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesAnAccountOfAnotherOrganization() {
            fixture.given(tree(1), userAdded(USER, CHILD), otherRootCreated())
                   .when(new ChangeUserAccount(USER, OTHER_ROOT))
                   .expectRejection(ErrorCode.DIFFERENT_ROOT);
        }

        /** 'İ' is one character, and two in lower case: an email within 320 characters can exceed them there. */
        @Test
        void refusesAnEmailLongerThanItsColumnInLowerCase() {
            String email = "\u0130".repeat(64) + "@" + "a".repeat(240) + ".example";
            fixture.given(tree(1))
                   .when(new AddUser(USER, CHILD, email, "Ann"))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void acceptsAnEmailOf320CharactersInLowerCase() {
            String email = "a".repeat(64) + "@" + "b".repeat(247) + ".example";
            fixture.given(tree(1))
                   .when(new AddUser(USER, CHILD, email, "Ann"))
                   .expectEvents(new UserAttached(CHILD, ROOT, USER), new UserAdded(USER, ROOT, CHILD, email, "Ann"));
        }

        @Test
        void refusesAnUnknownAccount() {
            fixture.givenNoPriorActivity()
                   .when(addUser(CHILD))
                   .expectFailure(AggregateNotFoundException.class);
        }

        /** The account counts its active users; the user rules check the user itself, not only its id. */
        @Test
        void anAccountDoesNotReleaseAUserThatIsNotActive() {
            fixture.given(tree(1), userAdded(USER, CHILD), userDeactivated(USER, CHILD))
                   .whenRule((accounts, users) -> accounts.load(CHILD.toString())
                           .execute(account -> account.releaseUser(loaded(users, USER))))
                   .expectFailure(IllegalStateException.class);
        }

        @Test
        void anAccountDoesNotReleaseAUserOfAnotherAccount() {
            fixture.given(tree(1), userAdded(USER, CHILD))
                   .whenRule((accounts, users) -> accounts.load(SIBLING.toString())
                           .execute(account -> account.releaseUser(loaded(users, USER))))
                   .expectFailure(IllegalStateException.class);
        }

        @Test
        void anAccountDoesNotReadmitAUserThatIsActive() {
            fixture.given(tree(1), userAdded(USER, CHILD))
                   .whenRule((accounts, users) -> accounts.load(CHILD.toString())
                           .execute(account -> account.readmitUser(loaded(users, USER), null)))
                   .expectFailure(IllegalStateException.class);
        }

        @Test
        void refusesAnUnknownUser() {
            fixture.given(tree(1))
                   .when(new DeactivateUser(USER))
                   .expectFailure(AggregateNotFoundException.class);
        }
    }

    @Nested
    class Devices {

        @Test
        void aDeviceTakesASeat() {
            fixture.given(tree(1))
                   .when(registerDevice(DEVICE))
                   .expectResult(CHILD)
                   .expectEvents(new DeviceRegistered(CHILD, ROOT, DEVICE, "SN-" + DEVICE, "Sensor"));
        }

        @Test
        void refusesADeviceWithoutAFreeSeat() {
            fixture.given(tree(1), deviceRegistered(CHILD, DEVICE))
                   .when(registerDevice(UUID.randomUUID()))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS);
        }

        @Test
        void seatsInUseCannotBeMovedAway() {
            fixture.given(tree(2), deviceRegistered(CHILD, DEVICE))
                   .when(new MoveSeats(CHILD, ROOT, 2))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS);
        }

        @Test
        void freeSeatsBesideDevicesCanBeMoved() {
            fixture.given(tree(2), deviceRegistered(CHILD, DEVICE))
                   .when(new MoveSeats(CHILD, ROOT, 1))
                   .expectEvents(new SeatsSent(CHILD, ROOT, ROOT, 1), new SeatsReceived(ROOT, ROOT, CHILD, 1));
        }

        @Test
        void refusesASerialThatAnotherDeviceHas() {
            fixture.given(tree(2), deviceRegistered(CHILD, DEVICE))
                   .when(new RegisterDevice(CHILD, UUID.randomUUID(), "SN-" + DEVICE, "Sensor"))
                   .expectRejection(ErrorCode.DUPLICATE_SERIAL);
        }

        @Test
        void refusesADeviceInASuspendedAccount() {
            fixture.given(tree(1), suspendedByUser(CHILD))
                   .when(registerDevice(DEVICE))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void refusesADeviceInADeletedAccount() {
            fixture.given(tree(1), deleted(CHILD, ROOT, 1))
                   .when(registerDevice(DEVICE))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesADeviceInAnUnknownAccount() {
            fixture.givenNoPriorActivity()
                   .when(registerDevice(DEVICE))
                   .expectFailure(AggregateNotFoundException.class);
        }

        @Test
        void anAccountWithDevicesIsNotDeleted() {
            fixture.given(tree(1), deviceRegistered(CHILD, DEVICE))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.HAS_DEVICES)
                   .expectRejectionMessage("Account " + CHILD + " has 1 devices; remove them first.");
        }

        @Test
        void anAccountWhoseDevicesAreRemovedIsDeleted() {
            fixture.given(tree(1), deviceRegistered(CHILD, DEVICE), new DeviceRemoved(CHILD, ROOT, DEVICE))
                   .when(new DeleteAccount(CHILD))
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 1), new ChildAccountRemoved(ROOT, ROOT, CHILD, 1));
        }

        @Test
        void removingADeviceFreesItsSeat() {
            UUID another = UUID.randomUUID();
            fixture.given(tree(1), deviceRegistered(CHILD, DEVICE), new DeviceRemoved(CHILD, ROOT, DEVICE))
                   .when(registerDevice(another))
                   .expectResult(CHILD)
                   .expectEvents(new DeviceRegistered(CHILD, ROOT, another, "SN-" + another, "Sensor"));
        }

        @Test
        void removesTheDeviceFromItsAccount() {
            fixture.given(tree(1), deviceRegistered(CHILD, DEVICE))
                   .when(new RemoveDevice(DEVICE))
                   .expectResult(CHILD)
                   .expectEvents(new DeviceRemoved(CHILD, ROOT, DEVICE));
        }

        @Test
        void refusesADeviceAlreadyRemoved() {
            fixture.given(tree(1), deviceRegistered(CHILD, DEVICE), new DeviceRemoved(CHILD, ROOT, DEVICE))
                   .when(new RemoveDevice(DEVICE))
                   .expectFailure(AggregateNotFoundException.class);
        }

        @Test
        void refusesAnUnknownDevice() {
            fixture.given(tree(1))
                   .when(new RemoveDevice(DEVICE))
                   .expectFailure(AggregateNotFoundException.class);
        }
    }
}
