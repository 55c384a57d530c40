package dev.arbor.command.account;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountMoved;
import dev.arbor.api.account.AccountReactivated;
import dev.arbor.api.account.ChangeLimits;
import dev.arbor.api.account.ChildAccountAdded;
import dev.arbor.api.account.ChildAccountAttached;
import dev.arbor.api.account.ChildAccountDetached;
import dev.arbor.api.account.ChildAccountRemoved;
import dev.arbor.api.account.ChildAccountRestored;
import dev.arbor.api.account.ChildLimitsChanged;
import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.account.DeleteAccount;
import dev.arbor.api.account.IssueSeatToken;
import dev.arbor.api.account.RedeemSeatToken;
import dev.arbor.api.account.SeatTokenIssued;
import dev.arbor.api.account.SeatTokenRedeemed;
import dev.arbor.api.account.SeatsGranted;
import dev.arbor.api.account.LimitsChanged;
import dev.arbor.api.account.MoveAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.account.ReactivateAccount;
import dev.arbor.api.account.SeatsReceived;
import dev.arbor.api.account.SeatsSent;
import dev.arbor.api.account.SetSeats;
import dev.arbor.api.account.SuspendAccount;
import dev.arbor.api.account.UnsuspendAccount;
import dev.arbor.api.account.UpdateConfiguration;
import dev.arbor.api.account.Seats;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.user.Permission;
import dev.arbor.command.support.CommandCaller;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.arbor.api.user.Permission.ACCOUNTS_ADD;
import static dev.arbor.api.user.Permission.ACCOUNTS_DELETE;
import static dev.arbor.api.user.Permission.ACCOUNTS_EDIT;
import static dev.arbor.api.user.Permission.SEATS_MANAGE;

import static dev.arbor.command.account.AccountTest.CHILD;
import static dev.arbor.command.account.AccountTest.ROOT;

/** The rules that span an account and its parent or child, decided together in one unit of work. */
class AccountTreeTest {

    private static final UUID SIBLING = UUID.fromString("0191e5b2-0000-7000-8000-000000000003");
    private static final UUID GRANDCHILD = UUID.fromString("0191e5b2-0000-7000-8000-000000000004");

