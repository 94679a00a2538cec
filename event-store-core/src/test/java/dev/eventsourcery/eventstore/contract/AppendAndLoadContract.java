package dev.eventsourcery.eventstore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.eventsourcery.eventstore.Context;
import dev.eventsourcery.eventstore.StreamId;
import dev.eventsourcery.eventstore.WrappedEvent;
import dev.eventsourcery.eventstore.contract.ContractEvents.Colour;
import dev.eventsourcery.eventstore.contract.ContractEvents.EverythingChanged;
import dev.eventsourcery.eventstore.contract.ContractEvents.Line;
import dev.eventsourcery.eventstore.contract.ContractEvents.NumberAdded;
import dev.eventsourcery.eventstore.contract.ContractEvents.TextNoted;

/** Appending and loading: what goes in comes back, in order, within the requested bounds. */
public interface AppendAndLoadContract extends ContractFixture {

    @Test
    default void savedEventLoadsBackEqualWithVersionOne() {
        StreamId stream = StreamId.random();
        WrappedEvent<NumberAdded> event = WrappedEvent.wrap(new NumberAdded(7));

        store().append(stream, event);

        assertThat(store().loadStream(stream)).containsExactly(event.withVersion(1L));
    }

    @Test
    default void severalAppendsLoadInVersionOrder() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> first = numbers(1, 2);
        List<WrappedEvent<?>> second = numbers(3, 3);

        store().append(stream, 0, first);
        store().append(stream, 2, second);
        store().append(stream, 5, WrappedEvent.wrap(new TextNoted("last")));

        List<WrappedEvent<?>> loaded = store().loadStream(stream);
        assertThat(versionsOf(loaded)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(loaded.subList(0, 5)).containsExactlyElementsOf(
                versioned(concat(first, second), 1));
        assertThat(loaded.get(5).event()).isEqualTo(new TextNoted("last"));
    }

    @Test
    default void startIsInclusive() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = givenStream(stream, 5);

