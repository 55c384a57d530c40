package dev.arbor.command.account;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountDetailsUpdated;
import dev.arbor.api.account.AccountMoved;
import dev.arbor.api.account.AccountReactivated;
import dev.arbor.api.account.AccountSuspended;
import dev.arbor.api.account.AccountUnsuspended;
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
import dev.arbor.api.account.LimitsChanged;
import dev.arbor.api.account.MoveAccount;
import dev.arbor.api.account.MoveSeats;
import dev.arbor.api.account.PatchLimits;
import dev.arbor.api.account.ReactivateAccount;
import dev.arbor.api.account.RedeemSeatToken;
import dev.arbor.api.account.SeatTokenIssued;
import dev.arbor.api.account.SeatTokenRedeemed;
import dev.arbor.api.account.Seats;
import dev.arbor.api.account.SeatsGranted;
import dev.arbor.api.account.SeatsReceived;
import dev.arbor.api.account.SeatsSent;
import dev.arbor.api.account.SetSeats;
import dev.arbor.api.account.UpdateAccountDetails;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.user.Permission;
import dev.arbor.command.support.CommandCaller;
import org.axonframework.modelling.command.AggregateNotFoundException;
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
import static dev.arbor.command.account.TreeEvents.CHILD;
import static dev.arbor.command.account.TreeEvents.GRANDCHILD;
import static dev.arbor.command.account.TreeEvents.OTHER_ROOT;
import static dev.arbor.command.account.TreeEvents.ROOT;
import static dev.arbor.command.account.TreeEvents.SIBLING;
import static dev.arbor.command.account.TreeEvents.childCreated;
import static dev.arbor.command.account.TreeEvents.childLimitsChanged;
import static dev.arbor.command.account.TreeEvents.defaultChildLimitsSet;
import static dev.arbor.command.account.TreeEvents.deleted;
import static dev.arbor.command.account.TreeEvents.deviceRegistered;
import static dev.arbor.command.account.TreeEvents.labelledChildCreated;
import static dev.arbor.command.account.TreeEvents.moved;
import static dev.arbor.command.account.TreeEvents.otherRootCreated;
import static dev.arbor.command.account.TreeEvents.reactivated;
import static dev.arbor.command.account.TreeEvents.rootCreated;
import static dev.arbor.command.account.TreeEvents.rootLimitsChanged;
import static dev.arbor.command.account.TreeEvents.seatsGranted;
import static dev.arbor.command.account.TreeEvents.suspendedByAdmin;
import static dev.arbor.command.account.TreeEvents.suspendedByUser;

/**
 * The rules that span an account and its parent or child, decided together in one unit of work: given the events of
 * the accounts involved, when a command, the events it appends or the rule it breaks.
 */
class AccountTreeTest {

    private static final UUID NIECE = UUID.fromString("0191e5b2-0000-7000-8000-000000000005");

