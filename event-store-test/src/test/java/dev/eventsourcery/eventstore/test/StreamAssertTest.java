package dev.eventsourcery.eventstore.test;

import static dev.eventsourcery.eventstore.test.EventStoreAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.storage.StorageEventStore;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;
import dev.eventsourcery.eventstore.test.Events.AccountOpened;
import dev.eventsourcery.eventstore.test.Events.AccountState;
import dev.eventsourcery.eventstore.test.Events.MoneyDeposited;
import dev.eventsourcery.eventstore.test.Events.MoneyWithdrawn;
import dev.eventsourcery.eventstore.test.Events.Note;
import dev.eventsourcery.eventstore.test.Events.Other;

/**
 * The stream assertions on the in-memory store: each passes on a stream that matches and fails with a message
 * that lists the expected and the stored events and names the first difference on one that does not.
 */
class StreamAssertTest {

    private final EventStore store = StorageEventStore.builder(new InMemoryEventStorage()).build();
    private final StreamId account = StreamId.named("account-1");

    @Test
    void containsExactlyPassesOnTheStreamsEventsInVersionOrder() {
        store.appendEvents(account, 0, new AccountOpened("Ada"), new MoneyDeposited(10));
        store.appendEvents(account, 2, new MoneyWithdrawn(5));

        assertThat(store).stream(account)
                .containsExactly(new AccountOpened("Ada"), new MoneyDeposited(10), new MoneyWithdrawn(5));
    }