    private AccountTreeFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new AccountTreeFixture();
    }

    private static CreateRootAccount createRoot(long seats) {
        return new CreateRootAccount(ROOT, "Acme", null, null, seats);
    }

    private static CreateChildAccount createChild(UUID parent, UUID child, long seats) {
        return new CreateChildAccount(parent, child, "Child", null, null, seats);
    }

    /** A user holding these permissions (the rules that depend on the caller read it from the metadata). */
    private static Map<String, String> user(Permission... permissions) {
        return CommandCaller.userMetadata(permissions.length == 0 ? Set.of() : EnumSet.copyOf(List.of(permissions)));
    }

    /** {@code count} limit keys, each 1. */
    static Map<String, Integer> limits(int count) {
        Map<String, Integer> limits = new HashMap<>();
        for (int i = 0; i < count; i++) {
            limits.put("limit" + i, 1);
        }
        return limits;
    }

    @Nested
    class CreateChildAccountCommand {

        @Test
        void handsTheChildSeatsAndDefaultLimitsFromTheParentInOneUnitOfWork() {
            fixture.givenCommands(createRoot(100), new UpdateConfiguration(ROOT, null, null, Map.of("maxVMs", 5)))
                   .when(new CreateChildAccount(ROOT, CHILD, "Acme EU", null, "acme-eu", 30))
                   .expectResult(CHILD)
                   .expectEvents(new ChildAccountAdded(ROOT, ROOT, CHILD, 30),
                                 new AccountCreated(CHILD, ROOT, ROOT, "Acme EU", null, "acme-eu", 30,
                                                    Map.of("maxVMs", 5)));
        }

        @Test
        void mayTakeEveryFreeSeat() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, SIBLING, 70))
                   .when(createChild(ROOT, CHILD, 30))
                   .expectEvents(new ChildAccountAdded(ROOT, ROOT, CHILD, 30),
                                 new AccountCreated(CHILD, ROOT, ROOT, "Child", null, null, 30, Map.of()));
        }

        @Test
        void refusesMoreSeatsThanTheParentHasFree() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, SIBLING, 80))
                   .when(createChild(ROOT, CHILD, 21))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS)
                   .expectRejectionMessage("Account " + ROOT + " has 20 free seats; 21 requested.");
        }

        @Test
        void refusesMoreSeatsThanOneAccountHolds() {
            fixture.givenCommands(createRoot(100))
                   .when(createChild(ROOT, CHILD, Long.MAX_VALUE))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void refusesNegativeSeats() {
            fixture.givenCommands(createRoot(100))
                   .when(createChild(ROOT, CHILD, -5))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void refusesASuspendedParent() {
            fixture.givenCommands(createRoot(100), new SuspendAccount(ROOT, "unpaid"))
                   .when(createChild(ROOT, CHILD, 1))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void refusesAParentUnderASuspendedAncestor() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), new SuspendAccount(ROOT, null))
                   .when(createChild(CHILD, GRANDCHILD, 1))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void acceptsAgainOnceTheAncestorIsUnsuspended() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), new SuspendAccount(ROOT, null),
                                  new UnsuspendAccount(ROOT))
                   .when(createChild(CHILD, GRANDCHILD, 1))
                   .expectResult(GRANDCHILD);
        }

        @Test
        void refusesADeletedParent() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), new DeleteAccount(CHILD))
                   .when(createChild(CHILD, GRANDCHILD, 0))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesAChildBelowTheDepthLimit() {
            UUID depth3 = UUID.fromString("0191e5b2-0000-7000-8000-000000000005");
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), createChild(CHILD, GRANDCHILD, 5),
                                  createChild(GRANDCHILD, depth3, 1))
                   .when(createChild(depth3, UUID.randomUUID(), 0))
                   .expectRejection(ErrorCode.DEPTH_LIMIT)
                   .expectRejectionMessage("A child of " + depth3 + " would be at depth 4; the deepest allowed is "
                                                   + AccountTreeFixture.MAX_DEPTH + ".");
        }

        @Test
        void refusesAnUnknownParent() {
            fixture.givenCommands()
                   .when(createChild(ROOT, CHILD, 0))
                   .expectFailure(org.axonframework.modelling.command.AggregateNotFoundException.class);
        }
    }

    @Nested
    class MoveAccountCommand {

        @Test
        void movesTheAccountFromItsParentToTheNewOne() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), createChild(ROOT, SIBLING, 10),
                                  new ChangeLimits(CHILD, Map.of("maxVMs", 3)))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectResult(CHILD)
                   .expectEvents(new AccountMoved(CHILD, ROOT, ROOT, SIBLING),
                                 new ChildAccountDetached(ROOT, ROOT, CHILD),
                                 new ChildAccountAttached(SIBLING, ROOT, CHILD, Map.of("maxVMs", 3)));
        }

        @Test
        void seatsDoNotMoveBetweenSiblingsThroughCreateMoveAndDeleteWithoutSeatsManage() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), createChild(ROOT, SIBLING, 0))
                   .givenCommandsBy(user(ACCOUNTS_ADD, ACCOUNTS_EDIT, ACCOUNTS_DELETE), createChild(CHILD, GRANDCHILD, 10))
                   .when(new MoveAccount(GRANDCHILD, SIBLING), user(ACCOUNTS_ADD, ACCOUNTS_EDIT, ACCOUNTS_DELETE))
                   .expectRejection(ErrorCode.PERMISSION_DENIED)
                   .expectRejectionMessage("Account " + GRANDCHILD + " holds seats or has children, and moving it "
                                                   + "moves their seats to another branch: this needs the permission "
                                                   + "SEATS_MANAGE.");
        }

        @Test
        void aUserWithoutSeatsManageDoesNotMoveAnAccountWithChildren() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 0), createChild(CHILD, GRANDCHILD, 0),
                                  createChild(ROOT, SIBLING, 0))
                   .when(new MoveAccount(CHILD, SIBLING), user(ACCOUNTS_EDIT))
                   .expectRejection(ErrorCode.PERMISSION_DENIED);
        }

        @Test
        void aUserWithoutSeatsManageMovesAnAccountWithoutSeatsOrChildren() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 0), createChild(ROOT, SIBLING, 0))
                   .when(new MoveAccount(CHILD, SIBLING), user(ACCOUNTS_EDIT))
                   .expectEvents(new AccountMoved(CHILD, ROOT, ROOT, SIBLING),
                                 new ChildAccountDetached(ROOT, ROOT, CHILD),
                                 new ChildAccountAttached(SIBLING, ROOT, CHILD, Map.of()));
        }

        @Test
        void aUserWithSeatsManageMovesAnAccountHoldingSeats() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), createChild(ROOT, SIBLING, 0))
                   .when(new MoveAccount(CHILD, SIBLING), user(ACCOUNTS_EDIT, SEATS_MANAGE))
                   .expectEvents(new AccountMoved(CHILD, ROOT, ROOT, SIBLING),
                                 new ChildAccountDetached(ROOT, ROOT, CHILD),
                                 new ChildAccountAttached(SIBLING, ROOT, CHILD, Map.of()));
        }

        @Test
        void movingUnderTheCurrentParentChangesNothing() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10))
                   .when(new MoveAccount(CHILD, ROOT))
                   .expectResult(CHILD)
                   .expectNoEvents();
        }

        @Test
        void theMovedSubtreeLeavesTheOldParentFreeToBeDeleted() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), createChild(CHILD, GRANDCHILD, 1),
                                  createChild(ROOT, SIBLING, 0), new MoveAccount(GRANDCHILD, SIBLING))
                   .when(new DeleteAccount(CHILD))
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 9), new ChildAccountRemoved(ROOT, ROOT, CHILD, 9));
        }

        @Test
        void refusesAMoveUnderItsOwnDescendant() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), createChild(CHILD, GRANDCHILD, 1))
                   .when(new MoveAccount(CHILD, GRANDCHILD))
                   .expectRejection(ErrorCode.MOVE_CYCLE);
        }

        @Test
        void refusesAMoveUnderItself() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10))
                   .when(new MoveAccount(CHILD, CHILD))
                   .expectRejection(ErrorCode.MOVE_CYCLE);
        }

        @Test
        void refusesAnotherOrganization() {
            UUID otherRoot = UUID.fromString("0191e5b2-0000-7000-8000-0000000000ff");
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10),
                                  new CreateRootAccount(otherRoot, "Other", null, null, 0))
                   .when(new MoveAccount(CHILD, otherRoot))
                   .expectRejection(ErrorCode.DIFFERENT_ROOT);
        }

        @Test
        void refusesARoot() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10))
                   .when(new MoveAccount(ROOT, CHILD))
                   .expectRejection(ErrorCode.ROOT_ACCOUNT);
        }

        @Test
        void refusesASubtreeThatWouldPassTheDepthLimit() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), createChild(CHILD, GRANDCHILD, 1),
                                  createChild(ROOT, SIBLING, 10), createChild(SIBLING, UUID.randomUUID(), 0))
                   .when(new MoveAccount(SIBLING, GRANDCHILD))
                   .expectRejection(ErrorCode.DEPTH_LIMIT);
        }

        /** Moved out from under a suspension, the subtree would be active again: the suspension lifted by the mover. */
        @Test
        void aUserDoesNotMoveAnAccountOutFromUnderASuspension() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 0), createChild(CHILD, GRANDCHILD, 0),
                                  createChild(ROOT, SIBLING, 0), new SuspendAccount(CHILD, null))
                   .when(new MoveAccount(GRANDCHILD, SIBLING), user(ACCOUNTS_EDIT, SEATS_MANAGE))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void theAdminMovesAnAccountOutFromUnderASuspension() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 0), createChild(CHILD, GRANDCHILD, 0),
                                  createChild(ROOT, SIBLING, 0), new SuspendAccount(CHILD, null))
                   .when(new MoveAccount(GRANDCHILD, SIBLING))
                   .expectEvents(new AccountMoved(GRANDCHILD, ROOT, CHILD, SIBLING),
                                 new ChildAccountDetached(CHILD, ROOT, GRANDCHILD),
                                 new ChildAccountAttached(SIBLING, ROOT, GRANDCHILD, Map.of()));
        }

        @Test
        void refusesASuspendedTarget() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), createChild(ROOT, SIBLING, 10),
                                  new SuspendAccount(SIBLING, null))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void refusesADeletedTarget() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), createChild(ROOT, SIBLING, 10),
                                  new DeleteAccount(SIBLING))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesLimitsAboveTheNewParents() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 10), createChild(ROOT, SIBLING, 10),
                                  new ChangeLimits(CHILD, Map.of("maxVMs", 9)), new ChangeLimits(SIBLING, Map.of("maxVMs", 5)))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectRejection(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }
    }

    @Nested
    class MoveSeatsCommand {

        @Test
        void movesSeatsFromParentToChild() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new MoveSeats(ROOT, CHILD, 10))
                   .expectResult(ROOT)
                   .expectEvents(new SeatsSent(ROOT, ROOT, CHILD, 10), new SeatsReceived(CHILD, ROOT, ROOT, 10));
        }

        @Test
        void movesSeatsFromChildToParent() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new MoveSeats(CHILD, ROOT, 30))
                   .expectEvents(new SeatsSent(CHILD, ROOT, ROOT, 30), new SeatsReceived(ROOT, ROOT, CHILD, 30));
        }

        @Test
        void refusesAnAccountThatIsNeitherParentNorChild() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), createChild(ROOT, SIBLING, 30))
                   .when(new MoveSeats(CHILD, SIBLING, 1))
                   .expectRejection(ErrorCode.NOT_PARENT_OR_CHILD);
        }

        @Test
        void refusesMoreThanTheGiversFreeSeats() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new MoveSeats(CHILD, ROOT, 31))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS);
        }

        @Test
        void refusesMoreSeatsThanOneAccountHolds() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 0))
                   .when(new MoveSeats(ROOT, CHILD, Long.MAX_VALUE))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void refusesToFillTheReceiverAboveTheMostOneAccountHolds() {
            fixture.givenCommands(createRoot(Seats.MAX), createChild(ROOT, CHILD, 10), new IssueSeatToken("t", 10),
                                  new RedeemSeatToken("t", ROOT))
                   .when(new MoveSeats(CHILD, ROOT, 1))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS)
                   .expectRejectionMessage("Account " + ROOT + " would hold more than 1000000000 seats, the most one "
                                                   + "account holds: it holds 1000000000, and 1 were asked.");
        }

        @Test
        void refusesZeroSeats() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new MoveSeats(ROOT, CHILD, 0))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void refusesADeletedGiver() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), new DeleteAccount(CHILD))
                   .when(new MoveSeats(CHILD, ROOT, 1))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesAnUnknownAccount() {
            fixture.givenCommands(createRoot(100))
                   .when(new MoveSeats(ROOT, CHILD, 1))
                   .expectFailure(org.axonframework.modelling.command.AggregateNotFoundException.class);
        }
    }

    @Nested
    class SetSeatsCommand {

        @Test
        void takesTheDifferenceFromTheParent() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new SetSeats(CHILD, 50))
                   .expectEvents(new SeatsSent(ROOT, ROOT, CHILD, 20), new SeatsReceived(CHILD, ROOT, ROOT, 20));
        }

        @Test
        void returnsTheDifferenceToTheParent() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new SetSeats(CHILD, 5))
                   .expectEvents(new SeatsSent(CHILD, ROOT, ROOT, 25), new SeatsReceived(ROOT, ROOT, CHILD, 25));
        }

        @Test
        void changesNothingWhenTheTotalIsTheSame() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new SetSeats(CHILD, 30))
                   .expectResult(CHILD)
                   .expectNoEvents();
        }

        @Test
        void refusesATotalAboveTheMostOneAccountHolds() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new SetSeats(CHILD, Long.MAX_VALUE))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void refusesMoreThanTheParentHasFree() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new SetSeats(CHILD, 101))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS);
        }

        @Test
        void refusesARoot() {
            fixture.givenCommands(createRoot(100))
                   .when(new SetSeats(ROOT, 5))
                   .expectRejection(ErrorCode.ROOT_ACCOUNT);
        }
    }

    @Nested
    class DeleteAccountCommand {

        @Test
        void returnsEverySeatToTheParent() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new DeleteAccount(CHILD))
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 30), new ChildAccountRemoved(ROOT, ROOT, CHILD, 30));
        }

        @Test
        void aUserDoesNotDeleteASuspendedAccountWhichReactivatingWouldLift() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .givenCommandsBy(user(ACCOUNTS_EDIT), new SuspendAccount(CHILD, null))
                   .when(new DeleteAccount(CHILD), user(ACCOUNTS_DELETE, ACCOUNTS_EDIT))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED)
                   .expectRejectionMessage("Account " + CHILD + " is suspended; lift the suspension before deleting it.");
        }

        @Test
        void theAdminDeletesASuspendedAccount() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), new SuspendAccount(CHILD, null))
                   .when(new DeleteAccount(CHILD), CommandCaller.adminMetadata())
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 30), new ChildAccountRemoved(ROOT, ROOT, CHILD, 30));
        }

        @Test
        void refusesToReturnSeatsThatWouldFillTheParentAboveTheMostOneAccountHolds() {
            fixture.givenCommands(createRoot(Seats.MAX), createChild(ROOT, CHILD, 10), new IssueSeatToken("t", 10),
                                  new RedeemSeatToken("t", ROOT))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void refusesARoot() {
            fixture.givenCommands(createRoot(100))
                   .when(new DeleteAccount(ROOT))
                   .expectRejection(ErrorCode.ROOT_ACCOUNT);
        }

        @Test
        void refusesAnAccountWithChildren() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), createChild(CHILD, GRANDCHILD, 5))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.HAS_CHILDREN)
                   .expectRejectionMessage("Account " + CHILD + " has 1 children that are not deleted; delete or move them first.");
        }

        @Test
        void acceptsAnAccountWhoseChildrenAreDeleted() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), createChild(CHILD, GRANDCHILD, 5),
                                  new DeleteAccount(GRANDCHILD))
                   .when(new DeleteAccount(CHILD))
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 30), new ChildAccountRemoved(ROOT, ROOT, CHILD, 30));
        }

        @Test
        void refusesAnAccountAlreadyDeleted() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), new DeleteAccount(CHILD))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }
    }

    @Nested
    class ReactivateAccountCommand {

        @Test
        void bringsTheAccountBackWithSeatsFromTheParent() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), new DeleteAccount(CHILD))
                   .when(new ReactivateAccount(CHILD, 10))
                   .expectEvents(new AccountReactivated(CHILD, ROOT, ROOT, 10),
                                 new ChildAccountRestored(ROOT, ROOT, CHILD, 10));
        }

        /** Reactivating with seats moves them from the parent, as setting the child's seats does. */
        @Test
        void aUserWithoutSeatsManageReactivatesOnlyWithoutSeats() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 0), new DeleteAccount(CHILD))
                   .when(new ReactivateAccount(CHILD, 10), user(ACCOUNTS_DELETE))
                   .expectRejection(ErrorCode.PERMISSION_DENIED);
        }

        @Test
        void aUserWithSeatsManageReactivatesWithSeats() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 0), new DeleteAccount(CHILD))
                   .when(new ReactivateAccount(CHILD, 10), user(ACCOUNTS_DELETE, SEATS_MANAGE))
                   .expectEvents(new AccountReactivated(CHILD, ROOT, ROOT, 10),
                                 new ChildAccountRestored(ROOT, ROOT, CHILD, 10));
        }

        @Test
        void aReactivatedAccountIsNoLongerSuspended() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), new SuspendAccount(CHILD, null),
                                  new DeleteAccount(CHILD), new ReactivateAccount(CHILD, 0))
                   .when(createChild(CHILD, GRANDCHILD, 0))
                   .expectResult(GRANDCHILD);
        }

        @Test
        void anAccountSuspendedWhenItWasDeletedIsReactivatedOnlyByTheAdmin() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), new SuspendAccount(CHILD, null),
                                  new DeleteAccount(CHILD))
                   .when(new ReactivateAccount(CHILD, 0), user(ACCOUNTS_DELETE, ACCOUNTS_EDIT))
                   .expectRejection(ErrorCode.PERMISSION_DENIED);
        }

        @Test
        void theAdminReactivatesAnAccountSuspendedWhenItWasDeleted() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), new SuspendAccount(CHILD, null),
                                  new DeleteAccount(CHILD))
                   .when(new ReactivateAccount(CHILD, 0), CommandCaller.adminMetadata())
                   .expectEvents(new AccountReactivated(CHILD, ROOT, ROOT, 0),
                                 new ChildAccountRestored(ROOT, ROOT, CHILD, 0));
        }

        @Test
        void aUserReactivatesAnAccountThatWasActiveWhenItWasDeleted() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), new SuspendAccount(CHILD, null),
                                  new UnsuspendAccount(CHILD), new DeleteAccount(CHILD))
                   .when(new ReactivateAccount(CHILD, 0), user(ACCOUNTS_DELETE))
                   .expectEvents(new AccountReactivated(CHILD, ROOT, ROOT, 0),
                                 new ChildAccountRestored(ROOT, ROOT, CHILD, 0));
        }

        @Test
        void refusesAnAccountThatIsNotDeleted() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30))
                   .when(new ReactivateAccount(CHILD, 0))
                   .expectRejection(ErrorCode.NOT_DELETED);
        }

        @Test
        void refusesWhenTheParentIsDeleted() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), createChild(CHILD, GRANDCHILD, 5),
                                  new DeleteAccount(GRANDCHILD), new DeleteAccount(CHILD))
                   .when(new ReactivateAccount(GRANDCHILD, 0))
                   .expectRejection(ErrorCode.PARENT_DELETED);
        }

        @Test
        void refusesAChildWhoseLimitsNowExceedTheParents() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), new ChangeLimits(CHILD, Map.of("maxVMs", 9)),
                                  new DeleteAccount(CHILD), new ChangeLimits(ROOT, Map.of("maxVMs", 5)))
                   .when(new ReactivateAccount(CHILD, 0))
                   .expectRejection(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }

        @Test
        void refusesMoreSeatsThanTheParentHasFree() {
            fixture.givenCommands(createRoot(100), createChild(ROOT, CHILD, 30), new DeleteAccount(CHILD))
                   .when(new ReactivateAccount(CHILD, 101))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS);
        }
    }

    @Nested
    class SeatTokens {

        private static final String TOKEN = "c0ffee";

        @Test
        void issuesATokenWorthItsSeats() {
            fixture.givenCommands()
                   .when(new IssueSeatToken(TOKEN, 25))
                   .expectEvents(new SeatTokenIssued(TOKEN, 25));
        }

        @Test
        void refusesATokenWorthMoreThanOneAccountHolds() {
            fixture.givenCommands()
                   .when(new IssueSeatToken(TOKEN, Seats.MAX + 1))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void aTokenFillsAnAccountUpToTheMostOneAccountHolds() {
            fixture.givenCommands(createRoot(Seats.MAX - 25), new IssueSeatToken(TOKEN, 25))
                   .when(new RedeemSeatToken(TOKEN, ROOT))
                   .expectEvents(new SeatTokenRedeemed(TOKEN, ROOT), new SeatsGranted(ROOT, ROOT, TOKEN, 25));
        }

        /** The overflow once found: an organization of Long.MAX_VALUE seats given one more wrapped to negative. */
        @Test
        void refusesATokenThatWouldFillTheAccountAboveTheMostOneAccountHoldsAndLeavesItUnredeemed() {
            fixture.givenCommands(createRoot(Seats.MAX), new IssueSeatToken(TOKEN, 1))
                   .when(new RedeemSeatToken(TOKEN, ROOT))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void refusesATokenWorthNoSeats() {
            fixture.givenCommands()
                   .when(new IssueSeatToken(TOKEN, 0))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void redeemingAddsTheSeatsToTheAccount() {
            fixture.givenCommands(createRoot(10), new IssueSeatToken(TOKEN, 25))
                   .when(new RedeemSeatToken(TOKEN, ROOT))
                   .expectResult(ROOT)
                   .expectEvents(new SeatTokenRedeemed(TOKEN, ROOT), new SeatsGranted(ROOT, ROOT, TOKEN, 25));
        }

        @Test
        void aTokenIsRedeemedAtMostOnce() {
            fixture.givenCommands(createRoot(10), new IssueSeatToken(TOKEN, 25), new RedeemSeatToken(TOKEN, ROOT))
                   .when(new RedeemSeatToken(TOKEN, ROOT))
                   .expectRejection(ErrorCode.TOKEN_ALREADY_REDEEMED);
        }

        @Test
        void refusesADeletedAccount() {
            fixture.givenCommands(createRoot(10), createChild(ROOT, CHILD, 1), new DeleteAccount(CHILD),
                                  new IssueSeatToken(TOKEN, 25))
                   .when(new RedeemSeatToken(TOKEN, CHILD))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesAnUnknownToken() {
            fixture.givenCommands(createRoot(10))
                   .when(new RedeemSeatToken(TOKEN, ROOT))
                   .expectFailure(org.axonframework.modelling.command.AggregateNotFoundException.class);
        }
    }

    @Nested
    class ChangeLimitsCommand {

        @Test
        void setsARootsLimits() {
            fixture.givenCommands(createRoot(0))
                   .when(new ChangeLimits(ROOT, Map.of("maxServers", 50, "maxVMs", 100)))
                   .expectEvents(new LimitsChanged(ROOT, ROOT, Map.of("maxServers", 50, "maxVMs", 100)));
        }

        @Test
        void setsAChildsLimitsWithinTheParentsAndTellsTheParent() {
            fixture.givenCommands(createRoot(0), createChild(ROOT, CHILD, 0), new ChangeLimits(ROOT, Map.of("maxVMs", 100)))
                   .when(new ChangeLimits(CHILD, Map.of("maxVMs", 100, "maxServers", 7)))
                   .expectEvents(new LimitsChanged(CHILD, ROOT, Map.of("maxVMs", 100, "maxServers", 7)),
                                 new ChildLimitsChanged(ROOT, ROOT, CHILD, Map.of("maxVMs", 100, "maxServers", 7)));
        }

        @Test
        void refusesALimitAboveTheParents() {
            fixture.givenCommands(createRoot(0), createChild(ROOT, CHILD, 0), new ChangeLimits(ROOT, Map.of("maxVMs", 100)))
                   .when(new ChangeLimits(CHILD, Map.of("maxVMs", 101)))
                   .expectRejection(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }

        @Test
        void refusesALimitBelowAChildsNamingTheChild() {
            fixture.givenCommands(createRoot(0), createChild(ROOT, CHILD, 0), new ChangeLimits(CHILD, Map.of("maxVMs", 40)))
                   .when(new ChangeLimits(ROOT, Map.of("maxVMs", 39)))
                   .expectRejection(ErrorCode.LIMIT_BELOW_CHILD)
                   .expectRejectionMessage("Limits are below those of children: [" + CHILD + "]");
        }

        @Test
        void acceptsAHundredLimits() {
            fixture.givenCommands(createRoot(0))
                   .when(new ChangeLimits(ROOT, limits(100)))
                   .expectEvents(new LimitsChanged(ROOT, ROOT, limits(100)));
        }

        @Test
        void refusesMoreThanAHundredLimits() {
            fixture.givenCommands(createRoot(0))
                   .when(new ChangeLimits(ROOT, limits(101)))
                   .expectRejection(ErrorCode.VALIDATION_FAILED)
                   .expectRejectionMessage("At most 100 limits; got 101.");
        }

        @Test
        void refusesALimitKeyOver64Characters() {
            fixture.givenCommands(createRoot(0))
                   .when(new ChangeLimits(ROOT, Map.of("k".repeat(65), 1)))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void refusesANegativeLimit() {
            fixture.givenCommands(createRoot(0))
                   .when(new ChangeLimits(ROOT, Map.of("maxVMs", -1)))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }
    }
}
