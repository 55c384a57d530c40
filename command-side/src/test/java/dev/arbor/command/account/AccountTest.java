package dev.arbor.command.account;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.ChildAccountAdded;
import dev.arbor.api.account.CreateChildAccount;
import dev.arbor.api.account.CreateRootAccount;
import dev.arbor.api.common.ErrorCode;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.arbor.command.support.RuleViolationMatcher.violates;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;
import static org.hamcrest.Matchers.equalTo;

class AccountTest {

    private static final UUID ROOT = UUID.fromString("0191e5b2-0000-7000-8000-000000000001");
    private static final UUID CHILD = UUID.fromString("0191e5b2-0000-7000-8000-000000000002");

    private AggregateTestFixture<Account> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Account.class);
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
                   .expectEvents(new AccountCreated(ROOT, ROOT, null, "Acme", null, null, 0));
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
    class CreateChildAccountCommand {

        @Test
        void handsTheChildSeatsFromTheParentInOneUnitOfWork() {
            fixture.given(rootCreated(100))
                   .when(createChild(30))
                   .expectSuccessfulHandlerExecution()
                   .expectEventsMatching(exactSequenceOf(
                           messageWithPayload(equalTo(new ChildAccountAdded(ROOT, ROOT, CHILD, 30))),
                           messageWithPayload(equalTo(
                                   new AccountCreated(CHILD, ROOT, ROOT, "Acme EU", null, "acme-eu", 30))),
                           andNoMore()));
        }

        @Test
        void mayTakeEveryFreeSeat() {
            fixture.given(rootCreated(100), new ChildAccountAdded(ROOT, ROOT, UUID.randomUUID(), 70))
                   .when(createChild(30))
                   .expectSuccessfulHandlerExecution();
        }

        @Test
        void refusesMoreSeatsThanTheParentHasFree() {
            fixture.given(rootCreated(100), new ChildAccountAdded(ROOT, ROOT, UUID.randomUUID(), 80))
                   .when(createChild(21))
                   .expectException(violates(ErrorCode.INSUFFICIENT_SEATS))
                   .expectExceptionMessage("Account " + ROOT + " has 20 free seats; 21 requested.")
                   .expectNoEvents();
        }

        @Test
        void refusesNegativeSeats() {
            fixture.given(rootCreated(100))
                   .when(createChild(-5))
                   .expectException(violates(ErrorCode.VALIDATION_FAILED))
                   .expectExceptionMessage("Seats must not be negative; got -5.")
                   .expectNoEvents();
        }
    }

    private static AccountCreated rootCreated(long seats) {
        return new AccountCreated(ROOT, ROOT, null, "Acme", "Anvils", "acme-1", seats);
    }

    private static CreateChildAccount createChild(long seats) {
        return new CreateChildAccount(ROOT, CHILD, "Acme EU", null, "acme-eu", seats);
    }
}
