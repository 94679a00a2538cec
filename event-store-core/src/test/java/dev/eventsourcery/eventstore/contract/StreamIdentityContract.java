package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;

/** Named streams and categories. */
public interface StreamIdentityContract extends ContractFixture {

    @Test
    default void namedStreamLoadsByItsName() {
        List<WrappedEvent<?>> stored = givenStream(StreamId.named("order-1"), 2);

        assertThat(store().loadStream(StreamId.named("order-1"))).containsExactlyElementsOf(stored);
        assertThat(store().loadStream(StreamId.of("order-1"))).containsExactlyElementsOf(stored);
    }

    @Test
    default void streamWrittenByUuidIsTheSameStreamByName() {
        StreamId named = StreamId.named("account-42");
        List<WrappedEvent<?>> stored = givenStream(StreamId.of(named.uuid()), 2);

        assertThat(store().loadStream(named)).containsExactlyElementsOf(stored);
        store().append(named, 2, numbers(3, 1));
        assertThat(versionsOf(store().loadStream(StreamId.of(named.uuid())))).containsExactly(1L, 2L, 3L);
    }

    @Test
    default void sameNameInTwoCategoriesIsTwoStreams() {
        StreamId invoices = StreamId.named("2026-001").withCategory("invoices");
        StreamId orders = StreamId.named("2026-001").withCategory("orders");
        List<WrappedEvent<?>> invoiceEvents = givenStream(invoices, 1);
        List<WrappedEvent<?>> orderEvents = givenStream(orders, 3);

        assertThat(store().loadStream(invoices)).containsExactlyElementsOf(invoiceEvents);
        assertThat(store().loadStream(orders)).containsExactlyElementsOf(orderEvents);
        assertThat(store().loadStream(StreamId.named("2026-001"))).isEmpty();
    }

    @Test
    default void sameUuidInTwoCategoriesIsTwoStreams() {
        StreamId plain = StreamId.random();
        StreamId categorized = plain.withCategory("archive");
        List<WrappedEvent<?>> plainEvents = givenStream(plain, 2);
        List<WrappedEvent<?>> categorizedEvents = givenStream(categorized, 1);

        assertThat(store().loadStream(plain)).containsExactlyElementsOf(plainEvents);
        assertThat(store().loadStream(categorized)).containsExactlyElementsOf(categorizedEvents);
    }

    @Test
    default void deletingAStreamInOneCategoryLeavesTheOther() {
        StreamId first = StreamId.named("cart").withCategory("eu");
        StreamId second = StreamId.named("cart").withCategory("us");
        givenStream(first, 2);
        List<WrappedEvent<?>> kept = givenStream(second, 2);

        store().deleteStream(first);

        assertThat(store().loadStream(first)).isEmpty();
        assertThat(store().loadStream(second)).containsExactlyElementsOf(kept);
    }
}
