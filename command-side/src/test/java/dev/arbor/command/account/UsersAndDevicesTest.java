package dev.arbor.command.account;

import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.ChildAccountRemoved;
import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.account.DeleteAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.account.SeatsReceived;
import dev.arbor.api.account.SeatsSent;
import dev.arbor.api.account.SuspendAccount;
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
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;

import static dev.arbor.api.user.Permission.ACCOUNTS_ADD;
import static dev.arbor.api.user.Permission.ACCOUNTS_DELETE;
import static dev.arbor.api.user.Permission.SEATS_MANAGE;
import static dev.arbor.api.user.Permission.USERS_MANAGE;
import static dev.arbor.command.account.AccountTest.CHILD;
import static dev.arbor.command.account.AccountTest.ROOT;

/** The rules between accounts and their users and devices. */
class UsersAndDevicesTest {

    private static final UUID SIBLING = UUID.fromString("0191e5b2-0000-7000-8000-000000000003");
    private static final UUID USER = UUID.fromString("0191e5b2-0000-7000-8000-0000000000a1");
    private static final UUID DEVICE = UUID.fromString("0191e5b2-0000-7000-8000-0000000000d1");

    private AccountTreeFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new AccountTreeFixture();
    }

    private static Object[] tree(long childSeats) {
        return new Object[]{new CreateRootAccount(ROOT, "Acme", null, null, 100),
                new CreateChildAccount(ROOT, CHILD, "EU", null, null, childSeats),
                new CreateChildAccount(ROOT, SIBLING, "US", null, null, 0)};
    }

    private static AddUser addUser(UUID account) {
        return new AddUser(USER, account, "Ann@Example.com", "Ann");
    }

    private static RegisterDevice registerDevice(UUID id) {
        return new RegisterDevice(CHILD, id, "SN-" + id, "Sensor");
    }

    @Nested
    class Users {

        @Test
        void addingAUserMakesItActiveInItsAccount() {
            fixture.givenCommands(tree(1))
                   .when(addUser(CHILD))
                   .expectResult(USER)
                   .expectEvents(new UserAttached(CHILD, ROOT, USER),
                                 new UserAdded(USER, ROOT, CHILD, "Ann@Example.com", "Ann"));
        }

        @Test
        void refusesAUserInASuspendedAccount() {
            fixture.givenCommands(tree(1)).givenCommands(new SuspendAccount(ROOT, null))
                   .when(addUser(CHILD))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void refusesAUserInADeletedAccount() {
            fixture.givenCommands(tree(1)).givenCommands(new DeleteAccount(CHILD))
                   .when(addUser(CHILD))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void anAccountWithAnActiveUserIsNotDeleted() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.HAS_USERS);
        }

        @Test
        void aDeactivatedUserNoLongerHoldsTheAccount() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD), new DeactivateUser(USER))
                   .when(new DeleteAccount(CHILD))
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 1), new ChildAccountRemoved(ROOT, ROOT, CHILD, 1));
        }

        @Test
        void grantingPermissionsRecordsWhatChangedAndAllItHolds() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD))
                   .when(new ChangePermissions(USER, Set.of(ACCOUNTS_ADD, SEATS_MANAGE), null))
                   .expectResult(USER)
                   .expectEvents(new PermissionsChanged(USER, ROOT, CHILD, Set.of(ACCOUNTS_ADD, SEATS_MANAGE), Set.of(),
                                                        Set.of(ACCOUNTS_ADD, SEATS_MANAGE)));
        }

        @Test
        void revokingLeavesTheOtherPermissions() {
            fixture.givenCommands(tree(1))
                   .givenCommands(addUser(CHILD), new ChangePermissions(USER, Set.of(ACCOUNTS_ADD, SEATS_MANAGE), null))
                   .when(new ChangePermissions(USER, null, Set.of(ACCOUNTS_ADD, USERS_MANAGE)))
                   .expectEvents(new PermissionsChanged(USER, ROOT, CHILD, Set.of(), Set.of(ACCOUNTS_ADD),
                                                        Set.of(SEATS_MANAGE)));
        }

        @Test
        void grantingWhatTheUserHoldsChangesNothing() {
            fixture.givenCommands(tree(1))
                   .givenCommands(addUser(CHILD), new ChangePermissions(USER, Set.of(ACCOUNTS_ADD), null))
                   .when(new ChangePermissions(USER, Set.of(ACCOUNTS_ADD), Set.of()))
                   .expectResult(USER)
                   .expectNoEvents();
        }

        @Test
        void refusesGrantingAndRevokingOnePermissionAtOnce() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD))
                   .when(new ChangePermissions(USER, Set.of(ACCOUNTS_ADD), Set.of(ACCOUNTS_ADD)))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void deactivatingTwiceIsANoOp() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD), new DeactivateUser(USER))
                   .when(new DeactivateUser(USER))
                   .expectResult(USER)
                   .expectNoEvents();
        }

        @Test
        void deactivatingDetachesTheUserFromItsAccount() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD))
                   .when(new DeactivateUser(USER))
                   .expectEvents(new UserDeactivated(USER, ROOT, CHILD), new UserDetached(CHILD, ROOT, USER));
        }

        @Test
        void reactivatingAttachesItAgain() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD), new DeactivateUser(USER))
                   .when(new ReactivateUser(USER))
                   .expectEvents(new UserAttached(CHILD, ROOT, USER), new UserReactivated(USER, ROOT, CHILD));
        }

        @Test
        void refusesToReactivateInASuspendedAccount() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD), new DeactivateUser(USER),
                                                         new SuspendAccount(CHILD, null))
                   .when(new ReactivateUser(USER))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void changingAccountMovesTheUserBetweenAccounts() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD))
                   .when(new ChangeUserAccount(USER, SIBLING))
                   .expectEvents(new UserAttached(SIBLING, ROOT, USER), new UserDetached(CHILD, ROOT, USER),
                                 new UserAccountChanged(USER, ROOT, CHILD, SIBLING));
        }

        /**
         * The escalation once found: a user holding USERS_MANAGE alone moved a user holding ACCOUNTS_DELETE as well
         * up from a child into its own account, and had it grant ACCOUNTS_DELETE back.
         */
        @Test
        void aUserDoesNotMoveAUserHoldingPermissionsItLacks() {
            fixture.givenCommands(tree(1))
                   .givenCommands(addUser(CHILD), new ChangePermissions(USER, Set.of(USERS_MANAGE, ACCOUNTS_DELETE), null))
                   .when(new ChangeUserAccount(USER, ROOT), CommandCaller.userMetadata(Set.of(USERS_MANAGE)))
                   .expectRejection(ErrorCode.PERMISSION_DENIED)
                   .expectRejectionMessage("User " + USER + " holds permissions you do not (ACCOUNTS_DELETE); moving "
                                                   + "it is as much as granting them. Revoke them first, or leave it "
                                                   + "to a user who holds them.");
        }

        /** Moved out of a suspended account, a user would act again: the suspension lifted for it by the mover. */
        @Test
        void aUserDoesNotMoveAUserOutFromUnderASuspension() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD), new SuspendAccount(CHILD, null))
                   .when(new ChangeUserAccount(USER, SIBLING), CommandCaller.userMetadata(Set.of(USERS_MANAGE)))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void theAdminMovesAUserOutFromUnderASuspension() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD), new SuspendAccount(CHILD, null))
                   .when(new ChangeUserAccount(USER, SIBLING), CommandCaller.adminMetadata())
                   .expectEvents(new UserAttached(SIBLING, ROOT, USER), new UserDetached(CHILD, ROOT, USER),
                                 new UserAccountChanged(USER, ROOT, CHILD, SIBLING));
        }

        /** Reactivated, a user holds its permissions again: as much as granting them. */
        @Test
        void aUserDoesNotReactivateAUserHoldingPermissionsItLacks() {
            fixture.givenCommands(tree(1))
                   .givenCommands(addUser(CHILD), new ChangePermissions(USER, Set.of(USERS_MANAGE, ACCOUNTS_DELETE), null),
                                  new DeactivateUser(USER))
                   .when(new ReactivateUser(USER), CommandCaller.userMetadata(Set.of(USERS_MANAGE)))
                   .expectRejection(ErrorCode.PERMISSION_DENIED)
                   .expectRejectionMessage("User " + USER + " holds permissions you do not (ACCOUNTS_DELETE); "
                                                   + "reactivating it is as much as granting them. Revoke them first, "
                                                   + "or leave it to a user who holds them.");
        }

        @Test
        void aUserReactivatesAUserWhoseEveryPermissionItHolds() {
            fixture.givenCommands(tree(1))
                   .givenCommands(addUser(CHILD), new ChangePermissions(USER, Set.of(USERS_MANAGE), null),
                                  new DeactivateUser(USER))
                   .when(new ReactivateUser(USER), CommandCaller.userMetadata(Set.of(USERS_MANAGE)))
                   .expectEvents(new UserAttached(CHILD, ROOT, USER), new UserReactivated(USER, ROOT, CHILD));
        }

        @Test
        void noMoreDownOrSidewaysThanUp() {
            fixture.givenCommands(tree(1))
                   .givenCommands(addUser(CHILD), new ChangePermissions(USER, Set.of(SEATS_MANAGE), null))
                   .when(new ChangeUserAccount(USER, SIBLING), CommandCaller.userMetadata(Set.of(USERS_MANAGE)))
                   .expectRejection(ErrorCode.PERMISSION_DENIED);
        }

        @Test
        void aUserMovesAUserWhoseEveryPermissionItHolds() {
            fixture.givenCommands(tree(1))
                   .givenCommands(addUser(CHILD), new ChangePermissions(USER, Set.of(USERS_MANAGE), null))
                   .when(new ChangeUserAccount(USER, ROOT), CommandCaller.userMetadata(Set.of(USERS_MANAGE, SEATS_MANAGE)))
                   .expectEvents(new UserAttached(ROOT, ROOT, USER), new UserDetached(CHILD, ROOT, USER),
                                 new UserAccountChanged(USER, ROOT, CHILD, ROOT));
        }

        @Test
        void theAdminMovesAUserHoldingAnyPermissions() {
            fixture.givenCommands(tree(1))
                   .givenCommands(addUser(CHILD), new ChangePermissions(USER, Set.of(ACCOUNTS_ADD, SEATS_MANAGE), null))
                   .when(new ChangeUserAccount(USER, ROOT), CommandCaller.adminMetadata())
                   .expectEvents(new UserAttached(ROOT, ROOT, USER), new UserDetached(CHILD, ROOT, USER),
                                 new UserAccountChanged(USER, ROOT, CHILD, ROOT));
        }

        /** 'İ' is one character, and two in lower case: an email within 320 characters can exceed them there. */
        @Test
        void refusesAnEmailLongerThanItsColumnInLowerCase() {
            String email = "\u0130".repeat(64) + "@" + "a".repeat(240) + ".example";
            fixture.givenCommands(tree(1))
                   .when(new AddUser(USER, CHILD, email, "Ann"))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void acceptsAnEmailOf320CharactersInLowerCase() {
            String email = "a".repeat(64) + "@" + "b".repeat(247) + ".example";
            fixture.givenCommands(tree(1))
                   .when(new AddUser(USER, CHILD, email, "Ann"))
                   .expectEvents(new UserAttached(CHILD, ROOT, USER), new UserAdded(USER, ROOT, CHILD, email, "Ann"));
        }

        @Test
        void refusesAnAccountOfAnotherOrganization() {
            UUID other = UUID.fromString("0191e5b2-0000-7000-8000-0000000000ff");
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD),
                                                         new CreateRootAccount(other, "Other", null, null, 0))
                   .when(new ChangeUserAccount(USER, other))
                   .expectRejection(ErrorCode.DIFFERENT_ROOT);
        }

        @Test
        void refusesASuspendedTargetAccount() {
            fixture.givenCommands(tree(1)).givenCommands(addUser(CHILD), new SuspendAccount(SIBLING, null))
                   .when(new ChangeUserAccount(USER, SIBLING))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void refusesAnUnknownUser() {
            fixture.givenCommands(tree(1))
                   .when(new DeactivateUser(USER))
                   .expectFailure(AggregateNotFoundException.class);
        }
    }

    @Nested
    class Devices {

        @Test
        void aDeviceTakesASeat() {
            fixture.givenCommands(tree(1))
                   .when(registerDevice(DEVICE))
                   .expectResult(CHILD)
                   .expectEvents(new DeviceRegistered(CHILD, ROOT, DEVICE, "SN-" + DEVICE, "Sensor"));
        }

        @Test
        void refusesADeviceWithoutAFreeSeat() {
            fixture.givenCommands(tree(1)).givenCommands(registerDevice(DEVICE))
                   .when(registerDevice(UUID.randomUUID()))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS);
        }

        @Test
        void seatsInUseCannotBeMovedAway() {
            fixture.givenCommands(tree(2)).givenCommands(registerDevice(DEVICE))
                   .when(new MoveSeats(CHILD, ROOT, 2))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS);
        }

        @Test
        void freeSeatsBesideDevicesCanBeMoved() {
            fixture.givenCommands(tree(2)).givenCommands(registerDevice(DEVICE))
                   .when(new MoveSeats(CHILD, ROOT, 1))
                   .expectEvents(new SeatsSent(CHILD, ROOT, ROOT, 1), new SeatsReceived(ROOT, ROOT, CHILD, 1));
        }

        @Test
        void refusesADeviceInASuspendedAccount() {
            fixture.givenCommands(tree(1)).givenCommands(new SuspendAccount(CHILD, null))
                   .when(registerDevice(DEVICE))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void anAccountWithDevicesIsNotDeleted() {
            fixture.givenCommands(tree(1)).givenCommands(registerDevice(DEVICE))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.HAS_DEVICES);
        }

        @Test
        void removingADeviceFreesItsSeat() {
            fixture.givenCommands(tree(1)).givenCommands(registerDevice(DEVICE), new RemoveDevice(DEVICE))
                   .when(registerDevice(UUID.randomUUID()))
                   .expectResult(CHILD);
        }

        @Test
        void removesTheDeviceFromItsAccount() {
            fixture.givenCommands(tree(1)).givenCommands(registerDevice(DEVICE))
                   .when(new RemoveDevice(DEVICE))
                   .expectResult(CHILD)
                   .expectEvents(new DeviceRemoved(CHILD, ROOT, DEVICE));
        }

        @Test
        void refusesAnUnknownDevice() {
            fixture.givenCommands(tree(1))
                   .when(new RemoveDevice(DEVICE))
                   .expectFailure(AggregateNotFoundException.class);
        }
    }
}
