package dev.eventsourcery.eventstore.test;

import static dev.eventsourcery.eventstore.test.EventStoreAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.Position;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;
import dev.eventsourcery.eventstore.test.Events.AccountOpened;
import dev.eventsourcery.eventstore.test.Events.MoneyDeposited;
import dev.eventsourcery.eventstore.test.Events.MoneyWithdrawn;

/**
 * The log assertions on the in-memory store: each passes on a log that matches and fails with a message that
 * lists the expected events and the log's, with their positions, streams and versions, on one that does not.
 */
class LogAssertTest {

    private final EventStore store = StorageEventStore.builder(new InMemoryEventStorage()).build();
    private final StreamId ada = StreamId.named("ada").withCategory("accounts");
    private final StreamId bob = StreamId.named("bob").withCategory("accounts");
    private final StreamId audit = StreamId.named("audit");

    @Test
    void containsExactlyPassesOnTheLogsEventsInPositionOrder() {
        store.appendEvents(ada, 0, new AccountOpened("Ada"));
        store.appendEvents(bob, 0, new AccountOpened("Bob"));
        store.appendEvents(ada, 1, new MoneyDeposited(10));

        assertThat(store).log()
                .containsExactly(new AccountOpened("Ada"), new AccountOpened("Bob"), new MoneyDeposited(10))
                .hasSize(3);
    }