    private AccountTreeFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new AccountTreeFixture();
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
            fixture.given(rootCreated(100), defaultChildLimitsSet(ROOT, Map.of("maxVMs", 5)))
                   .when(new CreateChildAccount(ROOT, CHILD, "Acme EU", null, "acme-eu", 30))
                   .expectResult(CHILD)
                   .expectEvents(new ChildAccountAdded(ROOT, ROOT, CHILD, 30),
                                 new AccountCreated(CHILD, ROOT, ROOT, "Acme EU", null, "acme-eu", 30,
                                                    Map.of("maxVMs", 5)));
        }

        @Test
        void createsTheChildSuspendedWhenNotEnabled() {
            fixture.given(rootCreated(100))
                   .when(new CreateChildAccount(ROOT, CHILD, "Child", null, null, null, 30, false),
                         CommandCaller.userMetadata(Set.of(ACCOUNTS_ADD, ACCOUNTS_EDIT)))
                   .expectResult(CHILD)
                   .expectEvents(new ChildAccountAdded(ROOT, ROOT, CHILD, 30),
                                 new AccountCreated(CHILD, ROOT, ROOT, "Child", null, null, 30, Map.of()),
                                 new AccountSuspended(CHILD, ROOT, null, false));
        }

        @Test
        void theAdminCreatesItSuspendedByTheAdmin() {
            fixture.given(rootCreated(100))
                   .when(new CreateChildAccount(ROOT, CHILD, "Child", null, null, null, 0, false),
                         CommandCaller.adminMetadata())
                   .expectEvents(new ChildAccountAdded(ROOT, ROOT, CHILD, 0),
                                 new AccountCreated(CHILD, ROOT, ROOT, "Child", null, null, 0, Map.of()),
                                 new AccountSuspended(CHILD, ROOT, null, true));
        }

        @Test
        void creatingItSuspendedNeedsWhatSuspendingNeeds() {
            fixture.given(rootCreated(100))
                   .when(new CreateChildAccount(ROOT, CHILD, "Child", null, null, null, 0, false),
                         CommandCaller.userMetadata(Set.of(ACCOUNTS_ADD)))
                   .expectRejection(ErrorCode.PERMISSION_DENIED)
                   .expectRejectionMessage("Creating account " + CHILD + " suspended suspends it: this needs the "
                                           + "permission ACCOUNTS_EDIT.");
        }

        @Test
        void mayTakeEveryFreeSeat() {
            fixture.given(rootCreated(100), childCreated(ROOT, SIBLING, 70))
                   .when(createChild(ROOT, CHILD, 30))
                   .expectEvents(new ChildAccountAdded(ROOT, ROOT, CHILD, 30),
                                 new AccountCreated(CHILD, ROOT, ROOT, "Child", null, null, 30, Map.of()));
        }

        @Test
        void refusesMoreSeatsThanTheParentHasFree() {
            fixture.given(rootCreated(100), childCreated(ROOT, SIBLING, 80))
                   .when(createChild(ROOT, CHILD, 21))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS)
                   .expectRejectionMessage("Account " + ROOT + " has 20 free seats; 21 requested.");
        }

        @Test
        void seatsTakenByDevicesAreNotFree() {
            fixture.given(rootCreated(1), deviceRegistered(ROOT, UUID.randomUUID()))
                   .when(createChild(ROOT, CHILD, 1))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS)
                   .expectRejectionMessage("Account " + ROOT + " has 0 free seats; 1 requested.");
        }

        @Test
        void refusesMoreSeatsThanOneAccountHolds() {
            fixture.given(rootCreated(100))
                   .when(createChild(ROOT, CHILD, Long.MAX_VALUE))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void refusesNegativeSeats() {
            fixture.given(rootCreated(100))
                   .when(createChild(ROOT, CHILD, -5))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void refusesASuspendedParent() {
            fixture.given(rootCreated(100), suspendedByUser(ROOT))
                   .when(createChild(ROOT, CHILD, 1))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void refusesAParentUnderASuspendedAncestor() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), suspendedByAdmin(ROOT))
                   .when(createChild(CHILD, GRANDCHILD, 1))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void acceptsAgainOnceTheAncestorIsUnsuspended() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), suspendedByAdmin(ROOT),
                          new AccountUnsuspended(ROOT, ROOT))
                   .when(createChild(CHILD, GRANDCHILD, 1))
                   .expectResult(GRANDCHILD)
                   .expectEvents(new ChildAccountAdded(CHILD, ROOT, GRANDCHILD, 1),
                                 new AccountCreated(GRANDCHILD, ROOT, CHILD, "Child", null, null, 1, Map.of()));
        }

        @Test
        void refusesADeletedParent() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), deleted(CHILD, ROOT, 10))
                   .when(createChild(CHILD, GRANDCHILD, 0))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesAChildBelowTheDepthLimit() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(CHILD, GRANDCHILD, 5),
                          childCreated(GRANDCHILD, NIECE, 1))
                   .when(createChild(NIECE, UUID.randomUUID(), 0))
                   .expectRejection(ErrorCode.DEPTH_LIMIT)
                   .expectRejectionMessage("A child of " + NIECE + " would be at depth 4; the deepest allowed is "
                                                   + AccountTreeFixture.MAX_DEPTH + ".");
        }

        @Test
        void refusesAnUnknownParent() {
            fixture.givenNoPriorActivity()
                   .when(createChild(ROOT, CHILD, 0))
                   .expectFailure(AggregateNotFoundException.class);
        }
    }

    @Nested
    class MoveAccountCommand {

        @Test
        void movesTheAccountFromItsParentToTheNewOne() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(ROOT, SIBLING, 10),
                          childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 3)))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectResult(CHILD)
                   .expectEvents(new AccountMoved(CHILD, ROOT, ROOT, SIBLING),
                                 new ChildAccountDetached(ROOT, ROOT, CHILD),
                                 new ChildAccountAttached(SIBLING, ROOT, CHILD, Map.of("maxVMs", 3)));
        }

        @Test
        void seatsDoNotMoveBetweenSiblingsThroughCreateMoveAndDeleteWithoutSeatsManage() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(ROOT, SIBLING, 0),
                          childCreated(CHILD, GRANDCHILD, 10))
                   .when(new MoveAccount(GRANDCHILD, SIBLING), user(ACCOUNTS_ADD, ACCOUNTS_EDIT, ACCOUNTS_DELETE))
                   .expectRejection(ErrorCode.PERMISSION_DENIED)
                   .expectRejectionMessage("Account " + GRANDCHILD + " holds seats or has children, and moving it "
                                                   + "moves their seats to another branch: this needs the permission "
                                                   + "SEATS_MANAGE.");
        }

        @Test
        void aUserWithoutSeatsManageDoesNotMoveAnAccountWithChildren() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 0), childCreated(CHILD, GRANDCHILD, 0),
                          childCreated(ROOT, SIBLING, 0))
                   .when(new MoveAccount(CHILD, SIBLING), user(ACCOUNTS_EDIT))
                   .expectRejection(ErrorCode.PERMISSION_DENIED);
        }

        @Test
        void aUserWithoutSeatsManageMovesAnAccountWithoutSeatsOrChildren() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 0), childCreated(ROOT, SIBLING, 0))
                   .when(new MoveAccount(CHILD, SIBLING), user(ACCOUNTS_EDIT))
                   .expectEvents(new AccountMoved(CHILD, ROOT, ROOT, SIBLING),
                                 new ChildAccountDetached(ROOT, ROOT, CHILD),
                                 new ChildAccountAttached(SIBLING, ROOT, CHILD, Map.of()));
        }

        @Test
        void aUserWithoutSeatsManageMovesAnAccountWhoseChildrenAreDeleted() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 0), childCreated(CHILD, GRANDCHILD, 0),
                          deleted(GRANDCHILD, CHILD, 0), childCreated(ROOT, SIBLING, 0))
                   .when(new MoveAccount(CHILD, SIBLING), user(ACCOUNTS_EDIT))
                   .expectEvents(new AccountMoved(CHILD, ROOT, ROOT, SIBLING),
                                 new ChildAccountDetached(ROOT, ROOT, CHILD),
                                 new ChildAccountAttached(SIBLING, ROOT, CHILD, Map.of()));
        }

        @Test
        void aUserWithSeatsManageMovesAnAccountHoldingSeats() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(ROOT, SIBLING, 0))
                   .when(new MoveAccount(CHILD, SIBLING), user(ACCOUNTS_EDIT, SEATS_MANAGE))
                   .expectEvents(new AccountMoved(CHILD, ROOT, ROOT, SIBLING),
                                 new ChildAccountDetached(ROOT, ROOT, CHILD),
                                 new ChildAccountAttached(SIBLING, ROOT, CHILD, Map.of()));
        }

        @Test
        void movingUnderTheCurrentParentChangesNothing() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10))
                   .when(new MoveAccount(CHILD, ROOT))
                   .expectResult(CHILD)
                   .expectNoEvents();
        }

        @Test
        void theMovedSubtreeLeavesTheOldParentFreeToBeDeleted() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(CHILD, GRANDCHILD, 1),
                          childCreated(ROOT, SIBLING, 0), moved(GRANDCHILD, CHILD, SIBLING, Map.of()))
                   .when(new DeleteAccount(CHILD))
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 9), new ChildAccountRemoved(ROOT, ROOT, CHILD, 9));
        }

        @Test
        void refusesAMoveUnderItsOwnDescendant() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(CHILD, GRANDCHILD, 1))
                   .when(new MoveAccount(CHILD, GRANDCHILD))
                   .expectRejection(ErrorCode.MOVE_CYCLE);
        }

        @Test
        void refusesAMoveUnderItself() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10))
                   .when(new MoveAccount(CHILD, CHILD))
                   .expectRejection(ErrorCode.MOVE_CYCLE);
        }

        @Test
        void refusesAnotherOrganization() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), otherRootCreated())
                   .when(new MoveAccount(CHILD, OTHER_ROOT))
                   .expectRejection(ErrorCode.DIFFERENT_ROOT);
        }

        @Test
        void refusesARoot() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10))
                   .when(new MoveAccount(ROOT, CHILD))
                   .expectRejection(ErrorCode.ROOT_ACCOUNT);
        }

        @Test
        void refusesASubtreeThatWouldPassTheDepthLimit() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(CHILD, GRANDCHILD, 1),
                          childCreated(ROOT, SIBLING, 10), childCreated(SIBLING, NIECE, 0))
                   .when(new MoveAccount(SIBLING, GRANDCHILD))
                   .expectRejection(ErrorCode.DEPTH_LIMIT);
        }

        /** Moved out from under a suspension, the subtree would be active again: the suspension lifted by the mover. */
        @Test
        void aUserDoesNotMoveAnAccountOutFromUnderASuspension() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 0), childCreated(CHILD, GRANDCHILD, 0),
                          childCreated(ROOT, SIBLING, 0), suspendedByUser(CHILD))
                   .when(new MoveAccount(GRANDCHILD, SIBLING), user(ACCOUNTS_EDIT, SEATS_MANAGE))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void theAdminMovesAnAccountOutFromUnderASuspension() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 0), childCreated(CHILD, GRANDCHILD, 0),
                          childCreated(ROOT, SIBLING, 0), suspendedByUser(CHILD))
                   .when(new MoveAccount(GRANDCHILD, SIBLING))
                   .expectEvents(new AccountMoved(GRANDCHILD, ROOT, CHILD, SIBLING),
                                 new ChildAccountDetached(CHILD, ROOT, GRANDCHILD),
                                 new ChildAccountAttached(SIBLING, ROOT, GRANDCHILD, Map.of()));
        }

        @Test
        void refusesASuspendedTarget() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(ROOT, SIBLING, 10),
                          suspendedByUser(SIBLING))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED);
        }

        @Test
        void refusesADeletedTarget() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(ROOT, SIBLING, 10),
                          deleted(SIBLING, ROOT, 10))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesADeletedAccount() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(ROOT, SIBLING, 10),
                          deleted(CHILD, ROOT, 10))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesLimitsAboveTheNewParents() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 10), childCreated(ROOT, SIBLING, 10),
                          childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 9)),
                          childLimitsChanged(SIBLING, ROOT, Map.of("maxVMs", 5)))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectRejection(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }

        @Test
        void refusesAnUnknownAccount() {
            fixture.given(rootCreated(100))
                   .when(new MoveAccount(CHILD, ROOT))
                   .expectFailure(AggregateNotFoundException.class);
        }
    }

    @Nested
    class MoveSeatsCommand {

        @Test
        void movesSeatsFromParentToChild() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new MoveSeats(ROOT, CHILD, 10))
                   .expectResult(ROOT)
                   .expectEvents(new SeatsSent(ROOT, ROOT, CHILD, 10), new SeatsReceived(CHILD, ROOT, ROOT, 10));
        }

        @Test
        void movesSeatsFromChildToParent() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new MoveSeats(CHILD, ROOT, 30))
                   .expectEvents(new SeatsSent(CHILD, ROOT, ROOT, 30), new SeatsReceived(ROOT, ROOT, CHILD, 30));
        }

        @Test
        void aReactivatedChildTakesSeatsAgain() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), deleted(CHILD, ROOT, 30),
                          reactivated(CHILD, ROOT, 0))
                   .when(new MoveSeats(ROOT, CHILD, 5))
                   .expectEvents(new SeatsSent(ROOT, ROOT, CHILD, 5), new SeatsReceived(CHILD, ROOT, ROOT, 5));
        }

        @Test
        void refusesAnAccountThatIsNeitherParentNorChild() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), childCreated(ROOT, SIBLING, 30))
                   .when(new MoveSeats(CHILD, SIBLING, 1))
                   .expectRejection(ErrorCode.NOT_PARENT_OR_CHILD)
                   .expectRejectionMessage("Account " + SIBLING + " is neither the parent nor a child of " + CHILD + ".");
        }

        @Test
        void refusesADeletedChild() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), deleted(CHILD, ROOT, 30))
                   .when(new MoveSeats(ROOT, CHILD, 1))
                   .expectRejection(ErrorCode.NOT_PARENT_OR_CHILD);
        }

        @Test
        void refusesAFormerChildThatMovedAway() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), childCreated(ROOT, SIBLING, 0),
                          moved(CHILD, ROOT, SIBLING, Map.of()))
                   .when(new MoveSeats(ROOT, CHILD, 1))
                   .expectRejection(ErrorCode.NOT_PARENT_OR_CHILD);
        }

        @Test
        void refusesAFormerParent() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), childCreated(ROOT, SIBLING, 0),
                          moved(CHILD, ROOT, SIBLING, Map.of()))
                   .when(new MoveSeats(CHILD, ROOT, 1))
                   .expectRejection(ErrorCode.NOT_PARENT_OR_CHILD);
        }

        @Test
        void refusesMoreThanTheGiversFreeSeats() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new MoveSeats(CHILD, ROOT, 31))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS);
        }

        @Test
        void refusesMoreSeatsThanOneAccountHolds() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 0))
                   .when(new MoveSeats(ROOT, CHILD, Long.MAX_VALUE))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void refusesToFillTheReceiverAboveTheMostOneAccountHolds() {
            fixture.given(rootCreated(Seats.MAX), childCreated(ROOT, CHILD, 10), seatsGranted("t", ROOT, 10))
                   .when(new MoveSeats(CHILD, ROOT, 1))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS)
                   .expectRejectionMessage("Account " + ROOT + " would hold more than 1000000000 seats, the most one "
                                                   + "account holds: it holds 1000000000, and 1 were asked.");
        }

        @Test
        void refusesZeroSeats() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new MoveSeats(ROOT, CHILD, 0))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void refusesADeletedGiver() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), deleted(CHILD, ROOT, 30))
                   .when(new MoveSeats(CHILD, ROOT, 1))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesAnUnknownAccount() {
            fixture.given(rootCreated(100))
                   .when(new MoveSeats(ROOT, CHILD, 1))
                   .expectFailure(AggregateNotFoundException.class);
        }
    }

    @Nested
    class SetSeatsCommand {

        @Test
        void takesTheDifferenceFromTheParent() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new SetSeats(CHILD, 50))
                   .expectEvents(new SeatsSent(ROOT, ROOT, CHILD, 20), new SeatsReceived(CHILD, ROOT, ROOT, 20));
        }

        @Test
        void returnsTheDifferenceToTheParent() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new SetSeats(CHILD, 5))
                   .expectEvents(new SeatsSent(CHILD, ROOT, ROOT, 25), new SeatsReceived(ROOT, ROOT, CHILD, 25));
        }

        @Test
        void changesNothingWhenTheTotalIsTheSame() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new SetSeats(CHILD, 30))
                   .expectResult(CHILD)
                   .expectNoEvents();
        }

        @Test
        void refusesATotalAboveTheMostOneAccountHolds() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new SetSeats(CHILD, Long.MAX_VALUE))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void refusesMoreThanTheParentHasFree() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new SetSeats(CHILD, 101))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS);
        }

        /** A deleted account is no longer its parent's child, to which seats move. */
        @Test
        void refusesADeletedAccount() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), deleted(CHILD, ROOT, 30))
                   .when(new SetSeats(CHILD, 5))
                   .expectRejection(ErrorCode.NOT_PARENT_OR_CHILD);
        }

        @Test
        void refusesARoot() {
            fixture.given(rootCreated(100))
                   .when(new SetSeats(ROOT, 5))
                   .expectRejection(ErrorCode.ROOT_ACCOUNT);
        }
    }

    @Nested
    class DeleteAccountCommand {

        @Test
        void returnsEverySeatToTheParent() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new DeleteAccount(CHILD))
                   .expectResult(CHILD)
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 30), new ChildAccountRemoved(ROOT, ROOT, CHILD, 30));
        }

        @Test
        void aUserDoesNotDeleteASuspendedAccountWhichReactivatingWouldLift() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), suspendedByUser(CHILD))
                   .when(new DeleteAccount(CHILD), user(ACCOUNTS_DELETE, ACCOUNTS_EDIT))
                   .expectRejection(ErrorCode.ACCOUNT_SUSPENDED)
                   .expectRejectionMessage("Account " + CHILD + " is suspended; lift the suspension before deleting it.");
        }

        @Test
        void theAdminDeletesASuspendedAccount() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), suspendedByAdmin(CHILD))
                   .when(new DeleteAccount(CHILD), CommandCaller.adminMetadata())
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 30), new ChildAccountRemoved(ROOT, ROOT, CHILD, 30));
        }

        @Test
        void refusesToReturnSeatsThatWouldFillTheParentAboveTheMostOneAccountHolds() {
            fixture.given(rootCreated(Seats.MAX), childCreated(ROOT, CHILD, 10), seatsGranted("t", ROOT, 10))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void refusesARoot() {
            fixture.given(rootCreated(100))
                   .when(new DeleteAccount(ROOT))
                   .expectRejection(ErrorCode.ROOT_ACCOUNT);
        }

        @Test
        void refusesAnAccountWithChildren() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), childCreated(CHILD, GRANDCHILD, 5))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.HAS_CHILDREN)
                   .expectRejectionMessage("Account " + CHILD + " has 1 children that are not deleted; delete or move "
                                                   + "them first.");
        }

        @Test
        void acceptsAnAccountWhoseChildrenAreDeleted() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), childCreated(CHILD, GRANDCHILD, 5),
                          deleted(GRANDCHILD, CHILD, 5))
                   .when(new DeleteAccount(CHILD))
                   .expectEvents(new AccountDeleted(CHILD, ROOT, ROOT, 30), new ChildAccountRemoved(ROOT, ROOT, CHILD, 30));
        }

        @Test
        void refusesAnAccountWithAReactivatedChild() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), childCreated(CHILD, GRANDCHILD, 5),
                          deleted(GRANDCHILD, CHILD, 5), reactivated(GRANDCHILD, CHILD, 0))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.HAS_CHILDREN);
        }

        @Test
        void refusesAnAccountWithAChildMovedIn() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), childCreated(ROOT, SIBLING, 0),
                          moved(SIBLING, ROOT, CHILD, Map.of()))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.HAS_CHILDREN);
        }

        @Test
        void refusesAnAccountAlreadyDeleted() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), deleted(CHILD, ROOT, 30))
                   .when(new DeleteAccount(CHILD))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }
    }

    @Nested
    class ReactivateAccountCommand {

        @Test
        void bringsTheAccountBackWithSeatsFromTheParent() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), deleted(CHILD, ROOT, 30))
                   .when(new ReactivateAccount(CHILD, 10))
                   .expectResult(CHILD)
                   .expectEvents(new AccountReactivated(CHILD, ROOT, ROOT, 10),
                                 new ChildAccountRestored(ROOT, ROOT, CHILD, 10));
        }

        /** The parent's own limits must stay above the child's again, so it records them, as on a limit change. */
        @Test
        void theParentRecordsTheLimitsOfTheChildItTakesBack() {
            fixture.given(rootCreated(100), rootLimitsChanged(Map.of("maxVMs", 10)), childCreated(ROOT, CHILD, 0),
                          childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 9)), deleted(CHILD, ROOT, 0))
                   .when(new ReactivateAccount(CHILD, 0))
                   .expectEvents(new AccountReactivated(CHILD, ROOT, ROOT, 0),
                                 new ChildAccountRestored(ROOT, ROOT, CHILD, 0),
                                 new ChildLimitsChanged(ROOT, ROOT, CHILD, Map.of("maxVMs", 9)));
        }

        /** Reactivating with seats moves them from the parent, as setting the child's seats does. */
        @Test
        void aUserWithoutSeatsManageReactivatesOnlyWithoutSeats() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 0), deleted(CHILD, ROOT, 0))
                   .when(new ReactivateAccount(CHILD, 10), user(ACCOUNTS_DELETE))
                   .expectRejection(ErrorCode.PERMISSION_DENIED);
        }

        @Test
        void aUserWithSeatsManageReactivatesWithSeats() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 0), deleted(CHILD, ROOT, 0))
                   .when(new ReactivateAccount(CHILD, 10), user(ACCOUNTS_DELETE, SEATS_MANAGE))
                   .expectEvents(new AccountReactivated(CHILD, ROOT, ROOT, 10),
                                 new ChildAccountRestored(ROOT, ROOT, CHILD, 10));
        }

        @Test
        void aReactivatedAccountIsNoLongerSuspended() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), suspendedByAdmin(CHILD),
                          deleted(CHILD, ROOT, 30), reactivated(CHILD, ROOT, 0))
                   .when(createChild(CHILD, GRANDCHILD, 0))
                   .expectResult(GRANDCHILD);
        }

        @Test
        void anAccountSuspendedWhenItWasDeletedIsReactivatedOnlyByTheAdmin() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), suspendedByUser(CHILD),
                          deleted(CHILD, ROOT, 30))
                   .when(new ReactivateAccount(CHILD, 0), user(ACCOUNTS_DELETE, ACCOUNTS_EDIT))
                   .expectRejection(ErrorCode.PERMISSION_DENIED);
        }

        @Test
        void theAdminReactivatesAnAccountSuspendedWhenItWasDeleted() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), suspendedByAdmin(CHILD),
                          deleted(CHILD, ROOT, 30))
                   .when(new ReactivateAccount(CHILD, 0), CommandCaller.adminMetadata())
                   .expectEvents(new AccountReactivated(CHILD, ROOT, ROOT, 0),
                                 new ChildAccountRestored(ROOT, ROOT, CHILD, 0));
        }

        @Test
        void aUserReactivatesAnAccountThatWasActiveWhenItWasDeleted() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), suspendedByUser(CHILD),
                          new AccountUnsuspended(CHILD, ROOT), deleted(CHILD, ROOT, 30))
                   .when(new ReactivateAccount(CHILD, 0), user(ACCOUNTS_DELETE))
                   .expectEvents(new AccountReactivated(CHILD, ROOT, ROOT, 0),
                                 new ChildAccountRestored(ROOT, ROOT, CHILD, 0));
        }

        @Test
        void refusesAnAccountThatIsNotDeleted() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30))
                   .when(new ReactivateAccount(CHILD, 0))
                   .expectRejection(ErrorCode.NOT_DELETED);
        }

        @Test
        void refusesARoot() {
            fixture.given(rootCreated(100))
                   .when(new ReactivateAccount(ROOT, 0))
                   .expectRejection(ErrorCode.NOT_DELETED);
        }

        @Test
        void refusesWhenTheParentIsDeleted() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), childCreated(CHILD, GRANDCHILD, 5),
                          deleted(GRANDCHILD, CHILD, 5), deleted(CHILD, ROOT, 30))
                   .when(new ReactivateAccount(GRANDCHILD, 0))
                   .expectRejection(ErrorCode.PARENT_DELETED);
        }

        @Test
        void refusesAChildWhoseLimitsNowExceedTheParents() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30),
                          childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 9)), deleted(CHILD, ROOT, 30),
                          rootLimitsChanged(Map.of("maxVMs", 5)))
                   .when(new ReactivateAccount(CHILD, 0))
                   .expectRejection(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }

        @Test
        void refusesMoreSeatsThanTheParentHasFree() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), deleted(CHILD, ROOT, 30))
                   .when(new ReactivateAccount(CHILD, 101))
                   .expectRejection(ErrorCode.INSUFFICIENT_SEATS);
        }

        @Test
        void refusesNegativeSeats() {
            fixture.given(rootCreated(100), childCreated(ROOT, CHILD, 30), deleted(CHILD, ROOT, 30))
                   .when(new ReactivateAccount(CHILD, -1))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }
    }

    @Nested
    class SeatTokens {

        private static final String TOKEN = "c0ffee";

        @Test
        void issuesATokenWorthItsSeats() {
            fixture.givenNoPriorActivity()
                   .when(new IssueSeatToken(TOKEN, 25))
                   .expectEvents(new SeatTokenIssued(TOKEN, 25));
        }

        @Test
        void refusesATokenWorthMoreThanOneAccountHolds() {
            fixture.givenNoPriorActivity()
                   .when(new IssueSeatToken(TOKEN, Seats.MAX + 1))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void refusesATokenWorthNoSeats() {
            fixture.givenNoPriorActivity()
                   .when(new IssueSeatToken(TOKEN, 0))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void redeemingAddsTheSeatsToTheAccount() {
            fixture.given(rootCreated(10), new SeatTokenIssued(TOKEN, 25))
                   .when(new RedeemSeatToken(TOKEN, ROOT))
                   .expectResult(ROOT)
                   .expectEvents(new SeatTokenRedeemed(TOKEN, ROOT), new SeatsGranted(ROOT, ROOT, TOKEN, 25));
        }

        @Test
        void aTokenFillsAnAccountUpToTheMostOneAccountHolds() {
            fixture.given(rootCreated(Seats.MAX - 25), new SeatTokenIssued(TOKEN, 25))
                   .when(new RedeemSeatToken(TOKEN, ROOT))
                   .expectEvents(new SeatTokenRedeemed(TOKEN, ROOT), new SeatsGranted(ROOT, ROOT, TOKEN, 25));
        }

        /** The overflow once found: an organization of Long.MAX_VALUE seats given one more wrapped to negative. */
        @Test
        void refusesATokenThatWouldFillTheAccountAboveTheMostOneAccountHoldsAndLeavesItUnredeemed() {
            fixture.given(rootCreated(Seats.MAX), new SeatTokenIssued(TOKEN, 1))
                   .when(new RedeemSeatToken(TOKEN, ROOT))
                   .expectRejection(ErrorCode.TOO_MANY_SEATS);
        }

        @Test
        void aTokenIsRedeemedAtMostOnce() {
            fixture.given(rootCreated(10), seatsGranted(TOKEN, ROOT, 25))
                   .when(new RedeemSeatToken(TOKEN, ROOT))
                   .expectRejection(ErrorCode.TOKEN_ALREADY_REDEEMED);
        }

        @Test
        void refusesADeletedAccount() {
            fixture.given(rootCreated(10), childCreated(ROOT, CHILD, 1), deleted(CHILD, ROOT, 1),
                          new SeatTokenIssued(TOKEN, 25))
                   .when(new RedeemSeatToken(TOKEN, CHILD))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }

        @Test
        void refusesAnUnknownToken() {
            fixture.given(rootCreated(10))
                   .when(new RedeemSeatToken(TOKEN, ROOT))
                   .expectFailure(AggregateNotFoundException.class);
        }
    }

    @Nested
    class ChangeLimitsCommand {

        @Test
        void setsARootsLimits() {
            fixture.given(rootCreated(0))
                   .when(new ChangeLimits(ROOT, Map.of("maxServers", 50, "maxVMs", 100)))
                   .expectResult(ROOT)
                   .expectEvents(new LimitsChanged(ROOT, ROOT, Map.of("maxServers", 50, "maxVMs", 100)));
        }

        @Test
        void setsAChildsLimitsWithinTheParentsAndTellsTheParent() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), rootLimitsChanged(Map.of("maxVMs", 100)))
                   .when(new ChangeLimits(CHILD, Map.of("maxVMs", 100, "maxServers", 7)))
                   .expectResult(CHILD)
                   .expectEvents(new LimitsChanged(CHILD, ROOT, Map.of("maxVMs", 100, "maxServers", 7)),
                                 new ChildLimitsChanged(ROOT, ROOT, CHILD, Map.of("maxVMs", 100, "maxServers", 7)));
        }

        @Test
        void theSameLimitsChangeNothingOnEitherSide() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 5)))
                   .when(new ChangeLimits(CHILD, Map.of("maxVMs", 5)))
                   .expectResult(CHILD)
                   .expectNoEvents();
        }

        @Test
        void refusesALimitAboveTheParents() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), rootLimitsChanged(Map.of("maxVMs", 100)))
                   .when(new ChangeLimits(CHILD, Map.of("maxVMs", 101)))
                   .expectRejection(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }

        @Test
        void refusesALimitBelowAChildsNamingTheChild() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 40)))
                   .when(new ChangeLimits(ROOT, Map.of("maxVMs", 39)))
                   .expectRejection(ErrorCode.LIMIT_BELOW_CHILD)
                   .expectRejectionMessage("Limits are below those of children: [" + CHILD + "]");
        }

        @Test
        void refusesALimitBelowTheLimitsAChildWasCreatedWith() {
            fixture.given(rootCreated(0), defaultChildLimitsSet(ROOT, Map.of("maxVMs", 5)),
                          childCreated(ROOT, CHILD, 0, Map.of("maxVMs", 5)))
                   .when(new ChangeLimits(ROOT, Map.of("maxVMs", 4)))
                   .expectRejection(ErrorCode.LIMIT_BELOW_CHILD)
                   .expectRejectionMessage("Limits are below those of children: [" + CHILD + ", defaultChildLimits]");
        }

        @Test
        void refusesALimitBelowTheDefaultChildLimits() {
            fixture.given(rootCreated(0), defaultChildLimitsSet(ROOT, Map.of("maxVMs", 10)))
                   .when(new ChangeLimits(ROOT, Map.of("maxVMs", 9)))
                   .expectRejection(ErrorCode.LIMIT_BELOW_CHILD)
                   .expectRejectionMessage("Limits are below those of children: [defaultChildLimits]");
        }

        @Test
        void aDeletedChildsLimitsDoNotHoldTheParent() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 40)),
                          deleted(CHILD, ROOT, 0))
                   .when(new ChangeLimits(ROOT, Map.of("maxVMs", 39)))
                   .expectEvents(new LimitsChanged(ROOT, ROOT, Map.of("maxVMs", 39)));
        }

        @Test
        void aChildsLimitsHoldTheParentItMovedTo() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), childCreated(ROOT, SIBLING, 0),
                          childCreated(CHILD, GRANDCHILD, 0), childLimitsChanged(GRANDCHILD, CHILD, Map.of("maxVMs", 40)),
                          moved(GRANDCHILD, CHILD, SIBLING, Map.of("maxVMs", 40)))
                   .when(new ChangeLimits(SIBLING, Map.of("maxVMs", 39)))
                   .expectRejection(ErrorCode.LIMIT_BELOW_CHILD)
                   .expectRejectionMessage("Limits are below those of children: [" + GRANDCHILD + "]");
        }

        @Test
        void aChildsLimitsNoLongerHoldTheParentItMovedFrom() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), childCreated(ROOT, SIBLING, 0),
                          childCreated(CHILD, GRANDCHILD, 0), childLimitsChanged(GRANDCHILD, CHILD, Map.of("maxVMs", 40)),
                          moved(GRANDCHILD, CHILD, SIBLING, Map.of("maxVMs", 40)))
                   .when(new ChangeLimits(CHILD, Map.of("maxVMs", 39)))
                   .expectEvents(new LimitsChanged(CHILD, ROOT, Map.of("maxVMs", 39)),
                                 new ChildLimitsChanged(ROOT, ROOT, CHILD, Map.of("maxVMs", 39)));
        }

        @Test
        void acceptsAHundredLimits() {
            fixture.given(rootCreated(0))
                   .when(new ChangeLimits(ROOT, limits(100)))
                   .expectEvents(new LimitsChanged(ROOT, ROOT, limits(100)));
        }

        @Test
        void refusesMoreThanAHundredLimits() {
            fixture.given(rootCreated(0))
                   .when(new ChangeLimits(ROOT, limits(101)))
                   .expectRejection(ErrorCode.VALIDATION_FAILED)
                   .expectRejectionMessage("At most 100 limits; got 101.");
        }

        @Test
        void refusesALimitKeyOver64Characters() {
            fixture.given(rootCreated(0))
                   .when(new ChangeLimits(ROOT, Map.of("k".repeat(65), 1)))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void refusesANegativeLimit() {
            fixture.given(rootCreated(0))
                   .when(new ChangeLimits(ROOT, Map.of("maxVMs", -1)))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void refusesADeletedAccount() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), deleted(CHILD, ROOT, 0))
                   .when(new ChangeLimits(CHILD, Map.of("maxVMs", 1)))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }
    }

    /**
     * The two-account rules check the pair they are handed, whichever handler calls them: each side keeps counts of
     * the other (children, seats handed out, limits above), right only for a real parent and child.
     */
    @Nested
    class EntryPoints {

        private final Object siblings = List.of(rootCreated(100), childCreated(ROOT, CHILD, 0),
                                                childCreated(ROOT, SIBLING, 0));

        @Test
        void deleteRefusesAnAccountThatIsNotTheChildOfTheOther() {
            fixture.given(siblings)
                   .whenRule((accounts, users) -> Account.delete(accounts.load(CHILD.toString()),
                                                                 accounts.load(SIBLING.toString()), CommandCaller.ADMIN))
                   .expectFailure(IllegalArgumentException.class);
        }

        @Test
        void reactivateRefusesAnAccountThatIsNotTheChildOfTheOther() {
            fixture.given(siblings, deleted(CHILD, ROOT, 0))
                   .whenRule((accounts, users) -> Account.reactivate(accounts.load(CHILD.toString()),
                                                                     accounts.load(SIBLING.toString()), 0,
                                                                     CommandCaller.ADMIN))
                   .expectFailure(IllegalArgumentException.class);
        }

        @Test
        void moveRefusesAnOldParentThatIsNotTheParent() {
            fixture.given(siblings, childCreated(CHILD, GRANDCHILD, 0))
                   .whenRule((accounts, users) -> Account.move(accounts.load(GRANDCHILD.toString()),
                                                               accounts.load(SIBLING.toString()),
                                                               accounts.load(ROOT.toString()), CommandCaller.ADMIN))
                   .expectFailure(IllegalArgumentException.class);
        }

        @Test
        void changeLimitsRefusesAnAccountThatIsNotTheChildOfTheOther() {
            fixture.given(siblings)
                   .whenRule((accounts, users) -> Account.changeLimits(accounts.load(CHILD.toString()),
                                                                       accounts.load(SIBLING.toString()),
                                                                       Map.of("maxVMs", 1), List.of()))
                   .expectFailure(IllegalArgumentException.class);
        }
    }

    @Nested
    class PatchLimitsCommand {

        /** A patch with nulls, which {@code Map.of} does not hold. */
        private static Map<String, Integer> patch(Object... keysAndValues) {
            Map<String, Integer> patch = new HashMap<>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                patch.put((String) keysAndValues[i], (Integer) keysAndValues[i + 1]);
            }
            return patch;
        }

        @Test
        void setsTheKeysGivenAndKeepsTheOthers() {
            fixture.given(rootCreated(0), rootLimitsChanged(Map.of("maxVMs", 100, "maxServers", 50)))
                   .when(new PatchLimits(ROOT, patch("maxServers", 60, "maxDisks", 3)))
                   .expectResult(ROOT)
                   .expectEvents(new LimitsChanged(ROOT, ROOT, Map.of("maxVMs", 100, "maxServers", 60, "maxDisks", 3)));
        }

        @Test
        void removesAKeyGivenAsNull() {
            fixture.given(rootCreated(0), rootLimitsChanged(Map.of("maxVMs", 100, "maxServers", 50)))
                   .when(new PatchLimits(ROOT, patch("maxServers", null, "notThere", null)))
                   .expectEvents(new LimitsChanged(ROOT, ROOT, Map.of("maxVMs", 100)));
        }

        @Test
        void aPatchThatChangesNothingAppendsNothing() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 5)))
                   .when(new PatchLimits(CHILD, patch("maxVMs", 5, "notThere", null)))
                   .expectResult(CHILD)
                   .expectNoEvents();
        }

        @Test
        void anEmptyPatchChangesNothing() {
            fixture.given(rootCreated(0), rootLimitsChanged(Map.of("maxVMs", 100)))
                   .when(new PatchLimits(ROOT, Map.of()))
                   .expectNoEvents();
        }

        @Test
        void aChildsResultIsCheckedAgainstTheParentAndTheParentToldTheWholeMap() {
            fixture.given(rootCreated(0), rootLimitsChanged(Map.of("maxVMs", 100)), childCreated(ROOT, CHILD, 0),
                          childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 10, "maxServers", 2)))
                   .when(new PatchLimits(CHILD, patch("maxVMs", 20)))
                   .expectEvents(new LimitsChanged(CHILD, ROOT, Map.of("maxVMs", 20, "maxServers", 2)),
                                 new ChildLimitsChanged(ROOT, ROOT, CHILD, Map.of("maxVMs", 20, "maxServers", 2)));
        }

        @Test
        void refusesALimitAboveTheParents() {
            fixture.given(rootCreated(0), rootLimitsChanged(Map.of("maxVMs", 100)), childCreated(ROOT, CHILD, 0))
                   .when(new PatchLimits(CHILD, patch("maxVMs", 101)))
                   .expectRejection(ErrorCode.LIMIT_EXCEEDS_PARENT);
        }

        @Test
        void refusesALimitBelowAChildsNamingTheChild() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 40)))
                   .when(new PatchLimits(ROOT, patch("maxVMs", 39)))
                   .expectRejection(ErrorCode.LIMIT_BELOW_CHILD)
                   .expectRejectionMessage("Limits are below those of children: [" + CHILD + "]");
        }

        @Test
        void removingAKeyLiftsThatBoundSoAChildAboveNoLongerHolds() {
            fixture.given(rootCreated(0), rootLimitsChanged(Map.of("maxVMs", 40)), childCreated(ROOT, CHILD, 0),
                          childLimitsChanged(CHILD, ROOT, Map.of("maxVMs", 40)))
                   .when(new PatchLimits(ROOT, patch("maxVMs", null)))
                   .expectEvents(new LimitsChanged(ROOT, ROOT, Map.of()));
        }

        @Test
        void refusesANegativeLimit() {
            fixture.given(rootCreated(0))
                   .when(new PatchLimits(ROOT, patch("maxVMs", -1)))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void refusesAResultOfMoreThanAHundredLimits() {
            fixture.given(rootCreated(0), rootLimitsChanged(limits(100)))
                   .when(new PatchLimits(ROOT, patch("oneMore", 1)))
                   .expectRejection(ErrorCode.VALIDATION_FAILED)
                   .expectRejectionMessage("At most 100 limits; got 101.");
        }

        @Test
        void refusesADeletedAccount() {
            fixture.given(rootCreated(0), childCreated(ROOT, CHILD, 0), deleted(CHILD, ROOT, 0))
                   .when(new PatchLimits(CHILD, patch("maxVMs", 1)))
                   .expectRejection(ErrorCode.ACCOUNT_DELETED);
        }
    }

    /**
     * A label is unique among the live children of one parent: the directory refuses a clash as the event that would
     * make it is applied (in production its unique index, in the same transaction), so nothing is appended.
     */
    @Nested
    class Labels {

        private static CreateChildAccount labelled(UUID parent, UUID child, String label) {
            return new CreateChildAccount(parent, child, "Child", null, null, label, 0, true);
        }

        @Test
        void createsAChildWithItsLabel() {
            fixture.given(rootCreated(100))
                   .when(labelled(ROOT, CHILD, "eu-west"))
                   .expectResult(CHILD)
                   .expectEvents(labelledChildCreated(ROOT, CHILD, "eu-west").toArray());
        }

        @Test
        void refusesALabelASiblingHas() {
            fixture.given(rootCreated(100), labelledChildCreated(ROOT, SIBLING, "eu-west"))
                   .when(labelled(ROOT, CHILD, "eu-west"))
                   .expectRejection(ErrorCode.DUPLICATE_LABEL);
        }

        @Test
        void acceptsALabelTheChildOfAnotherParentHas() {
            fixture.given(rootCreated(100), childCreated(ROOT, SIBLING, 0),
                          labelledChildCreated(SIBLING, GRANDCHILD, "eu-west"))
                   .when(labelled(ROOT, CHILD, "eu-west"))
                   .expectEvents(labelledChildCreated(ROOT, CHILD, "eu-west").toArray());
        }

        @Test
        void refusesALabelNotOfTheFormBeforeTheParentHandsOverAnything() {
            fixture.given(rootCreated(100))
                   .when(labelled(ROOT, CHILD, "EU_West"))
                   .expectRejection(ErrorCode.VALIDATION_FAILED);
        }

        @Test
        void refusesRelabellingToASiblingsLabel() {
            fixture.given(rootCreated(100), labelledChildCreated(ROOT, SIBLING, "eu-west"),
                          childCreated(ROOT, CHILD, 0))
                   .when(new UpdateAccountDetails(CHILD, null, null, null, "eu-west", null))
                   .expectRejection(ErrorCode.DUPLICATE_LABEL);
        }

        @Test
        void anAccountKeepsItsOwnLabelWhileItsOtherDetailsChange() {
            fixture.given(rootCreated(100), labelledChildCreated(ROOT, CHILD, "eu-west"))
                   .when(new UpdateAccountDetails(CHILD, "Renamed", null, null, "eu-west", null))
                   .expectEvents(new AccountDetailsUpdated(CHILD, ROOT, "Renamed", null, null, "eu-west"));
        }

        @Test
        void refusesAMoveUnderAParentWithAChildOfTheSameLabel() {
            fixture.given(rootCreated(100), childCreated(ROOT, SIBLING, 0),
                          labelledChildCreated(SIBLING, NIECE, "eu-west"), labelledChildCreated(ROOT, CHILD, "eu-west"))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectRejection(ErrorCode.DUPLICATE_LABEL);
        }

        @Test
        void movesAnAccountWhoseLabelIsFreeUnderTheNewParent() {
            fixture.given(rootCreated(100), childCreated(ROOT, SIBLING, 0),
                          labelledChildCreated(SIBLING, NIECE, "eu-east"), labelledChildCreated(ROOT, CHILD, "eu-west"))
                   .when(new MoveAccount(CHILD, SIBLING))
                   .expectEvents(moved(CHILD, ROOT, SIBLING, Map.of()).toArray());
        }

        @Test
        void deletingAnAccountFreesItsLabel() {
            fixture.given(rootCreated(100), labelledChildCreated(ROOT, SIBLING, "eu-west"), deleted(SIBLING, ROOT, 0))
                   .when(labelled(ROOT, CHILD, "eu-west"))
                   .expectEvents(labelledChildCreated(ROOT, CHILD, "eu-west").toArray());
        }

        /** The account comes back with its label, so it does not come back while a sibling took that meanwhile. */
        @Test
        void refusesToReactivateAnAccountWhoseLabelASiblingTookMeanwhile() {
            fixture.given(rootCreated(100), labelledChildCreated(ROOT, SIBLING, "eu-west"), deleted(SIBLING, ROOT, 0),
                          labelledChildCreated(ROOT, CHILD, "eu-west"))
                   .when(new ReactivateAccount(SIBLING, 0))
                   .expectRejection(ErrorCode.DUPLICATE_LABEL);
        }

        @Test
        void reactivatesOnceTheSiblingGaveTheLabelUp() {
            fixture.given(rootCreated(100), labelledChildCreated(ROOT, SIBLING, "eu-west"), deleted(SIBLING, ROOT, 0),
                          labelledChildCreated(ROOT, CHILD, "eu-west"),
                          new AccountDetailsUpdated(CHILD, ROOT, "Child", null, null, null))
                   .when(new ReactivateAccount(SIBLING, 0))
                   .expectEvents(reactivated(SIBLING, ROOT, 0).toArray());
        }

        /** A root has no parent and so no siblings: one organization's label tells nothing about another's. */
        @Test
        void organizationsMayShareALabel() {
            fixture.given(new AccountCreated(OTHER_ROOT, OTHER_ROOT, null, "Other", null, null, "acme", 0, Map.of()))
                   .when(new CreateRootAccount(ROOT, "Acme", null, null, "acme", 0, true))
                   .expectEvents(new AccountCreated(ROOT, ROOT, null, "Acme", null, null, "acme", 0, Map.of()));
        }
    }
}
