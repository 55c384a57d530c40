package dev.arbor.command.account;

import dev.arbor.api.account.AccountConfiguration;
import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountDeleted;
import dev.arbor.api.account.AccountDetailsUpdated;
import dev.arbor.api.account.AccountSuspended;
import dev.arbor.api.account.AccountUnsuspended;
import dev.arbor.api.account.ConfigurationUpdated;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.account.LimitsChanged;
import dev.arbor.api.account.SuspendAccount;
import dev.arbor.api.account.UnsuspendAccount;
import dev.arbor.api.account.UpdateAccountDetails;
import dev.arbor.api.account.UpdateConfiguration;
import dev.arbor.api.account.Seats;
import dev.arbor.api.common.ErrorCode;
import dev.arbor.api.common.EventMetadata;
import dev.arbor.api.user.Permission;
import dev.arbor.command.support.CommandCaller;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.arbor.command.account.TreeEvents.CHILD;
import static dev.arbor.command.account.TreeEvents.ROOT;
import static dev.arbor.command.support.RuleViolationMatcher.violates;

/** The rules one account decides alone. */
class AccountTest {

    private AggregateTestFixture<Account> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Account.class);
    }

    static AccountCreated rootCreated(long seats) {
        return new AccountCreated(ROOT, ROOT, null, "Acme", "Anvils", "acme-1", seats, Map.of());
    }

    /** The events of a child account that was created and then deleted. */
    static List<Object> deletedChild() {
        return List.of(new AccountCreated(CHILD, ROOT, ROOT, "EU", null, null, 5, Map.of()),
                       new AccountDeleted(CHILD, ROOT, ROOT, 5));
    }

    @Nested
    class CreateRootAccountCommand {

        @Test
        void createsAnOrganizationHoldingItsSeats() {
            fixture.givenNoPriorActivity()
                   .when(new CreateRootAccount(ROOT, "Acme", "Anvils", "acme-1", 100))
                   .expectSuccessfulHandlerExecution()
                   .expectEvents(rootCreated(100));
        }

        @Test
        void acceptsAnOrganizationWithoutSeats() {
            fixture.givenNoPriorActivity()
                   .when(new CreateRootAccount(ROOT, "Acme", null, null, 0))
                   .expectEvents(new AccountCreated(ROOT, ROOT, null, "Acme", null, null, 0, Map.of()));
        }

        @Test
        void acceptsTheMostSeatsOneAccountHolds() {
            fixture.givenNoPriorActivity()
                   .when(new CreateRootAccount(ROOT, "Acme", "Anvils", "acme-1", Seats.MAX))
                   .expectEvents(rootCreated(Seats.MAX));
        }

        @Test
        void refusesMoreSeatsThanOneAccountHolds() {
            fixture.givenNoPriorActivity()
                   .when(new CreateRootAccount(ROOT, "Acme", null, null, Long.MAX_VALUE))
                   .expectException(violates(ErrorCode.TOO_MANY_SEATS))
                   .expectExceptionMessage("The command names " + Long.MAX_VALUE
                                                   + " seats; one account holds at most 1000000000.")
                   .expectNoEvents();
        }

        @Test
        void createsItSuspendedWhenNotEnabled() {
            fixture.givenNoPriorActivity()
                   .when(new CreateRootAccount(ROOT, "Acme", "Anvils", "acme-1", null, 100, false),
                         CommandCaller.adminMetadata())
                   .expectEvents(rootCreated(100), new AccountSuspended(ROOT, ROOT, null, true));
        }

        @Test
        void createsItWithALabel() {
            fixture.givenNoPriorActivity()
                   .when(new CreateRootAccount(ROOT, "Acme", null, null, "acme-corp", 0, true))
                   .expectEvents(new AccountCreated(ROOT, ROOT, null, "Acme", null, null, "acme-corp", 0, Map.of()));
        }

        @Test
        void acceptsLabelsOfOneAndOfSixtyThreeCharacters() {
            for (String label : List.of("a", "7", "a".repeat(63), "a-" + "b".repeat(60))) {
                new AggregateTestFixture<>(Account.class)
                        .givenNoPriorActivity()
                        .when(new CreateRootAccount(ROOT, "Acme", null, null, label, 0, true))
                        .expectEvents(new AccountCreated(ROOT, ROOT, null, "Acme", null, null, label, 0, Map.of()));
            }
        }

        @Test
        void refusesALabelThatIsNoSlug() {
            for (String label : List.of("", "Acme", "acme_corp", "acme corp", "-acme", "acme-", "a".repeat(64),
                                        "caf\u00e9", "acme\n")) {
                new AggregateTestFixture<>(Account.class)
                        .givenNoPriorActivity()
                        .when(new CreateRootAccount(ROOT, "Acme", null, null, label, 0, true))
                        .expectException(violates(ErrorCode.VALIDATION_FAILED));
            }
        }

        @Test
        void refusesNegativeSeats() {
            fixture.givenNoPriorActivity()
                   .when(new CreateRootAccount(ROOT, "Acme", null, null, -1))
                   .expectException(violates(ErrorCode.VALIDATION_FAILED))
                   .expectExceptionMessage("Seats must not be negative; got -1.")
                   .expectNoEvents();
        }
    }

    @Nested
    class UpdateAccountDetailsCommand {

        private final Map<String, String> user = CommandCaller.userMetadata(Set.of(Permission.ACCOUNTS_EDIT));

        @Test
        void recordsTheNewDetailsKeepingWhatIsNotGiven() {
            fixture.given(rootCreated(1))
                   .when(new UpdateAccountDetails(ROOT, "Acme Inc", null, null))
                   .expectEvents(new AccountDetailsUpdated(ROOT, ROOT, "Acme Inc", "Anvils", "acme-1"));
        }

        @Test
        void clearsADescriptionGivenAsEmpty() {
            fixture.given(rootCreated(1))
                   .when(new UpdateAccountDetails(ROOT, null, "", null))
                   .expectEvents(new AccountDetailsUpdated(ROOT, ROOT, "Acme", null, "acme-1"));
        }

        @Test
        void changesNothingWhenTheDetailsAreTheSame() {
            fixture.given(rootCreated(1))
                   .when(new UpdateAccountDetails(ROOT, "Acme", "Anvils", null))
                   .expectSuccessfulHandlerExecution()
                   .expectNoEvents();
        }

        @Test
        void refusesADeletedAccount() {
            fixture.given(deletedChild())
                   .when(new UpdateAccountDetails(CHILD, "x", null, null))
                   .expectException(violates(ErrorCode.ACCOUNT_DELETED));
        }

        @Test
        void setsChangesAndClearsTheLabel() {
            fixture.given(rootCreated(1))
                   .when(new UpdateAccountDetails(ROOT, null, null, null, "acme-corp", null))
                   .expectEvents(new AccountDetailsUpdated(ROOT, ROOT, "Acme", "Anvils", "acme-1", "acme-corp"));
            new AggregateTestFixture<>(Account.class)
                    .given(rootCreated(1), new AccountDetailsUpdated(ROOT, ROOT, "Acme", "Anvils", "acme-1", "acme"))
                    .when(new UpdateAccountDetails(ROOT, null, null, null, "", null))
                    .expectEvents(new AccountDetailsUpdated(ROOT, ROOT, "Acme", "Anvils", "acme-1", null));
        }

        @Test
        void keepsTheLabelWhenItIsNotGivenOrTheSame() {
            fixture.given(rootCreated(1), new AccountDetailsUpdated(ROOT, ROOT, "Acme", "Anvils", "acme-1", "acme"))
                   .when(new UpdateAccountDetails(ROOT, "Acme Inc", null, null))
                   .expectEvents(new AccountDetailsUpdated(ROOT, ROOT, "Acme Inc", "Anvils", "acme-1", "acme"));
            new AggregateTestFixture<>(Account.class)
                    .given(rootCreated(1), new AccountDetailsUpdated(ROOT, ROOT, "Acme", "Anvils", "acme-1", "acme"))
                    .when(new UpdateAccountDetails(ROOT, null, null, null, "acme", null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void refusesALabelThatIsNoSlugAndChangesNothingElse() {
            fixture.given(rootCreated(1))
                   .when(new UpdateAccountDetails(ROOT, "Acme Inc", null, null, "Acme Inc", null))
                   .expectException(violates(ErrorCode.VALIDATION_FAILED))
                   .expectNoEvents();
        }

        @Test
        void enabledFalseSuspendsAsSuspendingDoes() {
            fixture.given(rootCreated(1))
                   .when(new UpdateAccountDetails(ROOT, "Acme Inc", null, null, null, false), user)
                   .expectEvents(new AccountDetailsUpdated(ROOT, ROOT, "Acme Inc", "Anvils", "acme-1"),
                                 new AccountSuspended(ROOT, ROOT, null, false));
        }

        @Test
        void enabledTrueLiftsTheSuspension() {
            fixture.given(rootCreated(1), new AccountSuspended(ROOT, ROOT, null, false))
                   .when(new UpdateAccountDetails(ROOT, null, null, null, null, true), user)
                   .expectEvents(new AccountUnsuspended(ROOT, ROOT));
        }

        @Test
        void enabledAsItIsChangesNothing() {
            fixture.given(rootCreated(1))
                   .when(new UpdateAccountDetails(ROOT, null, null, null, null, true), user)
                   .expectSuccessfulHandlerExecution()
                   .expectNoEvents();
        }

        @Test
        void enabledTrueLeavesTheAdminsSuspensionToTheAdminAndChangesNothingElse() {
            fixture.given(rootCreated(1), new AccountSuspended(ROOT, ROOT, null, true))
                   .when(new UpdateAccountDetails(ROOT, "Acme Inc", null, null, null, true), user)
                   .expectException(violates(ErrorCode.PERMISSION_DENIED))
                   .expectNoEvents();
        }

        @Test
        void enabledFalseOnASuspendedAccountChangesNothing() {
            fixture.given(rootCreated(1), new AccountSuspended(ROOT, ROOT, "audit", false))
                   .when(new UpdateAccountDetails(ROOT, null, null, null, null, false), user)
                   .expectSuccessfulHandlerExecution()
                   .expectNoEvents();
        }

        @Test
        void enabledFalseFromTheAdminMakesAUsersSuspensionTheAdminsAsSuspendingDoes() {
            fixture.given(rootCreated(1), new AccountSuspended(ROOT, ROOT, null, false))
                   .when(new UpdateAccountDetails(ROOT, null, null, null, null, false), CommandCaller.adminMetadata())
                   .expectEvents(new AccountSuspended(ROOT, ROOT, null, true));
        }

        @Test
        void enabledTrueFromTheAdminLiftsTheAdminsSuspension() {
            fixture.given(rootCreated(1), new AccountSuspended(ROOT, ROOT, null, true))
                   .when(new UpdateAccountDetails(ROOT, null, null, null, null, true), CommandCaller.adminMetadata())
                   .expectEvents(new AccountUnsuspended(ROOT, ROOT));
        }

        @Test
        void enabledRefusesADeletedAccount() {
            fixture.given(deletedChild())
                   .when(new UpdateAccountDetails(CHILD, null, null, null, null, true))
                   .expectException(violates(ErrorCode.ACCOUNT_DELETED));
        }

    }

    @Nested
    class Suspension {

        private final Map<String, String> user = CommandCaller.userMetadata(Set.of(Permission.ACCOUNTS_EDIT));
        private final AccountSuspended byUser = new AccountSuspended(ROOT, ROOT, null, false);
        private final AccountSuspended byAdmin = new AccountSuspended(ROOT, ROOT, null, true);

        @Test
        void suspendsAnActiveAccount() {
            fixture.given(rootCreated(1))
                   .when(new SuspendAccount(ROOT, "unpaid invoice"), user)
                   .expectEvents(new AccountSuspended(ROOT, ROOT, "unpaid invoice", false));
        }

        @Test
        void recordsThatThePlatformAdminSuspended() {
            fixture.given(rootCreated(1))
                   .when(new SuspendAccount(ROOT, "fraud"), CommandCaller.adminMetadata())
                   .expectEvents(new AccountSuspended(ROOT, ROOT, "fraud", true));
        }

        @Test
        void suspendingTwiceIsANoOpSuccess() {
            fixture.given(rootCreated(1), byUser)
                   .when(new SuspendAccount(ROOT, "again"), user)
                   .expectSuccessfulHandlerExecution()
                   .expectNoEvents();
        }

        @Test
        void theAdminSuspendingAnAccountAUserSuspendedMakesTheSuspensionTheAdmins() {
            fixture.given(rootCreated(1), byUser)
                   .when(new SuspendAccount(ROOT, "fraud"), CommandCaller.adminMetadata())
                   .expectEvents(new AccountSuspended(ROOT, ROOT, "fraud", true));
        }

        @Test
        void theAdminSuspendingTwiceIsANoOpSuccess() {
            fixture.given(rootCreated(1), byAdmin)
                   .when(new SuspendAccount(ROOT, "again"), CommandCaller.adminMetadata())
                   .expectSuccessfulHandlerExecution()
                   .expectNoEvents();
        }

        @Test
        void aUserLiftsAUsersSuspension() {
            fixture.given(rootCreated(1), byUser)
                   .when(new UnsuspendAccount(ROOT), user)
                   .expectEvents(new AccountUnsuspended(ROOT, ROOT));
        }

        @Test
        void aSuspensionByTheAdminIsLiftedOnlyByTheAdmin() {
            fixture.given(rootCreated(1), byAdmin)
                   .when(new UnsuspendAccount(ROOT), user)
                   .expectException(violates(ErrorCode.PERMISSION_DENIED))
                   .expectExceptionMessage("Account " + ROOT + " was suspended by the platform admin; only the "
                                                   + "admin lifts that suspension.")
                   .expectNoEvents();
        }

        @Test
        void theAdminLiftsItsSuspension() {
            fixture.given(rootCreated(1), byAdmin)
                   .when(new UnsuspendAccount(ROOT), CommandCaller.adminMetadata())
                   .expectEvents(new AccountUnsuspended(ROOT, ROOT));
        }

        @Test
        void aSuspensionRecordedBeforeByAdminExistedIsTheAdminsWhenItsActorIsNoUserId() {
            fixture.given(rootCreated(1),
                          GenericEventMessage.asEventMessage(byUser).andMetaData(Map.of(EventMetadata.ACTOR, "admin")))
                   .when(new UnsuspendAccount(ROOT), user)
                   .expectException(violates(ErrorCode.PERMISSION_DENIED));
        }

        @Test
        void aSuspensionRecordedBeforeByAdminExistedIsAUsersWhenItsActorIsAUserId() {
            fixture.given(rootCreated(1),
                          GenericEventMessage.asEventMessage(byUser)
                                             .andMetaData(Map.of(EventMetadata.ACTOR, UUID.randomUUID().toString())))
                   .when(new UnsuspendAccount(ROOT), user)
                   .expectEvents(new AccountUnsuspended(ROOT, ROOT));
        }

        @Test
        void aLiftedSuspensionOfTheAdminLeavesNothingBehind() {
            fixture.given(rootCreated(1), byAdmin, new AccountUnsuspended(ROOT, ROOT), byUser)
                   .when(new UnsuspendAccount(ROOT), user)
                   .expectEvents(new AccountUnsuspended(ROOT, ROOT));
        }

        @Test
        void unsuspendsASuspendedAccount() {
            fixture.given(rootCreated(1), new AccountSuspended(ROOT, ROOT, null))
                   .when(new UnsuspendAccount(ROOT))
                   .expectEvents(new AccountUnsuspended(ROOT, ROOT));
        }

        @Test
        void unsuspendingAnActiveAccountIsANoOpSuccess() {
            fixture.given(rootCreated(1))
                   .when(new UnsuspendAccount(ROOT))
                   .expectSuccessfulHandlerExecution()
                   .expectNoEvents();
        }

        @Test
        void refusesADeletedAccount() {
            fixture.given(deletedChild())
                   .when(new SuspendAccount(CHILD, null))
                   .expectException(violates(ErrorCode.ACCOUNT_DELETED));
        }
    }

    @Nested
    class UpdateConfigurationCommand {

        private final AccountConfiguration billable =
                new AccountConfiguration(true, Map.of("region", "eu"), Map.of("maxVMs", 10));

        private UpdateConfiguration makeBillable() {
            return new UpdateConfiguration(ROOT, true, Map.of("region", "eu"), Map.of("maxVMs", 10));
        }

        @Test
        void recordsTheNewConfiguration() {
            fixture.given(rootCreated(1))
                   .when(makeBillable())
                   .expectEvents(new ConfigurationUpdated(ROOT, ROOT, billable));
        }

        @Test
        void mergesThePatchRemovingKeysSetToNull() {
            Map<String, String> patch = new java.util.HashMap<>();
            patch.put("region", null);
            patch.put("tier", "gold");
            fixture.given(rootCreated(1), new ConfigurationUpdated(ROOT, ROOT, billable))
                   .when(new UpdateConfiguration(ROOT, null, patch, null))
                   .expectEvents(new ConfigurationUpdated(ROOT, ROOT, new AccountConfiguration(
                           true, Map.of("tier", "gold"), Map.of("maxVMs", 10))));
        }

        @Test
        void changesNothingWhenThePatchChangesNothing() {
            fixture.given(rootCreated(1), new ConfigurationUpdated(ROOT, ROOT, billable))
                   .when(makeBillable())
                   .expectSuccessfulHandlerExecution()
                   .expectNoEvents();
        }

        @Test
        void refusesMoreThanAHundredProperties() {
            Map<String, String> tooMany = new java.util.HashMap<>();
            for (int i = 0; i <= 100; i++) {
                tooMany.put("key" + i, "value");
            }
            fixture.given(rootCreated(1))
                   .when(new UpdateConfiguration(ROOT, null, tooMany, null))
                   .expectException(violates(ErrorCode.VALIDATION_FAILED))
                   .expectNoEvents();
        }

        @Test
        void refusesMoreThanAHundredDefaultChildLimits() {
            fixture.given(rootCreated(1))
                   .when(new UpdateConfiguration(ROOT, null, null, AccountTreeTest.limits(101)))
                   .expectException(violates(ErrorCode.VALIDATION_FAILED))
                   .expectExceptionMessage("At most 100 limits; got 101.")
                   .expectNoEvents();
        }

        @Test
        void acceptsAHundredDefaultChildLimits() {
            fixture.given(rootCreated(1))
                   .when(new UpdateConfiguration(ROOT, null, null, AccountTreeTest.limits(100)))
                   .expectEvents(new ConfigurationUpdated(ROOT, ROOT, new AccountConfiguration(
                           false, Map.of(), AccountTreeTest.limits(100))));
        }

        @Test
        void refusesAPropertyValueOverALimitOf1024Characters() {
            fixture.given(rootCreated(1))
                   .when(new UpdateConfiguration(ROOT, null, Map.of("k", "v".repeat(1025)), null))
                   .expectException(violates(ErrorCode.VALIDATION_FAILED))
                   .expectNoEvents();
        }

        @Test
        void refusesDefaultChildLimitsAboveTheAccountsOwnLimits() {
            fixture.given(rootCreated(1), new LimitsChanged(ROOT, ROOT, Map.of("maxVMs", 5)))
                   .when(makeBillable())
                   .expectException(violates(ErrorCode.LIMIT_EXCEEDS_PARENT))
                   .expectNoEvents();
        }

        @Test
        void refusesADeletedAccount() {
            fixture.given(deletedChild())
                   .when(new UpdateConfiguration(CHILD, true, null, null))
                   .expectException(violates(ErrorCode.ACCOUNT_DELETED));
        }
    }
}
