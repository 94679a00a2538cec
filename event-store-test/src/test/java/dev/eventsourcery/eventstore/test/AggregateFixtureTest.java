package dev.eventsourcery.eventstore.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.aggregate.AggregateType;

class AggregateFixtureTest {

    record Opened(String owner) {
    }

    record Deposited(int amount) {
    }

    record Withdrawn(int amount) {
    }

    record Purse(boolean open, int balance) {

        Object withdraw(int amount) {
            if (amount > balance) {
                throw new IllegalStateException("Balance " + balance + " does not cover " + amount);
            }
            return new Withdrawn(amount);
        }
    }

    static final AggregateType<Purse> PURSES = AggregateType.builder("purse", Purse.class)
            .initialState(() -> new Purse(false, 0))
            .on(Opened.class, (purse, opened) -> new Purse(true, 0))
            .on(Deposited.class, (purse, deposited) -> new Purse(true, purse.balance() + deposited.amount()))
            .on(Withdrawn.class, (purse, withdrawn) -> new Purse(true, purse.balance() - withdrawn.amount()))
            .build();

    private final AggregateFixture<Purse> fixture = AggregateFixture.of(PURSES);

    @Test
    void theCommandRunsOnTheStateTheGivenEventsFoldInto() {
        fixture.given(new Opened("Ada"), new Deposited(100))
                .when(purse -> purse.withdraw(30))
                .thenEvents(new Withdrawn(30))
                .thenState(purse -> assertThat(purse.balance()).isEqualTo(70));

        assertThat(fixture.given(new Opened("Ada"), new Deposited(7)).state()).isEqualTo(new Purse(true, 7));
        assertThat(fixture.givenNothing().when(purse -> List.of(new Opened("Bob"), new Deposited(1))).events())
                .containsExactly(new Opened("Bob"), new Deposited(1));
    }

    @Test
    void otherEventsFailWithBothListsAndTheFirstDifference() {
        assertThatThrownBy(() -> fixture.given(new Opened("Ada"), new Deposited(100))
                .when(purse -> purse.withdraw(30))
                .thenEvents(new Withdrawn(20)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the command on 'purse' to decide exactly these events:\n"
                        + "  [0] Withdrawn[amount=20]\n"
                        + "but it decided:\n"
                        + "  [0] Withdrawn[amount=30]\n"
                        + "The first difference is at index 0: expected Withdrawn[amount=20] but was Withdrawn[amount=30].")
                .hasMessageContaining("given:\n  [0] Opened[owner=Ada]\n  [1] Deposited[amount=100]");
    }

    @Test
    void anEventMoreOrLessIsNamed() {
        assertThatThrownBy(() -> fixture.givenNothing()
                .when(purse -> new Opened("Ada"))
                .thenEvents(new Opened("Ada"), new Deposited(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected Deposited[amount=5] but the decision has only 1 event");
        assertThatThrownBy(() -> fixture.givenNothing()
                .when(purse -> new Opened("Ada"))
                .thenNoEvents())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected no more events but was Opened[owner=Ada]");
    }

    @Test
    void anExpectedExceptionIsCheckedAndCanBeLookedInto() {
        fixture.given(new Opened("Ada"), new Deposited(10))
                .when(purse -> purse.withdraw(11))
                .thenThrows(IllegalStateException.class)
                .hasMessage("Balance 10 does not cover 11");
    }

    @Test
    void aMissingOrOtherExceptionFailsNamingWhatHappened() {
        assertThatThrownBy(() -> fixture.given(new Opened("Ada"), new Deposited(10))
                .when(purse -> purse.withdraw(5))
                .thenThrows(IllegalStateException.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to throw java.lang.IllegalStateException, but it decided:\n  [0] Withdrawn[amount=5]");
        assertThatThrownBy(() -> fixture.givenNothing()
                .when(purse -> purse.withdraw(5))
                .thenThrows(IllegalArgumentException.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it threw java.lang.IllegalStateException: Balance 0 does not cover 5");
    }

    @Test
    void expectingEventsWhenTheCommandThrewFailsWithTheException() {
        assertThatThrownBy(() -> fixture.givenNothing()
                .when(purse -> purse.withdraw(5))
                .thenEvents(new Withdrawn(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it threw java.lang.IllegalStateException: Balance 0 does not cover 5")
                .hasMessageContaining("given no events")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDecisionThatNamesNoEventsFailsAsTheRepositoryWould() {
        assertThatThrownBy(() -> fixture.givenNothing().when(purse -> null).events())
                .isInstanceOf(AssertionError.class)
                .hasCauseInstanceOf(NullPointerException.class)
                .hasMessageContaining("decided null");
    }
}
