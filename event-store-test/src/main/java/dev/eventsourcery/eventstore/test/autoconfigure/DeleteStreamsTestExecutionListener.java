package dev.eventsourcery.eventstore.test.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.AbstractTestExecutionListener;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.RecordedEvent;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.Subscription;
import dev.eventsourcery.eventstore.TenantId;

/**
 * Empties the store of an {@link EventStoreTest} before each test method: it reads the log of every tenant and
 * deletes each stream found there, through the store's API, so that it works alike on every backend. It runs
 * before a test-managed transaction begins ({@code @Transactional} tests), so that the deletes are committed.
 */
class DeleteStreamsTestExecutionListener extends AbstractTestExecutionListener {

    private static final int PAGE = 500;

    @Override
    public int getOrder() {
        // after the context's dependency injection (2000), before TransactionalTestExecutionListener (4000)
        return 3500;
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        EventStoreTest test = TestContextAnnotationUtils.findMergedAnnotation(testContext.getTestClass(),
                EventStoreTest.class);
        if (test == null || !test.deleteStreamsBeforeEachTest()) {
            return;
        }
        EventStore store = testContext.getApplicationContext().getBeanProvider(EventStore.class).getIfUnique();
        if (store != null) {
            deleteEveryStream(store.scopedForTenant());
        }
    }

    /** Deletes every stream of every tenant; the view given is pinned to a tenant, so no resolver is asked. */
    private static void deleteEveryStream(EventStore store) {
        if (store.position().isEmpty()) {
            return;
        }
        Set<StoredStream> streams = new LinkedHashSet<>();
        try (Subscription subscription = store.subscribe().inAllTenants().build()) {
            List<RecordedEvent<?>> page;
            while (!(page = subscription.poll(PAGE, Duration.ZERO)).isEmpty()) {
                for (RecordedEvent<?> event : page) {
                    streams.add(new StoredStream(event.tenantId(), event.streamId()));
                }
            }
        }
        for (StoredStream stream : streams) {
            store.scopedForTenant(stream.tenantId()).deleteStream(stream.streamId());
        }
    }

    private record StoredStream(TenantId tenantId, StreamId streamId) {
    }
}