    @Test
    void containsExactlyNamesTheFirstEventThatDiffers() {
        store.appendEvents(account, 0, new AccountOpened("Ada"), new MoneyDeposited(20));

        assertThatThrownBy(() -> assertThat(store).stream(account)
                .containsExactly(new AccountOpened("Ada"), new MoneyDeposited(10)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("""
                        Expecting stream %s to contain exactly these events, in version order:
                          [0] AccountOpened[owner=Ada]
                          [1] MoneyDeposited[amount=10]
                        but it contains:
                          [0] v1 AccountOpened[owner=Ada]
                          [1] v2 MoneyDeposited[amount=20]
                        The first difference is at index 1: expected MoneyDeposited[amount=10] but was \
                        v2 MoneyDeposited[amount=20].""".formatted(account));
    }

    @Test
    void containsExactlyGivesAnIdeBothListsToCompare() {
        store.appendEvents(account, 0, new AccountOpened("Ada"), new MoneyDeposited(20));

        assertThatThrownBy(() -> assertThat(store).stream(account)
                .containsExactly(new AccountOpened("Ada"), new MoneyDeposited(10)))
                .isInstanceOfSatisfying(AssertionFailedError.class, failure -> {
                    assertThat(failure.getExpected().getStringRepresentation())
                            .isEqualTo("AccountOpened[owner=Ada]\nMoneyDeposited[amount=10]");
                    assertThat(failure.getActual().getStringRepresentation())
                            .isEqualTo("AccountOpened[owner=Ada]\nMoneyDeposited[amount=20]");
                });
    }

    @Test
    void containsExactlySaysWhenTheStreamHasFewerEvents() {
        store.appendEvents(account, 0, new AccountOpened("Ada"));

        assertThatThrownBy(() -> assertThat(store).stream(account)
                .containsExactly(new AccountOpened("Ada"), new MoneyDeposited(10)))
                .hasMessage("""
                        Expecting stream %s to contain exactly these events, in version order:
                          [0] AccountOpened[owner=Ada]
                          [1] MoneyDeposited[amount=10]
                        but it contains:
                          [0] v1 AccountOpened[owner=Ada]
                        The first difference is at index 1: expected MoneyDeposited[amount=10] but the stream \
                        has only 1 event.""".formatted(account));
    }

    @Test
    void containsExactlySaysWhenTheStreamHasMoreEvents() {
        store.appendEvents(account, 0, new AccountOpened("Ada"), new MoneyDeposited(10));

        assertThatThrownBy(() -> assertThat(store).stream(account).containsExactly(new AccountOpened("Ada")))
                .hasMessage("""
                        Expecting stream %s to contain exactly these events, in version order:
                          [0] AccountOpened[owner=Ada]
                        but it contains:
                          [0] v1 AccountOpened[owner=Ada]
                          [1] v2 MoneyDeposited[amount=10]
                        The first difference is at index 1: expected no more events but was \
                        v2 MoneyDeposited[amount=10].""".formatted(account));
    }

    @Test
    void containsExactlySaysWhenTheStreamDoesNotExist() {
        assertThatThrownBy(() -> assertThat(store).stream(account).containsExactly(new AccountOpened("Ada")))
                .hasMessage("""
                        Expecting stream %s to contain exactly these events, in version order:
                          [0] AccountOpened[owner=Ada]
                        but it has no events.
                        The first difference is at index 0: expected AccountOpened[owner=Ada] but the stream \
                        has no events.""".formatted(account));
    }

    @Test
    void containsExactlyTellsClassesOfOneSimpleNameApartByTheirFullNames() {
        store.appendEvents(account, 0, new MoneyDeposited(10));

        assertThatThrownBy(() -> assertThat(store).stream(account).containsExactly(new Other.MoneyDeposited(10)))
                .hasMessageEndingWith("The first difference is at index 0: expected "
                        + Other.MoneyDeposited.class.getName() + ": MoneyDeposited[amount=10] but was v1 "
                        + MoneyDeposited.class.getName() + ": MoneyDeposited[amount=10].");
    }

    @Test
    void containsExactlyNamesTheClassOfEventsWhoseStringFormsDoNotAndSuspectsAMissingEquals() {
        store.appendEvents(account, Versioning.NO_VERSIONING, new Note("called the bank"));

        assertThatThrownBy(() -> assertThat(store).stream(account).containsExactly(new Note("called the bank")))
                .hasMessage("""
                        Expecting stream %s to contain exactly these events, in version order:
                          [0] Note: called the bank
                        but it contains:
                          [0] Note: called the bank
                        The first difference is at index 0: expected Note: called the bank but was \
                        Note: called the bank (equal string forms, yet not equal: does Note implement equals?)."""
                        .formatted(account));
    }

    @Test
    void containsExactlyShowsEveryEventAppendedThoughASnapshotSummarisesSome() {
        store.appendEvents(account, 0, new MoneyDeposited(10), new MoneyDeposited(20));
        store.saveSnapshot(account, WrappedEvent.wrap(new AccountState(30), 2L));
        store.appendEvents(account, 2, new MoneyWithdrawn(5));

        assertThat(store).stream(account)
                .containsExactly(new MoneyDeposited(10), new MoneyDeposited(20), new MoneyWithdrawn(5))
                .hasVersion(3)
                .hasSnapshotAtVersion(2);
        assertThat(store).stream(account).snapshot().isEqualTo(new AccountState(30));
    }

    @Test
    void containsExactlyWrappedComparesWholeEnvelopes() {
        WrappedEvent<AccountOpened> opened = WrappedEvent.wrap(new AccountOpened("Ada"), 1L);
        store.append(account, 0, opened);

        assertThat(store).stream(account).containsExactlyWrapped(opened);
    }

    @Test
    void containsExactlyWrappedNamesThePartsThatDiffer() {
        WrappedEvent<AccountOpened> opened = WrappedEvent.wrap(new AccountOpened("Ada"), 1L);
        store.append(account, 0, opened);
        WrappedEvent<AccountOpened> later = new WrappedEvent<>(opened.event(), 1L, opened.uuid(),
                Instant.parse("2030-01-01T00:00:00Z"), opened.context());

        assertThatThrownBy(() -> assertThat(store).stream(account).containsExactlyWrapped(later))
                .hasMessage("""
                        Expecting stream %s to contain exactly these envelopes, in version order:
                          [0] %s
                        but it contains:
                          [0] %s
                        The first difference is at index 0: createdAt expected 2030-01-01T00:00:00Z but was %s."""
                        .formatted(account, later, opened, opened.createdAt()));
    }

    @Test
    void doesNotExistPassesOnAStreamNeverAppendedToOrDeleted() {
        assertThat(store).stream(account).doesNotExist().isEmpty();

        store.appendEvents(account, 0, new AccountOpened("Ada"));
        store.deleteStream(account);

        assertThat(store).stream(account).doesNotExist();
    }

    @Test
    void doesNotExistListsTheStreamsEvents() {
        store.appendEvents(account, 0, new AccountOpened("Ada"), new MoneyDeposited(10));

        assertThatThrownBy(() -> assertThat(store).stream(account).doesNotExist())
                .hasMessage("""
                        Expecting stream %s not to exist, but it has 2 events:
                          [0] v1 AccountOpened[owner=Ada]
                          [1] v2 MoneyDeposited[amount=10]""".formatted(account));
        assertThatThrownBy(() -> assertThat(store).stream(account).isEmpty())
                .hasMessageStartingWith("Expecting stream " + account + " not to exist, but it has 2 events:");
    }

    @Test
    void existsPassesOnAStreamWithEventsAndFailsOnOneWithout() {
        store.appendEvents(account, 0, new AccountOpened("Ada"));

        assertThat(store).stream(account).exists();
        assertThatThrownBy(() -> assertThat(store).stream(StreamId.named("account-2")).exists())
                .hasMessage("Expecting stream " + StreamId.named("account-2") + " to exist, but it has no events.");
    }

    @Test
    void hasVersionChecksTheVersionOfTheLastEvent() {
        store.appendEvents(account, 0, new AccountOpened("Ada"), new MoneyDeposited(10));

        assertThat(store).stream(account).hasVersion(2);
        assertThatThrownBy(() -> assertThat(store).stream(account).hasVersion(3))
                .hasMessage("Expecting stream " + account + " to be at version 3, but it is at version 2.");
    }

    @Test
    void hasVersionFailsOnAMissingOrVersionlessStream() {
        StreamId notes = StreamId.named("notes");
        store.appendEvents(notes, Versioning.NO_VERSIONING, new Note("one"), new Note("two"));

        assertThatThrownBy(() -> assertThat(store).stream(account).hasVersion(1))
                .hasMessage("Expecting stream " + account + " to be at version 1, but it does not exist.");
        assertThatThrownBy(() -> assertThat(store).stream(notes).hasVersion(2))
                .hasMessage("Expecting stream " + notes
                        + " to be at version 2, but it is versionless: its 2 events have no versions.");
    }

    @Test
    void lastLeadsToTheLastEvent() {
        store.appendEvents(account, 0, new AccountOpened("Ada"), new MoneyDeposited(10));

        assertThat(store).stream(account).last().isEqualTo(new MoneyDeposited(10));
        assertThatThrownBy(() -> assertThat(store).stream(account).last().isEqualTo(new MoneyDeposited(20)))
                .hasMessageStartingWith("[the last event of stream " + account + " (v2)] ");
        assertThatThrownBy(() -> assertThat(store).stream(StreamId.named("account-2")).last())
                .hasMessage("Expecting stream " + StreamId.named("account-2")
                        + " to have a last event, but it has no events.");
    }

    @Test
    void snapshotFailsWhenThereIsNone() {
        store.appendEvents(account, 0, new MoneyDeposited(10));

        assertThatThrownBy(() -> assertThat(store).stream(account).snapshot())
                .hasMessage("Expecting stream " + account + " to have a snapshot, but it has none.");
        assertThatThrownBy(() -> assertThat(store).stream(account).hasSnapshotAtVersion(1))
                .hasMessage("Expecting stream " + account + " to have a snapshot at version 1, but it has none.");
    }

    @Test
    void hasSnapshotAtVersionNamesTheVersionOfTheLatestSnapshot() {
        store.appendEvents(account, 0, new MoneyDeposited(10), new MoneyDeposited(20));
        store.saveSnapshot(account, WrappedEvent.wrap(new AccountState(10), 1L));

        assertThatThrownBy(() -> assertThat(store).stream(account).hasSnapshotAtVersion(2))
                .hasMessage("Expecting stream " + account
                        + " to have a snapshot at version 2, but its snapshot is at version 1.");
        assertThatThrownBy(() -> assertThat(store).stream(account).snapshot().isEqualTo(new AccountState(30)))
                .hasMessageStartingWith("[the snapshot of stream " + account + " at version 1] ");
    }

    @Test
    void aStreamIsLookedForInTheStoresTenantAndCategory() {
        StreamId inCategory = account.withCategory("accounts");
        store.scopedForTenant("acme").appendEvents(inCategory, 0, new AccountOpened("Ada"));

        assertThat(store.scopedForTenant("acme")).stream(inCategory).containsExactly(new AccountOpened("Ada"));
        assertThat(store.scopedForTenant("acme")).stream(account).doesNotExist();
        assertThat(store).stream(inCategory).doesNotExist();
    }

    @Test
    void theAssertionsDescriptionComesFirstInItsMessages() {
        assertThatThrownBy(() -> assertThat(store).as("after the transfer").stream(account).exists())
                .hasMessage("[after the transfer] Expecting stream " + account + " to exist, but it has no events.");
    }

    @Test
    void eventsWithPercentSignsInTheirStringFormsAreShownAsTheyAre() {
        store.appendEvents(account, 0, new AccountOpened("100% Ada"));

        assertThatThrownBy(() -> assertThat(store).stream(account).containsExactly(new AccountOpened("%s %n")))
                .hasMessageContaining("  [0] AccountOpened[owner=%s %n]\n")
                .hasMessageContaining("  [0] v1 AccountOpened[owner=100% Ada]\n");
    }
}
