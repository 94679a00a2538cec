package dev.eventsourcery.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class WrappedEventTest {

    @Test
    void wrapGivesARandomIdAndNowToTheMicrosecond() {
        Instant before = Instant.now().minusSeconds(1);
        WrappedEvent<String> first = WrappedEvent.wrap("a");
        WrappedEvent<String> second = WrappedEvent.wrap("a", 3L);

        assertThat(first.uuid()).isNotEqualTo(second.uuid());
        assertThat(first.createdAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(first.createdAt().getNano() % 1_000).isZero();
        assertThat(first.version()).isNull();
        assertThat(second.version()).isEqualTo(3L);
        assertThat(first.context()).isEqualTo(Context.empty());
    }

    @Test
    void createdAtIsTruncatedToMicroseconds() {
        WrappedEvent<String> event = new WrappedEvent<>("a", null, UUID.randomUUID(),
                Instant.parse("2026-01-01T00:00:00.123456789Z"), Context.empty());

        assertThat(event.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
    }

    @Test
    void missingPartsAreRefused() {
        assertThatThrownBy(() -> WrappedEvent.wrap(null)).isInstanceOf(NullPointerException.class).hasMessage("event");
        assertThatThrownBy(() -> new WrappedEvent<>("a", null, null, Instant.now(), Context.empty()))
                .isInstanceOf(NullPointerException.class).hasMessage("uuid");
    }

    @Test
    void expectedVersionMustNotBeNegative() {
        assertThatThrownBy(() -> Versioning.expect(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThat(Versioning.expect(0)).isEqualTo(Versioning.expect(0)).isNotEqualTo(Versioning.ANY);
    }
}
