package dev.eventsourcery.eventstore.test;

import dev.eventsourcery.eventstore.EventStore;

/**
 * The entry point of the event store's AssertJ assertions, next to AssertJ's own {@code Assertions}: both
 * {@code assertThat}s can be imported statically at once.
 *
 * <pre>{@code
 * assertThat(store).stream(accountId).containsExactly(new AccountOpened("Ada"), new MoneyDeposited(100));
 * assertThat(store).log().after(checkpoint).containsSubsequence(new MoneyDeposited(100));
 * }</pre>
 */
public final class EventStoreAssertions {

    private EventStoreAssertions() {
    }

    /** Assertions on what the store holds, in its tenant (or, through {@code logInAllTenants()}, in every one). */
    public static EventStoreAssert assertThat(EventStore store) {
        return new EventStoreAssert(store);
    }
}