    @Test
    void containsExactlyListsTheLogWithPositionsStreamsAndVersions() {
        store.appendEvents(ada, 0, new AccountOpened("Ada"), new MoneyDeposited(20));

        assertThatThrownBy(() -> assertThat(store).log()
                .containsExactly(new AccountOpened("Ada"), new MoneyDeposited(10)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("""
                        Expecting the log to contain exactly these events, in position order:
                          [0] AccountOpened[owner=Ada]
                          [1] MoneyDeposited[amount=10]
                        but it contains:
                          [0] position 1, stream %1$s, v1: AccountOpened[owner=Ada]
                          [1] position 2, stream %1$s, v2: MoneyDeposited[amount=20]
                        The first difference is at index 1: expected MoneyDeposited[amount=10] but was \
                        position 2, stream %1$s, v2: MoneyDeposited[amount=20].""".formatted(ada));
    }

    @Test
    void containsExactlySaysWhenTheLogHasFewerEvents() {
        store.appendEvents(ada, 0, new AccountOpened("Ada"));

        assertThatThrownBy(() -> assertThat(store).log()
                .containsExactly(new AccountOpened("Ada"), new MoneyDeposited(10)))
                .hasMessageEndingWith("The first difference is at index 1: expected MoneyDeposited[amount=10] but "
                        + "the log has only 1 event.");
    }

    @Test
    void containsSubsequencePassesWhenTheEventsComeInThisOrderWithOthersBetween() {
        store.appendEvents(ada, 0, new AccountOpened("Ada"));
        store.appendEvents(bob, 0, new AccountOpened("Bob"));
        store.appendEvents(ada, 1, new MoneyDeposited(10));

        assertThat(store).log().containsSubsequence(new AccountOpened("Ada"), new MoneyDeposited(10));
    }

    @Test
    void containsSubsequenceNamesTheFirstEventNotFoundAfterThePreviousOne() {
        store.appendEvents(ada, 0, new MoneyDeposited(10));
        store.appendEvents(bob, 0, new AccountOpened("Bob"));

        assertThatThrownBy(() -> assertThat(store).log()
                .containsSubsequence(new AccountOpened("Bob"), new MoneyDeposited(10)))
                .hasMessage("""
                        Expecting the log to contain these events in this order, others allowed between them:
                          [0] AccountOpened[owner=Bob]
                          [1] MoneyDeposited[amount=10]
                        but it contains:
                          [0] position 1, stream %s, v1: MoneyDeposited[amount=10]
                          [1] position 2, stream %s, v1: AccountOpened[owner=Bob]
                        It has no [1] MoneyDeposited[amount=10] after position 2, where [0] is."""
                        .formatted(ada, bob));
        assertThatThrownBy(() -> assertThat(store).log().containsSubsequence(new MoneyWithdrawn(5)))
                .hasMessageEndingWith("It has no [0] MoneyWithdrawn[amount=5].");
    }

    @Test
    void afterLeavesOutTheEventsUpToThePosition() {
        store.appendEvents(ada, 0, new AccountOpened("Ada"));
        Optional<Position> checkpoint = store.position();
        store.appendEvents(ada, 1, new MoneyDeposited(10));

        assertThat(store).log().after(checkpoint.orElseThrow()).containsExactly(new MoneyDeposited(10));
        assertThat(store).log().after(checkpoint).containsExactly(new MoneyDeposited(10));
        assertThat(store).log().after(Optional.empty())
                .containsExactly(new AccountOpened("Ada"), new MoneyDeposited(10));
        assertThatThrownBy(() -> assertThat(store).log().after(checkpoint).isEmpty())
                .hasMessage("""
                        Expecting the log after position 1 to be empty, but it has 1 event:
                          [0] position 2, stream %s, v2: MoneyDeposited[amount=10]""".formatted(ada));
    }

    @Test
    void inStreamAndInCategoryNarrowTheLog() {
        store.appendEvents(ada, 0, new AccountOpened("Ada"));
        store.appendEvents(audit, 0, new AccountOpened("Ada"));
        store.appendEvents(bob, 0, new AccountOpened("Bob"));

        assertThat(store).log().inCategory("accounts")
                .containsExactly(new AccountOpened("Ada"), new AccountOpened("Bob"));
        assertThat(store).log().inStream(bob).containsExactly(new AccountOpened("Bob"));
        assertThatThrownBy(() -> assertThat(store).log().inCategory("accounts").inStream(audit).hasSize(1))
                .hasMessage("Expecting the log in category accounts in stream " + audit
                        + " to have 1 event, but it has no events.");
    }

    @Test
    void isEmptyPassesOnAStoreWithoutEventsAndListsThemOtherwise() {
        assertThat(store).log().isEmpty();
        assertThat(store).logInAllTenants().isEmpty();

        store.appendEvents(ada, 0, new AccountOpened("Ada"));

        assertThatThrownBy(() -> assertThat(store).log().isEmpty())
                .hasMessage("""
                        Expecting the log to be empty, but it has 1 event:
                          [0] position 1, stream %s, v1: AccountOpened[owner=Ada]""".formatted(ada));
    }

    @Test
    void theLogIsTheStoresTenantsAndLogInAllTenantsNamesEachEventsTenant() {
        store.appendEvents(ada, 0, new AccountOpened("Ada"));
        store.scopedForTenant("acme").appendEvents(ada, 0, new AccountOpened("Ada at Acme"));

        assertThat(store).log().containsExactly(new AccountOpened("Ada"));
        assertThat(store.scopedForTenant("acme")).log().containsExactly(new AccountOpened("Ada at Acme"));
        assertThatThrownBy(() -> assertThat(store).logInAllTenants().hasSize(1))
                .hasMessage("""
                        Expecting the log of every tenant to have 1 event, but it has 2 events:
                          [0] position 1, default tenant, stream %1$s, v1: AccountOpened[owner=Ada]
                          [1] position 2, tenant acme, stream %1$s, v1: AccountOpened[owner=Ada at Acme]"""
                        .formatted(ada));
    }

    @Test
    void theAssertionsDescriptionStaysWithTheNarrowedLog() {
        store.appendEvents(ada, 0, new AccountOpened("Ada"));

        assertThatThrownBy(() -> assertThat(store).as("after opening").log().inStream(bob).hasSize(1))
                .hasMessage("[after opening] Expecting the log in stream " + bob
                        + " to have 1 event, but it has no events.");
    }
}
