package dev.eventsourcery.eventstore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.ConcurrentStreamWriteException;
import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.Versioning;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.storage.memory.InMemoryEventStorage;

/** What an {@link AppendInterceptor} sees of an append, and what the store demands of it. */
class AppendInterceptorTest {

    record Deposited(long amount) {
    }

    private final List<String> seen = new ArrayList<>();

    private EventStore storeSeeing() {
        return StorageEventStore.builder(new InMemoryEventStorage()).appendInterceptor(append -> {
            seen.add("before " + append.tenantId() + " " + append.events().size());
            append.proceed();
            for (WrappedEvent<?> event : append.appended()) {
                seen.add(event.event() + " v" + event.version());
            }
        }).build();
    }

    @Test
    void theInterceptorSeesTheAppendedEventsWithTheVersionsTheyGot() {
        EventStore store = storeSeeing();
        StreamId stream = StreamId.random();
        StreamId versionless = StreamId.random();

        store.appendEvents(stream, 0, new Deposited(1), new Deposited(2));
        store.appendEvents(stream, Versioning.ANY, new Deposited(3));
        store.scopedForTenant("acme").appendEvents(stream, Versioning.ANY, new Deposited(4));
        store.appendEvents(versionless, Versioning.NO_VERSIONING, new Deposited(5));

        assertThat(seen).containsExactly("before TenantId.DEFAULT 2", "Deposited[amount=1] v1", "Deposited[amount=2] v2",
                "before TenantId.DEFAULT 1", "Deposited[amount=3] v3", "before " + TenantId.of("acme") + " 1",
                "Deposited[amount=4] v1", "before TenantId.DEFAULT 1", "Deposited[amount=5] vnull");
    }

    @Test
    void aRefusedAppendReachesTheInterceptorAsItsExceptionAndNothingAfterIt() {
        EventStore store = storeSeeing();
        StreamId stream = StreamId.random();

        assertThatThrownBy(() -> store.appendEvents(stream, 3, new Deposited(1)))
                .isInstanceOf(ConcurrentStreamWriteException.class);
        assertThat(seen).containsExactly("before TenantId.DEFAULT 1");
    }

    @Test
    void anInterceptorThatDoesNotAppendIsAnErrorAndOneThatFailsAfterwardsFailsTheAppend() {
        InMemoryEventStorage storage = new InMemoryEventStorage();
        EventStore skipping = StorageEventStore.builder(storage).appendInterceptor(append -> { }).build();
        StreamId stream = StreamId.random();
        assertThatThrownBy(() -> skipping.appendEvents(stream, 0, new Deposited(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not append");

        EventStore failing = StorageEventStore.builder(storage).appendInterceptor(append -> {
            assertThatThrownBy(append::appended).isInstanceOf(IllegalStateException.class);
            append.proceed();
            assertThatThrownBy(append::proceed).isInstanceOf(IllegalStateException.class);
            throw new IllegalStateException("listener failed");
        }).build();
        assertThatThrownBy(() -> failing.appendEvents(stream, 0, new Deposited(1))).hasMessage("listener failed");
    }
}
