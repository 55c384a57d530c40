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
import dev.arbor.api.common.ErrorCode;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.arbor.command.support.RuleViolationMatcher.violates;

/** The rules one account decides alone. */
class AccountTest {

    static final UUID ROOT = UUID.fromString("0191e5b2-0000-7000-8000-000000000001");
    static final UUID CHILD = UUID.fromString("0191e5b2-0000-7000-8000-000000000002");

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
    }

    @Nested
    class Suspension {

        @Test
        void suspendsAnActiveAccount() {
            fixture.given(rootCreated(1))
                   .when(new SuspendAccount(ROOT, "unpaid invoice"))
                   .expectEvents(new AccountSuspended(ROOT, ROOT, "unpaid invoice"));
        }

        @Test
        void suspendingTwiceIsANoOpSuccess() {
            fixture.given(rootCreated(1), new AccountSuspended(ROOT, ROOT, null))
                   .when(new SuspendAccount(ROOT, "again"))
                   .expectSuccessfulHandlerExecution()
                   .expectNoEvents();
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