        assertThat(store().loadStream(stream, 3L, null)).containsExactlyElementsOf(events.subList(2, 5));
    }

    @Test
    default void stopIsExclusive() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = givenStream(stream, 5);

        assertThat(store().loadStream(stream, null, 3L)).containsExactlyElementsOf(events.subList(0, 2));
    }

    @Test
    default void startAndStopTogetherSelectAHalfOpenRange() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = givenStream(stream, 6);

        assertThat(versionsOf(store().loadStream(stream, 2L, 5L))).containsExactly(2L, 3L, 4L);
        assertThat(store().loadStream(stream, 2L, 5L)).containsExactlyElementsOf(events.subList(1, 4));
        assertThat(store().loadStream(stream, 4L, 4L)).isEmpty();
        assertThat(store().loadStream(stream, 0L, 100L)).containsExactlyElementsOf(events);
    }

    @Test
    default void nullBoundsLoadTheWholeStream() {
        StreamId stream = StreamId.random();
        List<WrappedEvent<?>> events = givenStream(stream, 4);

        assertThat(store().loadStream(stream, null, null)).containsExactlyElementsOf(events);
        assertThat(store().loadStream(stream)).containsExactlyElementsOf(events);
    }

    @Test
    default void startGreaterThanStopIsRefused() {
        StreamId stream = StreamId.random();
        givenStream(stream, 3);

        assertThatThrownBy(() -> store().loadStream(stream, 3L, 2L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3").hasMessageContaining("2");
    }

    @Test
    default void negativeBoundsAreRefused() {
        StreamId stream = StreamId.random();
        givenStream(stream, 3);

        assertThatThrownBy(() -> store().loadStream(stream, -1L, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> store().loadStream(stream, null, -2L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
    }

    @Test
    default void missingStreamLoadsAsEmptyList() {
        assertThat(store().loadStream(StreamId.random())).isEmpty();
        assertThat(store().loadStream(StreamId.named("never-written"), 1L, 10L)).isEmpty();
    }

    @Test
    default void contextRoundTrips() {
        StreamId stream = StreamId.random();
        Context context = Context.empty()
                .withCorrelationId(UUID.randomUUID())
                .withCausationId(UUID.randomUUID())
                .with("user", "alice")
                .with("attempt", 3)
                .with("score", 0.25)
                .with("admin", true)
                .with("roles", List.of("reader", "writer"))
                .with("origin", Map.of("service", "billing", "node", 2));
        WrappedEvent<NumberAdded> event = WrappedEvent.wrap(new NumberAdded(1), null, context);

        store().append(stream, event);

        WrappedEvent<?> loaded = store().loadStream(stream).get(0);
        assertThat(loaded.context()).isEqualTo(context);
        assertThat(loaded.context().correlationId()).isEqualTo(context.correlationId());
        assertThat(loaded.context().attributes()).containsEntry("attempt", 3L).containsEntry("admin", true);
    }

    @Test
    default void everySupportedTypeRoundTripsExactly() {
        StreamId stream = StreamId.random();
        Line line = new Line("sku-1", 2, new BigDecimal("19.990"));
        EverythingChanged payload = new EverythingChanged(
                "Zażółć \"gęślą\" jaźń 🦄 \\ ' <>&",
                Integer.MIN_VALUE,
                Long.MAX_VALUE,
                0.1 + 0.2,
                true,
                Colour.GREEN,
                UUID.randomUUID(),
                Instant.parse("2026-11-26T10:15:30.123456789Z"),
                LocalDate.of(2024, 2, 29),
                OffsetDateTime.of(2026, 3, 29, 2, 30, 0, 500_000_000, ZoneOffset.ofHoursMinutes(5, 45)),
                new BigDecimal("12345678901234567890.000000000100"),
                List.of("a", "b", "a"),
                Map.of("x", 1, "y", -2),
                line,
                List.of(line, new Line("sku-2", 1, BigDecimal.ONE)),
                Map.of("sku-1", line));
        WrappedEvent<EverythingChanged> event = WrappedEvent.wrap(payload);

        store().append(stream, event);

        WrappedEvent<?> loaded = store().loadStream(stream).get(0);
        assertThat(loaded.event()).isEqualTo(payload);
        assertThat(((EverythingChanged) loaded.event()).when().getOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(5, 45));
        assertThat(((EverythingChanged) loaded.event()).amount().scale()).isEqualTo(12);
        assertThat(loaded).isEqualTo(event.withVersion(1L));
    }

    @Test
    default void bareEventsAreWrappedWithTheNextVersions() {
        StreamId stream = StreamId.random();
        givenStream(stream, 2);

        store().appendEvents(stream, 2, new NumberAdded(10), new TextNoted("eleven"));

        List<WrappedEvent<?>> loaded = store().loadStream(stream, 3L, null);
        assertThat(loaded.stream().map(event -> (Object) event.event()).toList()).containsExactly(new NumberAdded(10), new TextNoted("eleven"));
        assertThat(versionsOf(loaded)).containsExactly(3L, 4L);
        assertThat(loaded).extracting(WrappedEvent::uuid).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(loaded).allSatisfy(event -> assertThat(event.context()).isEqualTo(Context.empty()));
    }

    @Test
    default void createdAtAndUuidSurvive() {
        StreamId stream = StreamId.random();
        UUID uuid = UUID.randomUUID();
        Instant createdAt = Instant.parse("2001-09-09T01:46:40.654321Z");
        WrappedEvent<NumberAdded> event = new WrappedEvent<>(new NumberAdded(1), null, uuid, createdAt, Context.empty());

        store().append(stream, event);

        WrappedEvent<?> loaded = store().loadStream(stream).get(0);
        assertThat(loaded.uuid()).isEqualTo(uuid);
        assertThat(loaded.createdAt()).isEqualTo(createdAt);
    }

    @Test
    default void appendWithoutVersionExpectsANewStream() {
        StreamId stream = StreamId.random();
        store().append(stream, WrappedEvent.wrap(new NumberAdded(1)), WrappedEvent.wrap(new NumberAdded(2)));

        assertThat(versionsOf(store().loadStream(stream))).containsExactly(1L, 2L);
    }

    private static List<WrappedEvent<?>> concat(List<WrappedEvent<?>> first, List<WrappedEvent<?>> second) {
        List<WrappedEvent<?>> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
