package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.EventStore;
import dev.eventsourcery.eventstore.IllegalTenantIdException;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.TenantId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.Total;

/** Tenant isolation: nothing of one tenant is visible to or changed by another. */
public interface TenancyContract extends ContractFixture {

    @Test
    default void defaultAndTenantDoNotSeeEachOthersStreams() {
        StreamId inDefault = StreamId.random();
        StreamId inTenant = StreamId.random();
        EventStore acme = store().scopedForTenant("acme");
        List<WrappedEvent<?>> defaultEvents = givenStream(inDefault, 2);
        List<WrappedEvent<?>> tenantEvents = givenStream(acme, inTenant, 3);

        assertThat(acme.loadStream(inDefault)).isEmpty();
        assertThat(store().loadStream(inTenant)).isEmpty();
        assertThat(acme.loadStream(inTenant)).containsExactlyElementsOf(tenantEvents);
        assertThat(store().loadStream(inDefault)).containsExactlyElementsOf(defaultEvents);
    }

    @Test
    default void tenantsDoNotSeeEachOthersStreams() {
        StreamId stream = StreamId.random();
        EventStore acme = store().scopedForTenant("acme");
        EventStore globex = store().scopedForTenant(TenantId.of("globex"));
        List<WrappedEvent<?>> acmeEvents = givenStream(acme, stream, 2);

        assertThat(globex.loadStream(stream)).isEmpty();
        List<WrappedEvent<?>> globexEvents = givenStream(globex, stream, 1);
        assertThat(acme.loadStream(stream)).containsExactlyElementsOf(acmeEvents);
        assertThat(globex.loadStream(stream)).containsExactlyElementsOf(globexEvents);
    }

    @Test
    default void appendVersionsAreCountedPerTenant() {
        StreamId stream = StreamId.random();
        EventStore acme = store().scopedForTenant("acme");
        givenStream(stream, 3);

        // acme's stream is new although the default tenant's is at version 3
        acme.append(stream, 0, numbers(1, 1));
        assertThatThrownBy(() -> acme.append(stream, 3, numbers(2, 1)))
                .isInstanceOf(dev.eventsourcery.eventstore.ConcurrentStreamWriteException.class);
        store().append(stream, 3, numbers(4, 1));

        assertThat(versionsOf(acme.loadStream(stream))).containsExactly(1L);
        assertThat(versionsOf(store().loadStream(stream))).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    default void deleteInOneTenantLeavesOtherTenantsAlone() {
        StreamId stream = StreamId.random();
        EventStore acme = store().scopedForTenant("acme");
        EventStore globex = store().scopedForTenant("globex");
        List<WrappedEvent<?>> defaultEvents = givenStream(stream, 1);
        givenStream(acme, stream, 2);
        List<WrappedEvent<?>> globexEvents = givenStream(globex, stream, 3);

        acme.deleteStream(stream);

        assertThat(acme.loadStream(stream)).isEmpty();
        assertThat(globex.loadStream(stream)).containsExactlyElementsOf(globexEvents);
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(defaultEvents);

        store().deleteStream(stream);
        assertThat(globex.loadStream(stream)).containsExactlyElementsOf(globexEvents);
    }

    @Test
    default void snapshotInOneTenantIsInvisibleToTheDefaultTenant() {
        StreamId stream = StreamId.random();
        EventStore acme = store().scopedForTenant("acme");
        List<WrappedEvent<?>> acmeEvents = givenStream(acme, stream, 2);
        givenStream(stream, 2);
        WrappedEvent<Total> snapshot = WrappedEvent.wrap(new Total(3, 2), 2L);

        store().saveSnapshot(stream, snapshot);

        assertThat(acme.loadStream(stream)).containsExactlyElementsOf(acmeEvents);
        assertThat(store().loadStream(stream)).containsExactly(snapshot);
        // and a snapshot cannot be taken of another tenant's stream
        assertThatThrownBy(() -> store().scopedForTenant("globex").saveSnapshot(stream, snapshot))
                .isInstanceOf(dev.eventsourcery.eventstore.InvalidSnapshotException.class);
    }

    @Test
    default void sameStreamIdCoexistsInThreeTenants() {
        StreamId stream = StreamId.named("shared-name");
        List<WrappedEvent<?>> defaultEvents = givenStream(store().scopedForTenant(), stream, 1);
        List<WrappedEvent<?>> acmeEvents = givenStream(store().scopedForTenant("acme"), stream, 2);
        List<WrappedEvent<?>> globexEvents = givenStream(store().scopedForTenant("globex"), stream, 3);

        assertThat(store().loadStream(stream)).containsExactlyElementsOf(defaultEvents);
        assertThat(store().scopedForTenant("acme").loadStream(stream)).containsExactlyElementsOf(acmeEvents);
        assertThat(store().scopedForTenant("globex").loadStream(stream)).containsExactlyElementsOf(globexEvents);
    }

    @Test
    default void scopingBackToTheDefaultTenantSeesTheDefaultTenant() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> defaultEvents = givenStream(stream, 2);

        EventStore back = store().scopedForTenant("acme").scopedForTenant();

        assertThat(back.loadStream(stream)).containsExactlyElementsOf(defaultEvents);
        assertThat(store().scopedForTenant(TenantId.DEFAULT).loadStream(stream)).containsExactlyElementsOf(defaultEvents);
    }

    @Test
    default void invalidTenantIdsAreRefused() {
        for (String invalid : new String[] {"", " ", "a b", "../x", "x".repeat(65), "tenant/1", "żółw", "'; drop table es_event; --"}) {
            assertThatThrownBy(() -> store().scopedForTenant(invalid))
                    .as("tenant id '%s'", invalid)
                    .isInstanceOf(IllegalTenantIdException.class);
        }
        assertThat(store().scopedForTenant("x".repeat(64))).isNotNull();
        assertThat(store().scopedForTenant("Acme_2.eu-west")).isNotNull();
    }
}
