package dev.arbor.command.account;

import dev.arbor.api.account.AccountCreated;
import dev.arbor.api.account.AccountSuspended;
import dev.arbor.api.account.LimitsChanged;
import dev.arbor.api.account.ReportUsage;
import dev.arbor.api.account.UsageReported;
import dev.arbor.api.common.ErrorCode;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.arbor.command.account.TreeEvents.ROOT;
import static dev.arbor.command.support.RuleViolationMatcher.violates;

/** Usage counters the platform reports for one account ({@code PUT /accounts/{id}/usage}). */
class AccountUsageTest {

    private static final AccountCreated ROOT_CREATED = AccountTest.rootCreated(10);

    private AggregateTestFixture<Account> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Account.class);
    }

    @Test
    void recordsTheReportedCounters() {
        fixture.given(ROOT_CREATED)
               .when(new ReportUsage(ROOT, Map.of("connections", 3, "volume", 1200)))
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(ROOT)
               .expectEvents(new UsageReported(ROOT, ROOT, Map.of("connections", 3, "volume", 1200)));
    }

    /** A report is the whole set: a counter left out is no longer used. */
    @Test
    void aReportReplacesTheLastOne() {
        fixture.given(ROOT_CREATED, new UsageReported(ROOT, ROOT, Map.of("connections", 3, "volume", 1200)))
               .when(new ReportUsage(ROOT, Map.of("connections", 0)))
               .expectEvents(new UsageReported(ROOT, ROOT, Map.of("connections", 0)));
    }

    @Test
    void anEmptyReportClearsTheCounters() {
        fixture.given(ROOT_CREATED, new UsageReported(ROOT, ROOT, Map.of("connections", 3)))
               .when(new ReportUsage(ROOT, Map.of()))
               .expectEvents(new UsageReported(ROOT, ROOT, Map.of()));
    }

    @Test
    void repeatingTheLastReportChangesNothing() {
        fixture.given(ROOT_CREATED, new UsageReported(ROOT, ROOT, Map.of("connections", 3)))
               .when(new ReportUsage(ROOT, Map.of("connections", 3)))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents();
    }

    @Test
    void anEmptyReportOnAnAccountThatNeverReportedChangesNothing() {
        fixture.given(ROOT_CREATED)
               .when(new ReportUsage(ROOT, Map.of()))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents();
    }

    /** Over a limit is reported by the query side, not refused: the usage happened. */
    @Test
    void acceptsUsageAboveTheLimitOfItsName() {
        fixture.given(ROOT_CREATED, new LimitsChanged(ROOT, ROOT, Map.of("connections", 2)))
               .when(new ReportUsage(ROOT, Map.of("connections", 5)))
               .expectEvents(new UsageReported(ROOT, ROOT, Map.of("connections", 5)));
    }

    @Test
    void acceptsUsageOfASuspendedAccount() {
        fixture.given(ROOT_CREATED, new AccountSuspended(ROOT, ROOT, null, true))
               .when(new ReportUsage(ROOT, Map.of("connections", 1)))
               .expectEvents(new UsageReported(ROOT, ROOT, Map.of("connections", 1)));
    }

    @Test
    void refusesADeletedAccount() {
        fixture.given(AccountTest.deletedChild())
               .when(new ReportUsage(TreeEvents.CHILD, Map.of("connections", 1)))
               .expectException(violates(ErrorCode.ACCOUNT_DELETED))
               .expectNoEvents();
    }

    @Test
    void refusesANegativeCounter() {
        fixture.given(ROOT_CREATED)
               .when(new ReportUsage(ROOT, Map.of("connections", -1)))
               .expectException(violates(ErrorCode.VALIDATION_FAILED))
               .expectExceptionMessage("Usage counter connections must be a non-negative number; got -1.")
               .expectNoEvents();
    }

    @Test
    void refusesACounterWithoutAValue() {
        Map<String, Integer> withoutValue = new HashMap<>();
        withoutValue.put("connections", null);
        fixture.given(ROOT_CREATED)
               .when(new ReportUsage(ROOT, withoutValue))
               .expectException(violates(ErrorCode.VALIDATION_FAILED))
               .expectNoEvents();
    }

    @Test
    void refusesMoreCountersThanLimitKeys() {
        fixture.given(ROOT_CREATED)
               .when(new ReportUsage(ROOT, AccountTreeTest.limits(101)))
               .expectException(violates(ErrorCode.VALIDATION_FAILED))
               .expectExceptionMessage("At most 100 usage counters; got 101.")
               .expectNoEvents();
    }

    @Test
    void acceptsAHundredCounters() {
        fixture.given(ROOT_CREATED)
               .when(new ReportUsage(ROOT, AccountTreeTest.limits(100)))
               .expectEvents(new UsageReported(ROOT, ROOT, AccountTreeTest.limits(100)));
    }

    @Test
    void refusesANameLongerThanALimitKey() {
        fixture.given(ROOT_CREATED)
               .when(new ReportUsage(ROOT, Map.of("c".repeat(65), 1)))
               .expectException(violates(ErrorCode.VALIDATION_FAILED))
               .expectExceptionMessage("Usage counter names are 1-64 characters; '" + "c".repeat(64) + "...' is not.")
               .expectNoEvents();
    }

    @Test
    void refusesABlankName() {
        fixture.given(ROOT_CREATED)
               .when(new ReportUsage(ROOT, Map.of(" ", 1)))
               .expectException(violates(ErrorCode.VALIDATION_FAILED))
               .expectNoEvents();
    }
}
